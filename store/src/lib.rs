//! Tianguis persistence: connecting to SQLite or PostgreSQL, running migrations, the
//! catalog queries that turn rows into the read models of `domain`, and accounts.
//! Server-only: nothing here reaches the wasm build.

pub mod access;
pub mod accounts;
pub mod bookings;
pub mod calendar_feeds;
pub mod carts;
pub mod catalog;
pub mod checkout;
pub mod connected_accounts;
mod db;
pub mod entity;
mod error;
pub mod finances;
pub mod fund;
pub mod ledger;
pub mod listings;
pub mod members;
pub mod orders;
pub mod outbox;
pub mod payments;
pub mod payouts;
pub mod photos;
pub mod platform;
pub mod producers;
pub mod refunds;
pub mod revenue;
mod rows;
pub mod schedules;
pub mod sessions;
pub mod shipping_rates;
pub mod simulated_payments;
pub mod slots;
pub mod split_rules;
pub mod waitlist;

pub use db::{Backend, connect, migrate, rollback_all};
pub use error::StoreError;
pub use sea_orm::DatabaseConnection;
