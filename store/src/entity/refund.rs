//! `refund` table. A refund of some or all of a payment. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refund")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub payment_id: i32,
    pub order_id: i32,
    pub part_id: Option<i32>,
    pub booking_id: Option<i32>,
    pub amount_centavos: i64,
    pub currency: String,
    /// `domain::commerce::payment::RefundStatus::code`.
    pub status: String,
    pub reason: String,
    pub provider_ref: Option<String>,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub manual_reference: Option<String>,
    pub asked_by: Option<i32>,
    /// Money that came for bookings cancelled before the order was paid, going
    /// back: never part of the sale (not in the ledger, not in the order's refunded).
    pub for_withdrawn: bool,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
