//! The Tianguis schema. Migrations are the source of truth for the data model; the
//! sea-orm entities in `store` mirror them.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_catalog;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![Box::new(m20261123_000001_catalog::Migration)]
    }
}
