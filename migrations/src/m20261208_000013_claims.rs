//! Background work claimed, not raced (issue 22): with several servers on one
//! database, each periodic job (`background_job`) and each outbox email
//! (`outbox_email.claimed_by`, `claimed_until`) is claimed by one server for a lease
//! before it is done. A server that dies holding a claim loses nothing: once the lease
//! has run out, another server claims the work again.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261208_000013_claims"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(BackgroundJob::Table)
                // The job's name (`holds`, `payments`, …); a row is made on its first claim.
                .col(string(BackgroundJob::Name).primary_key())
                // The server whose round it is, while `lease_until` has not passed.
                .col(string_null(BackgroundJob::HeldBy))
                // UTC, like every lease: after it, anyone may claim the job again.
                .col(date_time_null(BackgroundJob::LeaseUntil))
                // A round finished: no next one before this.
                .col(date_time_null(BackgroundJob::NextRunAt))
                .col(date_time_null(BackgroundJob::LastDoneAt))
                .col(string_null(BackgroundJob::LastDoneBy))
                // Rounds finished, all servers together.
                .col(integer(BackgroundJob::Rounds).default(0))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per statement.
        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .add_column(string_null(OutboxEmail::ClaimedBy))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .add_column(date_time_null(OutboxEmail::ClaimedUntil))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .drop_column(OutboxEmail::ClaimedUntil)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OutboxEmail::Table)
                .drop_column(OutboxEmail::ClaimedBy)
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(BackgroundJob::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum BackgroundJob {
    Table,
    Name,
    HeldBy,
    LeaseUntil,
    NextRunAt,
    LastDoneAt,
    LastDoneBy,
    Rounds,
}

#[derive(DeriveIden)]
enum OutboxEmail {
    Table,
    ClaimedBy,
    ClaimedUntil,
}
