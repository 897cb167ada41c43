//! `payout` table. A payout to a cooperative. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payout")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cooperative_id: i32,
    /// `domain::money::payout::PayoutMethod::code`.
    pub method: String,
    /// `domain::money::payout::PayoutStatus::code`.
    pub status: String,
    pub amount_centavos: i64,
    pub currency: String,
    pub reference: Option<String>,
    pub paid_on: Option<Date>,
    pub last_error: Option<String>,
    pub entry_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
