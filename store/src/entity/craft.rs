//! `craft` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "craft")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub listing_id: i32,
    pub stock: i32,
    pub materials_es: Option<String>,
    pub materials_en: Option<String>,
    pub technique_es: Option<String>,
    pub technique_en: Option<String>,
    pub width_cm: Option<i32>,
    pub height_cm: Option<i32>,
    pub depth_cm: Option<i32>,
    pub made_to_order: bool,
    pub lead_days: Option<i32>,
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
