//! `member_payment` table. What a cooperative paid one of its members. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_payment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cooperative_id: i32,
    pub producer_id: i32,
    pub amount_centavos: i64,
    pub currency: String,
    /// cash or spei.
    pub method: String,
    pub reference: Option<String>,
    pub paid_on: Date,
    pub entry_id: i32,
    pub recorded_by: Option<i32>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
