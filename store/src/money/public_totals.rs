//! The public totals' running sums (`sales_total`, `fund_spent_total`): added to in
//! the transaction of each journal entry and fund spending, read by the cooperative's
//! and community's pages — a few rows, whatever the length of the history. What
//! counts is `domain::money::public_totals`; `finances::recounted_transparency` adds
//! the whole ledger up again, for the tests that check the two agree.

use crate::StoreError;
use crate::entity::{cooperative, fund_spent_total, sales_total};
use chrono::NaiveDateTime;
use domain::money::Money;
use domain::money::finances::{MoneyTotals, Transparency};
use domain::money::ledger::{EntryKind, Posting};
use domain::money::public_totals::{ALL_TIME, SalesShares, month_of, periods_shown, sales_shares};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use std::collections::BTreeMap;

/// Adds what an entry of `kind` posted at `at` gave each cooperative's artisans and
/// guides and community fund, in the entry's month and for all time.
pub(crate) async fn add_entry(
    txn: &impl ConnectionTrait,
    kind: EntryKind,
    postings: &[Posting],
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let coops: Vec<i32> = postings.iter().filter_map(|p| p.cooperative).collect();
    if coops.is_empty() || !domain::money::public_totals::counts_as_sold(kind) {
        return Ok(());
    }
    let communities: BTreeMap<i32, i32> = cooperative::Entity::find()
        .select_only()
        .columns([cooperative::Column::Id, cooperative::Column::CommunityId])
        .filter(cooperative::Column::Id.is_in(coops))
        .into_tuple::<(i32, i32)>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let shares = sales_shares(kind, postings, |coop| communities.get(&coop).copied());
    for (coop, share) in shares {
        for period in [month_of(at), ALL_TIME.to_owned()] {
            add_sales(txn, coop, period, share).await?;
        }
    }
    Ok(())
}

/// `sales_total += share`, made if it is the period's first.
async fn add_sales(
    txn: &impl ConnectionTrait,
    cooperative_id: i32,
    period: String,
    share: SalesShares,
) -> Result<(), StoreError> {
    use sales_total::Column::{CooperativeId, Period, ToFundCentavos, ToProducersCentavos};
    sales_total::Entity::insert(sales_total::ActiveModel {
        cooperative_id: Set(cooperative_id),
        period: Set(period),
        to_producers_centavos: Set(share.to_producers),
        to_fund_centavos: Set(share.to_fund),
    })
    .on_conflict(
        OnConflict::columns([CooperativeId, Period])
            .value(
                ToProducersCentavos,
                plus_excluded(sales_total::Entity, ToProducersCentavos),
            )
            .value(
                ToFundCentavos,
                plus_excluded(sales_total::Entity, ToFundCentavos),
            )
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Adds a spending of `centavos` by `community_id`'s fund, recorded at `at`.
pub(crate) async fn add_spending(
    txn: &impl ConnectionTrait,
    community_id: i32,
    centavos: i64,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    use fund_spent_total::Column::{Centavos, CommunityId, Period};
    for period in [month_of(at), ALL_TIME.to_owned()] {
        fund_spent_total::Entity::insert(fund_spent_total::ActiveModel {
            community_id: Set(community_id),
            period: Set(period),
            centavos: Set(centavos),
        })
        .on_conflict(
            OnConflict::columns([CommunityId, Period])
                .value(Centavos, plus_excluded(fund_spent_total::Entity, Centavos))
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// `table.column + excluded.column`: a running sum's upsert adds what it inserts.
fn plus_excluded<T, C>(table: T, column: C) -> Expr
where
    T: sea_orm::sea_query::IntoIden,
    C: sea_orm::sea_query::IntoIden + Copy,
{
    Expr::col((table, column)).add(Expr::col((Alias::new("excluded"), column)))
}

/// The public totals of `cooperatives` (one, or a community's) and of
/// `community_id`'s fund, for all time and the last 12 months before `now`.
pub(crate) async fn read(
    db: &impl ConnectionTrait,
    cooperatives: Condition,
    community_id: i32,
    now: NaiveDateTime,
) -> Result<Transparency, StoreError> {
    // The twelve months and all time, each by name: the tables' keys find them.
    let periods = periods_shown(now);
    let sales: Vec<(String, i64, i64)> = sales_total::Entity::find()
        .select_only()
        .columns([
            sales_total::Column::Period,
            sales_total::Column::ToProducersCentavos,
            sales_total::Column::ToFundCentavos,
        ])
        .filter(cooperatives)
        .filter(sales_total::Column::Period.is_in(periods.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let spent: Vec<(String, i64)> = fund_spent_total::Entity::find()
        .select_only()
        .columns([
            fund_spent_total::Column::Period,
            fund_spent_total::Column::Centavos,
        ])
        .filter(fund_spent_total::Column::CommunityId.eq(community_id))
        .filter(fund_spent_total::Column::Period.is_in(periods))
        .into_tuple()
        .all(db)
        .await?;
    // The `all` rows are the all-time sums; the others, months of the last 12.
    let totals = |all_time: bool| {
        let in_period = |period: &str| (period == ALL_TIME) == all_time;
        let (mut to_producers, mut to_fund, mut spent_on_projects) = (0, 0, 0);
        for (period, producers, fund) in &sales {
            if in_period(period) {
                to_producers += producers;
                to_fund += fund;
            }
        }
        for (period, centavos) in &spent {
            if in_period(period) {
                spent_on_projects += centavos;
            }
        }
        MoneyTotals {
            to_producers: Money::mxn(to_producers),
            to_fund: Money::mxn(to_fund),
            spent_on_projects: Money::mxn(spent_on_projects),
        }
    };
    Ok(Transparency {
        all_time: totals(true),
        last_12_months: totals(false),
    })
}
