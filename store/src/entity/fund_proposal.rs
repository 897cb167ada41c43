//! `fund_proposal` table. A project proposed to a community fund. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fund_proposal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub community_id: i32,
    pub proposed_by: i32,
    pub title_es: String,
    pub title_en: String,
    pub description_es: String,
    pub description_en: String,
    pub amount_centavos: i64,
    pub currency: String,
    /// `domain::money::fund::ProposalStatus::code`.
    pub status: String,
    pub voting_opens: DateTime,
    pub voting_closes: DateTime,
    pub decided_at: Option<DateTime>,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
