//! `orders` table. An order: what a buyer pays for at once (`domain::commerce::order`). See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub account_id: Option<i32>,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub lang: String,
    /// `domain::commerce::order::OrderStatus::code`.
    pub status: String,
    pub currency: String,
    pub goods_centavos: i64,
    pub shipping_centavos: i64,
    pub total_centavos: i64,
    pub refunded_centavos: i64,
    pub street: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub address_notes: Option<String>,
    /// Until when the payment may arrive (the site's clock: local time).
    pub pay_by: DateTime,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    pub paid_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
