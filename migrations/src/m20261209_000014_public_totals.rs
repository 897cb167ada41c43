//! Public totals that do not grow with history (issue 23): what each cooperative's
//! sales gave its artisans and guides and its community's fund (`sales_total`), and
//! what each community's fund spent on projects (`fund_spent_total`), as running sums
//! per month of the site's calendar (`2026-12`) and for all time (`all`). They are
//! added to in the transaction of each journal entry and spending, so a public page
//! reads a few rows however long the ledger is. This migration sums what the ledger
//! already holds.

use crate::helpers::cascade;
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261209_000014_public_totals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SalesTotal::Table)
                .col(integer(SalesTotal::CooperativeId))
                // `YYYY-MM` in the site's calendar, or `all`.
                .col(string(SalesTotal::Period))
                // Sales less refunds, as owed to the recipients (positive when given).
                .col(big_integer(SalesTotal::ToProducersCentavos).default(0))
                .col(big_integer(SalesTotal::ToFundCentavos).default(0))
                .primary_key(
                    Index::create()
                        .col(SalesTotal::CooperativeId)
                        .col(SalesTotal::Period),
                )
                .foreign_key(&mut cascade(
                    SalesTotal::Table,
                    SalesTotal::CooperativeId,
                    Cooperative::Table,
                    Cooperative::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(FundSpentTotal::Table)
                .col(integer(FundSpentTotal::CommunityId))
                .col(string(FundSpentTotal::Period))
                .col(big_integer(FundSpentTotal::Centavos).default(0))
                .primary_key(
                    Index::create()
                        .col(FundSpentTotal::CommunityId)
                        .col(FundSpentTotal::Period),
                )
                .foreign_key(&mut cascade(
                    FundSpentTotal::Table,
                    FundSpentTotal::CommunityId,
                    Community::Table,
                    Community::Id,
                ))
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        let month = |column: &str| match db.get_database_backend() {
            sea_orm_migration::sea_orm::DbBackend::Postgres => {
                format!("to_char({column}, 'YYYY-MM')")
            }
            _ => format!("substr({column}, 1, 7)"),
        };
        // The shares as `domain::money::public_totals::sales_shares` counts them:
        // postings of sales and refunds to producers' accounts and to the fund of the
        // cooperative's own community; all five accounts are owed (credit) accounts.
        let shares = "-SUM(CASE WHEN p.account_kind IN \
              ('producer_pending', 'producer_available', 'producer_at_cooperative') \
              THEN p.centavos ELSE 0 END), \
            -SUM(CASE WHEN p.account_kind IN ('fund_pending', 'fund_available') \
              AND p.account_owner = c.community_id THEN p.centavos ELSE 0 END)";
        let sold = "FROM journal_posting p \
            JOIN journal_entry e ON e.id = p.entry_id \
            JOIN cooperative c ON c.id = p.cooperative_id \
            WHERE e.kind IN ('sale', 'refund', 'refund_owed')";
        let into = "INSERT INTO sales_total \
            (cooperative_id, period, to_producers_centavos, to_fund_centavos)";
        let e_month = month("e.at");
        db.execute_unprepared(&format!(
            "{into} SELECT p.cooperative_id, {e_month}, {shares} {sold} \
             GROUP BY p.cooperative_id, {e_month}"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "{into} SELECT p.cooperative_id, 'all', {shares} {sold} GROUP BY p.cooperative_id"
        ))
        .await?;
        let s_month = month("created_at");
        db.execute_unprepared(&format!(
            "INSERT INTO fund_spent_total (community_id, period, centavos) \
             SELECT community_id, {s_month}, SUM(amount_centavos) FROM fund_spending \
             GROUP BY community_id, {s_month}"
        ))
        .await?;
        db.execute_unprepared(
            "INSERT INTO fund_spent_total (community_id, period, centavos) \
             SELECT community_id, 'all', SUM(amount_centavos) FROM fund_spending \
             GROUP BY community_id",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FundSpentTotal::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SalesTotal::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SalesTotal {
    Table,
    CooperativeId,
    Period,
    ToProducersCentavos,
    ToFundCentavos,
}

#[derive(DeriveIden)]
enum FundSpentTotal {
    Table,
    CommunityId,
    Period,
    Centavos,
}

#[derive(DeriveIden)]
enum Cooperative {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Community {
    Table,
    Id,
}
