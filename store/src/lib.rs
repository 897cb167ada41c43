//! Tianguis persistence: connecting to SQLite or PostgreSQL, running migrations, and
//! every read and write of the site, one transaction per change, turning rows into the
//! types of `domain`. Server-only: nothing here reaches the wasm build.
//!
//! One folder per context — `people`, `catalog`, `booking`, `commerce`, `money` —
//! with the shared plumbing at the root: `db` (connections, the write transaction),
//! `error`, `rows` (row-to-domain conversions), `outbox` (emails queued with their
//! change), `claims` (background work claimed by one server at a time), `sessions`
//! and `entity` (the tables). No import circle crosses two contexts
//! (`scripts/check-contexts.py`, run by `make lint`).

pub mod booking;
pub mod catalog;
pub mod claims;
pub mod commerce;
mod db;
pub mod entity;
mod error;
pub mod money;
pub mod order_keys;
pub mod outbox;
pub mod people;
mod rows;
pub mod sessions;

pub use db::{
    Backend, QueryCount, after_bulk_load, connect, count_queries, migrate, redo_migrations_from,
    rollback_all, write_transaction,
};
pub use error::StoreError;
pub use sea_orm::DatabaseConnection;
