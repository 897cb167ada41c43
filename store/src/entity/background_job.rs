//! `background_job` table: see the migration for what each column means.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "background_job")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub held_by: Option<String>,
    pub lease_until: Option<DateTime>,
    pub next_run_at: Option<DateTime>,
    pub last_done_at: Option<DateTime>,
    pub last_done_by: Option<String>,
    pub rounds: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
