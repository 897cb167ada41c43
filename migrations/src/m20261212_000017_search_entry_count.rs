//! How many listings can be found (issue 23): the search index's entries (one per
//! published listing) counted as they are written and removed, in the same
//! transaction, so the home page reads one row instead of counting every listing.
//! This migration counts the entries already there.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261212_000017_search_entry_count"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // One row, its id 1.
        db.execute_unprepared(
            "CREATE TABLE search_entry_count (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                entries BIGINT NOT NULL CHECK (entries >= 0))",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO search_entry_count (id, entries) SELECT 1, COUNT(*) FROM search_entry",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DROP TABLE search_entry_count")
            .await?;
        Ok(())
    }
}
