//! `cultural_event` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cultural_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub listing_id: i32,
    pub starts_at: DateTime,
    pub ends_at: DateTime,
    pub venue_es: Option<String>,
    pub venue_en: Option<String>,
    pub is_free: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::listing::Entity",
        from = "Column::ListingId",
        to = "super::listing::Column::Id"
    )]
    Listing,
}

impl ActiveModelBehavior for ActiveModel {}
