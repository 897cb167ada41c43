//! `journal_entry` table. One journal entry of the ledger: what happened, once. See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `domain::money::ledger::EntryKind::code`.
    pub kind: String,
    #[sea_orm(unique)]
    pub source: String,
    pub order_id: Option<i32>,
    pub cooperative_id: Option<i32>,
    pub community_id: Option<i32>,
    pub memo: Option<String>,
    pub actor_account_id: Option<i32>,
    pub at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
