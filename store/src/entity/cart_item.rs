//! `cart_item` table. A craft in a cart, with how many. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cart_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cart_id: i32,
    pub listing_id: i32,
    pub quantity: i32,
    pub added_at: DateTime,
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

impl Related<super::listing::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Listing.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
