//! `payment` table. An order's payment at its provider (a PaymentIntent, or the simulated one). See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub order_id: i32,
    pub provider: String,
    pub provider_ref: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    /// `domain::commerce::payment::ProviderState::code` as last read, or `creating`.
    pub status: String,
    pub method: Option<String>,
    pub amount_centavos: i64,
    pub currency: String,
    pub received_centavos: i64,
    pub last_error: Option<String>,
    pub voucher_number: Option<String>,
    pub voucher_url: Option<String>,
    pub voucher_expires_at: Option<DateTime>,
    pub client_secret: Option<String>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    pub checked_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
