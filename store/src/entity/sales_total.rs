//! `sales_total` table: see the public totals migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sales_total")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cooperative_id: i32,
    /// `YYYY-MM` or `all` (`domain::money::public_totals`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub to_producers_centavos: i64,
    pub to_fund_centavos: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
