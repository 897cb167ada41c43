//! `booking` table: see the bookings migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub slot_id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub secret_hash: String,
    pub account_id: Option<i32>,
    pub email: String,
    pub lang: String,
    pub name: String,
    /// `domain::booking::BookingStatus::code`.
    pub status: String,
    pub places: i32,
    pub total_centavos: i64,
    pub currency: String,
    pub held_until: Option<DateTime>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
    /// What the cancellation gives back (recorded; paid by the payments step).
    pub refund_centavos: Option<i64>,
    /// The order it is paid in, if any: the order decides when it is confirmed or let go.
    pub order_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::booking_line::Entity")]
    Lines,
    #[sea_orm(
        belongs_to = "super::tour_slot::Entity",
        from = "Column::SlotId",
        to = "super::tour_slot::Column::Id"
    )]
    Slot,
}

impl Related<super::tour_slot::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Slot.def()
    }
}

impl Related<super::booking_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Lines.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
