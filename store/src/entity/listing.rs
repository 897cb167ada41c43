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
    /// `draft`, `pending`, `published`, `rejected` or `deleted` (`domain::ListingStatus`).
    pub status: String,
    pub rejection_reason: Option<String>,
    pub created_at: DateTime,
    pub updated_at: Option<DateTime>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cooperative::Entity",
        from = "Column::CooperativeId",
        to = "super::cooperative::Column::Id"
    )]
    Cooperative,
    #[sea_orm(
        belongs_to = "super::producer::Entity",
        from = "Column::ProducerId",
        to = "super::producer::Column::Id"
    )]
    Producer,
}

impl Related<super::cooperative::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Cooperative.def()
    }
}

impl Related<super::producer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Producer.def()
    }
}

// A listing's details live in the table of its kind, keyed by the listing's id.
impl Related<super::craft::Entity> for Entity {
    fn to() -> RelationDef {
        super::craft::Relation::Listing.def().rev()
    }
}

impl Related<super::tour::Entity> for Entity {
    fn to() -> RelationDef {
        super::tour::Relation::Listing.def().rev()
    }
}

impl Related<super::cultural_event::Entity> for Entity {
    fn to() -> RelationDef {
        super::cultural_event::Relation::Listing.def().rev()
    }
}

impl ActiveModelBehavior for ActiveModel {}
