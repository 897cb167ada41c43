//! `simulated_payment` table. The simulated provider's own record of a payment (the demo's "Stripe"). See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "simulated_payment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub amount_centavos: i64,
    pub currency: String,
    pub status: String,
    pub method: Option<String>,
    pub last_error: Option<String>,
    pub voucher_number: Option<String>,
    pub voucher_expires_at: Option<DateTime>,
    pub refunded_centavos: i64,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
