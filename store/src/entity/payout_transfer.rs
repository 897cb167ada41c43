//! `payout_transfer` table. One transfer of a payout, for one order. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payout_transfer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub payout_id: i32,
    pub order_id: Option<i32>,
    pub amount_centavos: i64,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub provider_ref: Option<String>,
    /// sending, sent, failed.
    pub status: String,
    pub last_error: Option<String>,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
