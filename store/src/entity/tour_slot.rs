//! `tour_slot` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tour_slot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    pub starts_at: DateTime,
    pub capacity: i32,
    /// Places of live holds and confirmed bookings (see the bookings migration).
    pub places_taken: i32,
    /// When its producer closed it to new bookings.
    pub closed_at: Option<DateTime>,
    /// When its producer called it off (its bookings were cancelled in full).
    pub cancelled_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
