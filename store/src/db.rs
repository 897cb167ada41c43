//! Connecting to SQLite or PostgreSQL, running the migrations, and the write
//! transaction that every change of money, stock or places opens.

use crate::StoreError;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Which backend a `DATABASE_URL` names, if any we support.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// How many statements a connection (and every clone made of it afterwards) has sent
/// the database: see [`count_queries`].
#[derive(Debug, Clone, Default)]
pub struct QueryCount(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl QueryCount {
    pub fn so_far(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Counts the statements `db` sends from now on, and those of its clones made from
/// now on (`bench/` prints the queries per page with it; the tests check a page's
/// count does not grow with the data). Each statement is also logged at debug level
/// with the time it took (`RUST_LOG=tianguis::sql=debug`), to find a page's slow one.
pub fn count_queries(db: &mut DatabaseConnection) -> QueryCount {
    let count = QueryCount::default();
    let counter = count.0.clone();
    db.set_metric_callback(move |info| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        tracing::debug!(
            target: "tianguis::sql",
            micros = info.elapsed.as_micros() as u64,
            "{}",
            info.statement
        );
    });
    count
}

/// How much of a SQLite file each connection reads through a memory map rather than
/// its own page cache (2 MB, then `pread` and a copy per page missed). At 100,000
/// listings a page's queries touch more pages than that cache holds, so every view read
/// them all again from the file: 10-18 ms of CPU per public page against 2-3 at the
/// demo's size; mapped, 2.3-6.8 ms (bench, issue 23). The mapped pages are the
/// kernel's file cache, shared and reclaimable (`RssFile`): at the demo's size RSS grew
/// by 2.5 MiB. A larger page cache per connection worked as well from 16 MB up, but
/// that memory is each connection's own (16 connections: up to 256 MB).
const SQLITE_MAP_BYTES: u64 = 256 * 1024 * 1024;

/// Opens a pool. For SQLite the file (and its folder) is created when missing, and
/// the journal is switched to WAL so readers never wait for the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    let mut url = url.to_owned();
    if Backend::of_url(&url) == Some(Backend::Sqlite) {
        if let Some(dir) = sqlite_path(&url).and_then(|p| std::path::Path::new(p).parent())
            && !dir.as_os_str().is_empty()
        {
            let _ = std::fs::create_dir_all(dir);
        }
        if !url.contains("mode=") {
            url.push_str(if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            });
        }
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(16)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    if Backend::of_url(&url) == Some(Backend::Sqlite) {
        // Set on every connection of the pool, not just the first: WAL so readers
        // never wait for the writer, foreign keys enforced, and a writer that finds
        // the database busy waits a little instead of failing at once. `synchronous`
        // stays FULL: a committed order or payment must survive a power cut.
        options.map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("mmap_size", SQLITE_MAP_BYTES.to_string())
        });
        // A file cannot hang up: pinging it before each query is a wasted round trip
        // to the connection's thread on every query.
        options.test_before_acquire(false);
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|conn, _| Box::pin(plan_once_per_statement(conn)))
        });
    } else {
        // A server connection can die while idle (restart, firewall): ping only those
        // that have been idle a while, not every connection on every query.
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Ok(Database::connect(options).await?)
}

/// Turns on SQLite's query planner stability guarantee for a connection.
///
/// Without it SQLite plans some statements for the values bound to them — any
/// `LIMIT ?` (every `.one()` and every page), `LIKE ?` — and so throws the cached
/// statement away and parses and plans it again each time it runs with new values.
/// That re-preparing was the largest single cost of a catalog page (a sixth of the
/// server's CPU in `perf`). With the guarantee a statement is planned once and reused.
async fn plan_once_per_statement(
    conn: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    use libsqlite3_sys::{SQLITE_DBCONFIG_ENABLE_QPSG, SQLITE_OK, sqlite3_db_config};
    let mut handle = conn.lock_handle().await?;
    // SAFETY: the handle is locked out of the connection's worker thread for the
    // duration of the call, and ENABLE_QPSG takes an int and an optional int pointer.
    let rc = unsafe {
        sqlite3_db_config(
            handle.as_raw_handle().as_ptr(),
            SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as std::ffi::c_int,
            std::ptr::null_mut::<std::ffi::c_int>(),
        )
    };
    if rc == SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("sqlite3_db_config(ENABLE_QPSG) failed with code {rc}").into(),
        ))
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The advisory lock that servers starting at once on one PostgreSQL take in turn to
/// migrate (any number of our own).
const MIGRATION_LOCK: i64 = 0x7469_616e_6775_6973;

/// Applies every pending migration. Several servers may start at once on one
/// PostgreSQL: each takes the advisory lock first (held by a transaction of its own
/// while the migrations run), so one migrates and the others then find nothing to do.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), StoreError> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        Migrator::up(db, None).await?;
        return Ok(());
    }
    let lock = db.begin().await?;
    lock.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    Migrator::up(db, None).await?;
    lock.commit().await?;
    Ok(())
}

/// After a bulk load (the demo grown for the bench): on PostgreSQL, brings the
/// planner's statistics up to date at once. Without them it took a text query over
/// 100,000 fresh listings for a rare one and read them all (autovacuum analyses a
/// table only a while after it changed). SQLite keeps no statistics here: its plans
/// are the ones `browse` was shaped for.
pub async fn after_bulk_load(db: &DatabaseConnection) -> Result<(), StoreError> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// Rolls every migration back (for tests that check migrations go down cleanly).
pub async fn rollback_all(db: &DatabaseConnection) -> Result<(), StoreError> {
    Migrator::down(db, None).await?;
    Ok(())
}

/// Rolls back migration `name` and every later one, then runs them again (for tests
/// of what a migration does to the data already there).
pub async fn redo_migrations_from(db: &DatabaseConnection, name: &str) -> Result<(), StoreError> {
    let all = Migrator::migrations();
    let Some(at) = all.iter().position(|m| m.name() == name) else {
        return Err(StoreError::BadValue {
            table: "seaql_migrations",
            column: "version",
            value: name.to_owned(),
        });
    };
    Migrator::down(db, Some((all.len() - at) as u32)).await?;
    Migrator::up(db, None).await?;
    Ok(())
}

/// A write transaction that holds the database's write lock from its first statement
/// on SQLite; an ordinary one on PostgreSQL.
pub async fn write_transaction(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    let mode = (db.get_database_backend() == DbBackend::Sqlite)
        .then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: mode,
        ..Default::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sqlite_file_in_a_url() {
        assert_eq!(
            sqlite_path("sqlite://data/tianguis.db?mode=rwc"),
            Some("data/tianguis.db")
        );
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }

    #[test]
    fn recognises_backends() {
        assert_eq!(Backend::of_url("sqlite://a.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::of_url("postgres://postgres@127.0.0.1/x"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::of_url("mysql://x"), None);
    }
}
