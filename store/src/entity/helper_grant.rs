//! `helper_grant` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "helper_grant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub helper_account_id: i32,
    pub producer_id: i32,
    pub granted_by: i32,
    pub created_at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::producer::Entity",
        from = "Column::ProducerId",
        to = "super::producer::Column::Id"
    )]
    Producer,
}

impl Related<super::producer::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Producer.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
