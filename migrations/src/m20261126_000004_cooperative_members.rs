//! A cooperative managing its people:
//! - a producer who leaves the cooperative keeps their profile (their sales and
//!   listings refer to it) but is no longer shown as a member;
//! - `cooperative_event` records every change to a cooperative's people and profile:
//!   who did it, to whom, when — members can see how their cooperative is run.

use crate::helpers::{cascade, index, restrict};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000004_cooperative_members"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Producer::Table)
                .add_column(date_time_null(Producer::LeftAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CooperativeEvent::Table)
                .col(pk_auto(CooperativeEvent::Id))
                .col(integer(CooperativeEvent::CooperativeId))
                // invited, invitation_withdrawn, joined, member_removed, helper_granted,
                // helper_revoked, profile_edited, admin_appointed, admin_removed, created,
                // producer_profile_edited.
                .col(string(CooperativeEvent::Action))
                .col(integer(CooperativeEvent::ActorAccountId))
                // Whom it was about, as shown then (an email or a name).
                .col(string(CooperativeEvent::Subject))
                .col(date_time(CooperativeEvent::At))
                .foreign_key(&mut cascade(
                    CooperativeEvent::Table,
                    CooperativeEvent::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .foreign_key(&mut restrict(
                    CooperativeEvent::Table,
                    CooperativeEvent::ActorAccountId,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            CooperativeEvent::Table,
            CooperativeEvent::CooperativeId,
            "idx_cooperative_event_cooperative",
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CooperativeEvent::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Producer::Table)
                .drop_column(Producer::LeftAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    LeftAt,
}

#[derive(DeriveIden)]
enum CooperativeEvent {
    Table,
    Id,
    CooperativeId,
    Action,
    ActorAccountId,
    Subject,
    At,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
