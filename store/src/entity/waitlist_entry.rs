//! `waitlist_entry` table: see the booking rules migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "waitlist_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub slot_id: i32,
    pub account_id: Option<i32>,
    pub email: String,
    pub name: String,
    pub lang: String,
    pub places: i32,
    /// `adult=2,child=1`.
    pub tickets: String,
    /// `waiting`, `offered`, `booked`, `lapsed` or `left`.
    pub status: String,
    pub token_hash: Option<String>,
    pub offered_until: Option<DateTime>,
    pub booking_id: Option<i32>,
    pub created_at: DateTime,
    pub updated_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
