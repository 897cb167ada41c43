//! `slot_ticket` table: see the booking rules migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot_ticket")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub ticket_code: String,
    /// Places of this ticket type held or sold on the slot.
    pub taken: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
