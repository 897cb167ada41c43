//! `split_rule` table. A cooperative's split rule, one version of it. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "split_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cooperative_id: i32,
    pub version: i32,
    pub producer_points: i32,
    pub cooperative_points: i32,
    pub fund_points: i32,
    pub platform_points: i32,
    /// `domain::money::split::Recipient::code`.
    pub fees_carried_by: String,
    pub advance_points: i32,
    pub release_days_after_shipping: i32,
    pub created_by: Option<i32>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
