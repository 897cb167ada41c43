//! Bookings cancelled before their order was paid (issue 20): their lines are marked
//! withdrawn (`order_line.withdrawn_at`), no longer sold, so that the sale never
//! credits them; and the refund of money that came for them anyway (a printed OXXO
//! voucher keeps its sum) is marked `refund.for_withdrawn`: money that came and goes
//! back, never part of the sale, so neither the ledger nor the order's refunded total
//! count it.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261207_000012_withdrawn_bookings"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrderLine::Table)
                .add_column(date_time_null(OrderLine::WithdrawnAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Refund::Table)
                .add_column(boolean(Refund::ForWithdrawn).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Refund::Table)
                .drop_column(Refund::ForWithdrawn)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrderLine::Table)
                .drop_column(OrderLine::WithdrawnAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum OrderLine {
    Table,
    WithdrawnAt,
}

#[derive(DeriveIden)]
enum Refund {
    Table,
    ForWithdrawn,
}
