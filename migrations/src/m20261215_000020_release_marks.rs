//! The shares still waiting for their release are found by an index (issue 23): each
//! order line of a booking and each order part gets `settled_at`, when its held share
//! stopped waiting (released, or its booking cancelled or expired, so nothing is left
//! to release). The release round, once a minute on every server, read every slot that
//! had ever begun, their bookings, lines and release entries, inside a write
//! transaction: 50–60 ms at the bench's million postings, growing with history. It now
//! reads only what has not settled. Lines and parts released before this migration are
//! marked from their release entries; cancelled bookings' lines are marked by the
//! first round.

use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261215_000020_release_marks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(OrderLine::Table)
                .add_column(date_time_null(OrderLine::SettledAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrderPart::Table)
                .add_column(date_time_null(OrderPart::SettledAt))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        db.execute_unprepared(
            "UPDATE order_line SET settled_at = (SELECT e.at FROM journal_entry e \
             WHERE e.source = 'release:line:' || order_line.id) \
             WHERE booking_id IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE order_part SET settled_at = (SELECT e.at FROM journal_entry e \
             WHERE e.source = 'release:part:' || order_part.id)",
        )
        .await?;
        // The lines of bookings still waiting: `settled_at IS NULL AND booking_id IS
        // NOT NULL` is one range of this index (a craft's line has no booking).
        db.execute_unprepared(
            "CREATE INDEX idx_order_line_waiting ON order_line (settled_at, booking_id)",
        )
        .await?;
        // The parts shipped and not yet released.
        db.execute_unprepared(
            "CREATE INDEX idx_order_part_waiting ON order_part (status, settled_at)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DROP INDEX idx_order_part_waiting")
            .await?;
        db.execute_unprepared("DROP INDEX idx_order_line_waiting")
            .await?;
        m.alter_table(
            Table::alter()
                .table(OrderPart::Table)
                .drop_column(OrderPart::SettledAt)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OrderLine::Table)
                .drop_column(OrderLine::SettledAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum OrderLine {
    Table,
    SettledAt,
}

#[derive(DeriveIden)]
enum OrderPart {
    Table,
    SettledAt,
}
