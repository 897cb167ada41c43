//! `shipping_rate` table. A cooperative's own shipping rates (`domain::commerce::shipping::ShippingRates`). See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipping_rate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cooperative_id: i32,
    pub ships: bool,
    pub flat_centavos: i64,
    pub per_item_centavos: i64,
    pub free_above_centavos: Option<i64>,
    pub pickup: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
