//! `order_line` table. A craft or a booking in an order part, at the price it was sold for. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub part_id: i32,
    pub listing_id: i32,
    pub booking_id: Option<i32>,
    pub title: String,
    pub quantity: i32,
    pub unit_centavos: i64,
    pub total_centavos: i64,
    pub took_stock: bool,
    /// When its booking was cancelled before the order was paid: no longer sold.
    pub withdrawn_at: Option<DateTime>,
    /// A booking's line: when its held share stopped waiting for the release round
    /// (released, or its booking cancelled or expired). See the release marks migration.
    pub settled_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
