//! `journal_posting` table. One posting of a journal entry (debits positive). See the revenue migration.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_posting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    /// `domain::money::ledger::AccountKind::code`.
    pub account_kind: String,
    pub account_owner: Option<i32>,
    pub centavos: i64,
    pub currency: String,
    pub order_id: Option<i32>,
    /// `line` or `shipping`.
    pub item_kind: Option<String>,
    pub item_id: Option<i32>,
    pub cooperative_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
