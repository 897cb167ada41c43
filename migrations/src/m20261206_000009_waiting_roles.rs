//! Roles for addresses nobody has proved yet (issue 19): appointing a cooperative
//! admin or entrusting a helper to an account whose email is not verified writes a
//! `waiting_role` row instead of the membership or grant; the transaction that
//! verifies the address turns it into the role and deletes it.

use crate::helpers::{cascade, index, restrict};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000009_waiting_roles"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(WaitingRole::Table)
                .col(pk_auto(WaitingRole::Id))
                .col(integer(WaitingRole::AccountId))
                .col(integer(WaitingRole::CooperativeId))
                // `admin` of the cooperative, or `helper` of `producer_id`.
                .col(string(WaitingRole::Role))
                .col(integer_null(WaitingRole::ProducerId))
                .col(integer(WaitingRole::GrantedBy))
                .col(date_time(WaitingRole::CreatedAt))
                .foreign_key(&mut cascade(
                    WaitingRole::Table,
                    WaitingRole::AccountId,
                    Account::Table,
                    Account::Id,
                ))
                .foreign_key(&mut cascade(
                    WaitingRole::Table,
                    WaitingRole::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .foreign_key(&mut cascade(
                    WaitingRole::Table,
                    WaitingRole::ProducerId,
                    Producer::Table,
                    Producer::Id,
                ))
                .foreign_key(&mut restrict(
                    WaitingRole::Table,
                    WaitingRole::GrantedBy,
                    Account::Table,
                    Account::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            WaitingRole::Table,
            WaitingRole::AccountId,
            "idx_waiting_role_account",
        ))
        .await?;
        m.create_index(index(
            WaitingRole::Table,
            WaitingRole::CooperativeId,
            "idx_waiting_role_cooperative",
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(WaitingRole::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum WaitingRole {
    Table,
    Id,
    AccountId,
    CooperativeId,
    Role,
    ProducerId,
    GrantedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Producer {
    Table,
    Id,
}
