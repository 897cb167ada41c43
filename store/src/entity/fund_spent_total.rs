//! `fund_spent_total` table: see the public totals migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_spent_total")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub community_id: i32,
    /// `YYYY-MM` or `all` (`domain::money::public_totals`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub period: String,
    pub centavos: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
