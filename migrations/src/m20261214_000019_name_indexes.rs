//! Communities and cooperatives by name, read by an index (issue 23): the home page
//! names the first twelve communities and `/cooperatives` shows fifty cooperatives a
//! page, and without an index each view read and sorted them all (208 communities and
//! 1,011 cooperatives in the bench's catalog).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261214_000019_name_indexes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("CREATE INDEX idx_community_name ON community (name)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_cooperative_name ON cooperative (name, id)")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX idx_cooperative_name")
            .await?;
        db.execute_unprepared("DROP INDEX idx_community_name")
            .await?;
        Ok(())
    }
}
