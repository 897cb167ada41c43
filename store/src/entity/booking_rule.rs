//! `booking_rule` table: see the booking rules migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "booking_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub listing_id: i32,
    pub capacity: i32,
    pub min_party: i32,
    pub max_party: i32,
    pub cutoff_hours: i32,
    pub horizon_days: i32,
    /// `domain::booking::CancellationPolicy::code`.
    pub policy: String,
    pub bring_es: Option<String>,
    pub bring_en: Option<String>,
    #[sea_orm(unique)]
    pub calendar_token: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
