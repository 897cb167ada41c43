//! Order links keep no secret in the database (issue 19): each key that opens an
//! order is kept as its SHA-256 in `order_key`, like a booking's. The first is made
//! at checkout; every later email with the order's link carries a key of its own,
//! kept in the transaction that queues the email. The secrets `orders.link_secret`
//! held are hashed into `order_key`, and the column goes.

use crate::helpers::{cascade, index};
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};
use sha2::{Digest, Sha256};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000010_order_keys"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OrderKey::Table)
                .col(pk_auto(OrderKey::Id))
                .col(integer(OrderKey::OrderId))
                // SHA-256 of the key, in hex; the key itself is only in the link.
                .col(string(OrderKey::KeyHash))
                .col(date_time(OrderKey::CreatedAt))
                .foreign_key(&mut cascade(
                    OrderKey::Table,
                    OrderKey::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            OrderKey::Table,
            OrderKey::OrderId,
            "idx_order_key_order",
        ))
        .await?;
        let db = m.get_connection();
        let backend = db.get_database_backend();
        let kept = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, link_secret, created_at FROM orders",
            ))
            .await?;
        for row in kept {
            let id: i32 = row.try_get("", "id")?;
            let secret: String = row.try_get("", "link_secret")?;
            let created_at: sea_orm_migration::sea_orm::prelude::DateTime =
                row.try_get("", "created_at")?;
            let insert = Query::insert()
                .into_table(OrderKey::Table)
                .columns([OrderKey::OrderId, OrderKey::KeyHash, OrderKey::CreatedAt])
                .values_panic([id.into(), key_hash(&secret).into(), created_at.into()])
                .to_owned();
            m.exec_stmt(insert).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Orders::Table)
                .drop_column(Orders::LinkSecret)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // The secrets cannot be had back from their hashes: links made before the
        // rollback stop working (the buyer's account still opens the order).
        m.alter_table(
            Table::alter()
                .table(Orders::Table)
                .add_column(string(Orders::LinkSecret).default(""))
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(OrderKey::Table).to_owned())
            .await
    }
}

fn key_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(DeriveIden)]
enum OrderKey {
    Table,
    Id,
    OrderId,
    KeyHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    LinkSecret,
}
