//! What visitors start, for the hourly limits (issue 19, `domain::people::hourly_limits`):
//! each hold, RSVP and order placed, by which email address and from which client
//! address, and when. Rows older than an hour count for nothing.

use crate::helpers::index;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000011_visitor_starts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(VisitorStart::Table)
                .col(pk_auto(VisitorStart::Id))
                // hold, rsvp or order (`Started::code`).
                .col(string(VisitorStart::Kind))
                .col(string(VisitorStart::Email))
                .col(string(VisitorStart::Address))
                // UTC, like the other counters of abuse (`sign_in_failure`).
                .col(date_time(VisitorStart::At))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            VisitorStart::Table,
            VisitorStart::Email,
            "idx_visitor_start_email",
        ))
        .await?;
        m.create_index(index(
            VisitorStart::Table,
            VisitorStart::Address,
            "idx_visitor_start_address",
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(VisitorStart::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum VisitorStart {
    Table,
    Id,
    Kind,
    Email,
    Address,
    At,
}
