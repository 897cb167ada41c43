//! `schedule_rule` table: see the booking rules migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schedule_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    /// `weekly`, `extra` or `closed`.
    pub kind: String,
    pub weekday: Option<i32>,
    pub on_date: Option<Date>,
    /// `HH:MM`, local time.
    pub starts: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
