//! `listing` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "listing")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `craft`, `tour` or `event`.
    pub kind: String,
    #[sea_orm(unique)]
    pub slug: String,
    pub cooperative_id: i32,
    pub producer_id: Option<i32>,
    pub category: String,
    pub title_es: Option<String>,
    pub title_en: Option<String>,
    pub summary_es: Option<String>,
    pub summary_en: Option<String>,
    pub description_es: Option<String>,
    pub description_en: Option<String>,
    pub price_from_centavos: i64,
    pub currency: String,
    pub search_text: String,
    pub published: bool,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
