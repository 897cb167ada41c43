//! The Tianguis schema. Migrations are the source of truth for the data model; the
//! sea-orm entities in `store` mirror them.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261123_000001_catalog;
mod m20261124_000002_accounts;
mod m20261125_000003_producer_tools;
mod m20261126_000004_cooperative_members;
mod m20261201_000005_bookings;
mod m20261202_000006_booking_rules;
mod m20261203_000007_orders;
mod m20261204_000008_revenue;
mod m20261206_000009_waiting_roles;
mod m20261206_000010_order_keys;
mod m20261206_000011_visitor_starts;
mod m20261207_000012_withdrawn_bookings;
mod m20261208_000013_claims;
mod m20261209_000014_public_totals;
mod m20261210_000015_search_index;
mod m20261211_000016_posting_item_index;
mod m20261212_000017_search_entry_count;
mod m20261213_000018_search_terms_by_field;
mod m20261214_000019_name_indexes;
mod m20261215_000020_release_marks;
mod m20261216_000021_cooperative_listing_status;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_catalog::Migration),
            Box::new(m20261124_000002_accounts::Migration),
            Box::new(m20261125_000003_producer_tools::Migration),
            Box::new(m20261126_000004_cooperative_members::Migration),
            Box::new(m20261201_000005_bookings::Migration),
            Box::new(m20261202_000006_booking_rules::Migration),
            Box::new(m20261203_000007_orders::Migration),
            Box::new(m20261204_000008_revenue::Migration),
            Box::new(m20261206_000009_waiting_roles::Migration),
            Box::new(m20261206_000010_order_keys::Migration),
            Box::new(m20261206_000011_visitor_starts::Migration),
            Box::new(m20261207_000012_withdrawn_bookings::Migration),
            Box::new(m20261208_000013_claims::Migration),
            Box::new(m20261209_000014_public_totals::Migration),
            Box::new(m20261210_000015_search_index::Migration),
            Box::new(m20261211_000016_posting_item_index::Migration),
            Box::new(m20261212_000017_search_entry_count::Migration),
            Box::new(m20261213_000018_search_terms_by_field::Migration),
            Box::new(m20261214_000019_name_indexes::Migration),
            Box::new(m20261215_000020_release_marks::Migration),
            Box::new(m20261216_000021_cooperative_listing_status::Migration),
        ]
    }
}
