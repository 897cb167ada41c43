//! `payout_event` table. A move of a payout. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payout_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub payout_id: i32,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub actor_account_id: Option<i32>,
    pub note: Option<String>,
    pub at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
