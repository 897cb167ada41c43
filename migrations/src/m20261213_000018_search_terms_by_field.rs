//! PostgreSQL's search index names each token's field in its lexeme (`'A.tapet'`)
//! instead of weighting it (`'tapet':1A`): the GIN index does not hold weights, so a
//! search for words in a title read every listing with the words anywhere to check.
//! The entries are emptied here and written again in the new form by
//! `store::catalog::search_index::index_missing`, which a server runs after the
//! migrations (`server::open_database`).
//! SQLite's index is unchanged.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261213_000018_search_terms_by_field"
    }
}

/// Empties PostgreSQL's index, to be written again by the code of the day.
async fn reindex_postgres(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("DELETE FROM search_entry").await?;
        db.execute_unprepared("UPDATE search_entry_count SET entries = 0")
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        reindex_postgres(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        reindex_postgres(m).await
    }
}
