//! `order_part` table. One cooperative's part of an order. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_part")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub cooperative_id: i32,
    /// `domain::commerce::order::PartStatus::code`.
    pub status: String,
    /// `domain::commerce::order::Delivery::code`.
    pub delivery: String,
    pub goods_centavos: i64,
    pub shipping_centavos: i64,
    pub refunded_centavos: i64,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
    /// The split rule in force when the part was paid.
    pub split_rule_id: Option<i32>,
    pub updated_at: DateTime,
    /// When its crafts' and shipping's shares were released (delivered, collected, or
    /// shipped long enough ago). See the release marks migration.
    pub settled_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
