//! Full-text search on each database's own engine (issue 23), in place of the
//! `LIKE '%…%'` on `listing.search_text` (dropped here).
//!
//! `search_entry` has a row per published listing with its rank key (the order of
//! results within a tier of relevance; see `domain::search::plan::rank_key`). Its
//! tokens (see `domain::search::analysis`) are in SQLite's FTS5 table `search_fts`,
//! whose rowid is the rank key, in four columns; on PostgreSQL in `search_entry.terms`,
//! a `tsvector` whose weights A–D are the same four fields, with a GIN index.
//! `search_token` lists every token indexed and `search_word` every indexed word under
//! each of its deletion variants, for typo tolerance. The store fills them, in the
//! transaction of each change of a listing, and indexes what a database migrated from
//! before this lacks when it starts (`store::catalog::search_index::index_missing`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261210_000015_search_index"
    }
}

const SQLITE: &[&str] = &[
    "CREATE TABLE search_entry (
        listing_id INTEGER NOT NULL PRIMARY KEY REFERENCES listing (id) ON DELETE CASCADE,
        rank_key BIGINT NOT NULL UNIQUE)",
    // Contentless: the tokens are in `listing`'s texts already; `contentless_delete`
    // lets a listing's row be deleted by its rowid.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_es, title_en, body, about,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0')",
];

const POSTGRES: &[&str] = &[
    "CREATE TABLE search_entry (
        listing_id INTEGER NOT NULL PRIMARY KEY REFERENCES listing (id) ON DELETE CASCADE,
        rank_key BIGINT NOT NULL UNIQUE,
        terms TSVECTOR NOT NULL)",
    "CREATE INDEX idx_search_entry_terms ON search_entry USING GIN (terms)",
];

const BOTH: &[&str] = &[
    "CREATE TABLE search_token (token TEXT NOT NULL PRIMARY KEY)",
    "CREATE TABLE search_word (
        variant TEXT NOT NULL,
        word TEXT NOT NULL,
        token TEXT NOT NULL,
        PRIMARY KEY (variant, word, token))",
    "ALTER TABLE listing DROP COLUMN search_text",
    // The orders a visitor may choose, read off an index rather than sorted.
    "CREATE INDEX idx_listing_kind_status_price ON listing (kind, status, price_from_centavos, id)",
    "CREATE INDEX idx_listing_kind_status_created ON listing (kind, status, created_at, id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let own = match db.get_database_backend() {
            DbBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for sql in own.iter().chain(BOTH) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DbBackend::Postgres {
            db.execute_unprepared("DROP TABLE search_fts").await?;
        }
        for sql in [
            "DROP INDEX idx_listing_kind_status_price",
            "DROP INDEX idx_listing_kind_status_created",
            "DROP TABLE search_entry",
            "DROP TABLE search_word",
            "DROP TABLE search_token",
            "ALTER TABLE listing ADD COLUMN search_text TEXT NOT NULL DEFAULT ''",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
