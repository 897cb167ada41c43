//! `listing_event` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub listing_id: i32,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub actor_account_id: i32,
    pub on_behalf_of_producer_id: Option<i32>,
    pub at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
