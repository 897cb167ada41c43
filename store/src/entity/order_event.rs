//! `order_event` table. Every move of an order or one of its parts, with when and who. See the orders migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub order_id: i32,
    pub part_id: Option<i32>,
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
