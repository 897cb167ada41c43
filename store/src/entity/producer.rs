//! `producer` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "producer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub cooperative_id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// `artisan` or `guide`.
    pub role: String,
    pub bio_es: Option<String>,
    pub bio_en: Option<String>,
    pub specialty_es: Option<String>,
    pub specialty_en: Option<String>,
    /// Profile photo: media key and size of its widest rendition.
    pub photo_key: Option<String>,
    pub photo_width: Option<i32>,
    pub photo_height: Option<i32>,
    /// When the producer left the cooperative (no longer shown as a member).
    pub left_at: Option<DateTime>,
    /// Secret of the guide's calendar feed, made when first asked for.
    pub calendar_token: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
