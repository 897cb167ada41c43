//! Migrations go up, down and up again on an empty database, on both backends.

use crate::support;

use sea_orm::{ConnectionTrait, Statement};
use support::{Backend, fresh_database_url};

/// The tables the migrations make.
const TABLES: i64 = 61;

async fn table_count(db: &store::DatabaseConnection) -> i64 {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            // Not SQLite's full-text index and its own tables (PostgreSQL keeps its
            // index in `search_entry`).
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' AND name NOT LIKE 'search_fts%'"
        }
        _ => {
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'seaql_migrations'"
        }
    };
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn migrations_go_up_down_and_up_again(backend: Backend) {
    let (url, cleanup) = fresh_database_url(backend).await;
    let db = store::connect(&url).await.unwrap();
    assert_eq!(table_count(&db).await, 0);
    store::migrate(&db).await.unwrap();
    let tables = table_count(&db).await;
    assert_eq!(
        tables, TABLES,
        "catalog: communities, cooperatives, producers, listings, details, tickets, slots, \
         photos; accounts: accounts, memberships, helper grants, sessions, email tokens, \
         outbox, failed sign-ins; producer tools: listing events, invitations; members: \
         cooperative events; bookings: bookings, their lines, their events; booking rules: rules, schedules, \
         waiting lists, limited tickets taken; orders: carts, their crafts, their bookings, \
         shipping rates, orders, parts, lines, events, payments, provider events, refunds, \
         the simulated provider's payments and refunds; revenue: split rules, journal entries, \
         their postings, connected accounts, payouts, their transfers, their events, member \
         payments, fund proposals, votes, spending; waiting roles; order keys; visitors' starts; background jobs; public totals: \
         sales per month, fund spending per month; search: entries, tokens, words, the entries' count"
    );
    store::rollback_all(&db).await.unwrap();
    assert_eq!(table_count(&db).await, 0);
    store::migrate(&db).await.unwrap();
    assert_eq!(table_count(&db).await, tables);
    db.close().await.unwrap();
    if let Some(support::Cleanup::PostgresDb { admin_url, name }) = cleanup {
        support::drop_postgres_database(admin_url, name);
    }
}

on_both_backends!(migrations_go_up_down_and_up_again);

/// Three servers starting at once on a new PostgreSQL database: one migrates (each
/// takes the migration lock in turn), none fails, the schema is there once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_at_once_on_one_postgresql_migrate_it_once() {
    let (url, cleanup) = fresh_database_url(Backend::Postgres).await;
    let mut servers = Vec::new();
    for _ in 0..3 {
        servers.push(store::connect(&url).await.unwrap());
    }
    let starting: Vec<_> = servers
        .iter()
        .cloned()
        .map(|db| tokio::spawn(async move { store::migrate(&db).await }))
        .collect();
    for server in starting {
        server.await.unwrap().expect("every server starts");
    }
    assert_eq!(table_count(&servers[0]).await, TABLES);
    for db in servers {
        db.close().await.unwrap();
    }
    if let Some(support::Cleanup::PostgresDb { admin_url, name }) = cleanup {
        support::drop_postgres_database(admin_url, name);
    }
}
