//! `fund_spending` table. Money a community fund spent on an approved project. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_spending")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub proposal_id: i32,
    pub community_id: i32,
    pub amount_centavos: i64,
    pub currency: String,
    pub note: String,
    pub receipt_photo: Option<String>,
    pub spent_on: Date,
    pub entry_id: i32,
    pub recorded_by: Option<i32>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
