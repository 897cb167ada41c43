//! Each cooperative's split rule, in numbered versions: a change makes a new version,
//! and a sale keeps the version it was paid under.

use crate::StoreError;
use crate::entity::split_rule;
use crate::rows;
use chrono::NaiveDateTime;
use domain::clock::SiteTime;
use domain::money::split::{Recipient, SplitRule};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

/// Days after shipping when a part nobody marked delivered counts as delivered.
pub const RELEASE_DAYS_AFTER_SHIPPING: u32 = 14;

/// One version of a cooperative's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersion {
    pub id: i32,
    pub version: i32,
    pub rule: SplitRule,
    pub release_days_after_shipping: u32,
    pub created_at: NaiveDateTime,
}

fn points(v: i32) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| rows::bad("split_rule", "points", &v.to_string()))
}

pub(crate) fn version_of(row: split_rule::Model) -> Result<RuleVersion, StoreError> {
    let bad = |col, v: &str| rows::bad("split_rule", col, v);
    let rule = SplitRule {
        producer_points: points(row.producer_points)?,
        cooperative_points: points(row.cooperative_points)?,
        fund_points: points(row.fund_points)?,
        platform_points: points(row.platform_points)?,
        fees_carried_by: Recipient::parse(&row.fees_carried_by)
            .ok_or_else(|| bad("fees_carried_by", &row.fees_carried_by))?,
        advance_points: points(row.advance_points)?,
    }
    .parse()
    .map_err(|e| bad("producer_points", &e.to_string()))?;
    Ok(RuleVersion {
        id: row.id,
        version: row.version,
        rule,
        release_days_after_shipping: u32::try_from(row.release_days_after_shipping)
            .map_err(|_| bad("release_days_after_shipping", "negative"))?,
        created_at: row.created_at,
    })
}

/// The rule in force for `cooperative`: its newest version, or (for a cooperative
/// that never set one) Tianguis's default, written down as its version 1 so that a
/// sale can say which rule it used.
pub async fn in_force(
    txn: &impl ConnectionTrait,
    cooperative: i32,
    now: SiteTime,
) -> Result<RuleVersion, StoreError> {
    let now = now.naive();
    if let Some(row) = split_rule::Entity::find()
        .filter(split_rule::Column::CooperativeId.eq(cooperative))
        .order_by_desc(split_rule::Column::Version)
        .one(txn)
        .await?
    {
        return version_of(row);
    }
    write(
        txn,
        cooperative,
        1,
        &SplitRule::DEFAULT,
        RELEASE_DAYS_AFTER_SHIPPING,
        None,
        now,
    )
    .await
}

/// Every version of `cooperative`'s rule, newest first.
pub async fn history(
    db: &impl ConnectionTrait,
    cooperative: i32,
) -> Result<Vec<RuleVersion>, StoreError> {
    split_rule::Entity::find()
        .filter(split_rule::Column::CooperativeId.eq(cooperative))
        .order_by_desc(split_rule::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(version_of)
        .collect()
}

/// Puts `rule` in force for `cooperative` from now on, as its next version.
pub async fn set(
    txn: &impl ConnectionTrait,
    cooperative: i32,
    rule: &SplitRule,
    release_days_after_shipping: u32,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<RuleVersion, StoreError> {
    let now = now.naive();
    let current = in_force(txn, cooperative, SiteTime::from_naive(now)).await?;
    write(
        txn,
        cooperative,
        current.version + 1,
        rule,
        release_days_after_shipping,
        actor,
        now,
    )
    .await
}

async fn write(
    txn: &impl ConnectionTrait,
    cooperative: i32,
    version: i32,
    rule: &SplitRule,
    release_days_after_shipping: u32,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<RuleVersion, StoreError> {
    let as_int = |p: u32| i32::try_from(p).unwrap_or(i32::MAX);
    let row = split_rule::ActiveModel {
        cooperative_id: Set(cooperative),
        version: Set(version),
        producer_points: Set(as_int(rule.producer_points)),
        cooperative_points: Set(as_int(rule.cooperative_points)),
        fund_points: Set(as_int(rule.fund_points)),
        platform_points: Set(as_int(rule.platform_points)),
        fees_carried_by: Set(rule.fees_carried_by.code().to_owned()),
        advance_points: Set(as_int(rule.advance_points)),
        release_days_after_shipping: Set(as_int(release_days_after_shipping)),
        created_by: Set(actor),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    version_of(row)
}
