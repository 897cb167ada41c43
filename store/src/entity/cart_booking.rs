//! `cart_booking` table. A held booking in a cart. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cart_booking")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cart_id: i32,
    #[sea_orm(unique)]
    pub booking_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
