//! `tour` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tour")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub listing_id: i32,
    pub duration_minutes: i32,
    pub meeting_point_es: Option<String>,
    pub meeting_point_en: Option<String>,
    /// Comma-separated ISO 639 codes.
    pub languages: String,
    pub max_group_size: i32,
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
