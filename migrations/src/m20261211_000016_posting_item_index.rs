//! The postings of one order line or one part's shipping, read by an index (issue 23,
//! point 4): a delivery's release and a refund read the balances of the items they
//! move, and without it each read every posting of the ledger (at 250,000 postings an
//! order's whole course, from cart to collection, took 65 ms, and it grew with every
//! sale).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261211_000016_posting_item_index"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(
                "CREATE INDEX idx_journal_posting_item ON journal_posting (item_kind, item_id)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_journal_posting_item")
            .await?;
        Ok(())
    }
}
