//! A listing's schedule: its booking rules and its opening rules (weekly times,
//! extra dated times or event sessions, closed days), and the dated slots made from
//! them for the horizon (`materialize`). Slots are rows, not computed on the fly,
//! because each one counts its own places; making them again is safe at any time:
//! missing ones are added, and ones the rules no longer give are removed only if
//! nobody ever booked them (a booked slot stays until its producer cancels it).

use crate::entity::{booking, booking_rule, listing, schedule_rule, tour_slot};
use crate::{StoreError, booking::slots};
use chrono::{NaiveDateTime, NaiveTime, Weekday};
use domain::ListingKind;
pub use domain::booking::schedule::OpeningRule;
use domain::booking::schedule::{Schedule, WeeklyRule};
use domain::booking::slot::{BookingRules, ScheduleView};
use domain::clock::SiteTime;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use std::collections::{BTreeMap, BTreeSet};

const WEEKLY: &str = "weekly";
const EXTRA: &str = "extra";
const CLOSED: &str = "closed";

fn parse_rule(row: &schedule_rule::Model) -> Result<OpeningRule, StoreError> {
    let bad = || StoreError::BadValue {
        table: "schedule_rule",
        column: "kind",
        value: format!("{} #{}", row.kind, row.id),
    };
    let time = || {
        row.starts
            .as_deref()
            .and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok())
    };
    Ok(match row.kind.as_str() {
        WEEKLY => OpeningRule::Weekly {
            weekday: row
                .weekday
                .and_then(|w| u32::try_from(w).ok())
                .ok_or_else(bad)?,
            starts: time().ok_or_else(bad)?,
        },
        EXTRA => OpeningRule::Extra {
            at: row
                .on_date
                .ok_or_else(bad)?
                .and_time(time().ok_or_else(bad)?),
        },
        CLOSED => OpeningRule::Closed {
            on: row.on_date.ok_or_else(bad)?,
        },
        _ => return Err(bad()),
    })
}

/// Adds opening rule `rule` to listing `listing_id`.
pub async fn add_rule(
    db: &impl ConnectionTrait,
    listing_id: i32,
    rule: &OpeningRule,
) -> Result<i32, StoreError> {
    let hhmm = |t: NaiveTime| t.format("%H:%M").to_string();
    let (kind, weekday, on_date, starts) = match rule {
        OpeningRule::Weekly { weekday, starts } => (
            WEEKLY,
            Some(i32::try_from(*weekday).unwrap_or(1)),
            None,
            Some(hhmm(*starts)),
        ),
        OpeningRule::Extra { at } => (EXTRA, None, Some(at.date()), Some(hhmm(at.time()))),
        OpeningRule::Closed { on } => (CLOSED, None, Some(*on), None),
    };
    let row = schedule_rule::ActiveModel {
        listing_id: Set(listing_id),
        kind: Set(kind.to_owned()),
        weekday: Set(weekday),
        on_date: Set(on_date),
        starts: Set(starts),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// Removes opening rule `id` of listing `listing_id`; whether there was one.
pub async fn remove_rule(
    db: &impl ConnectionTrait,
    listing_id: i32,
    id: i32,
) -> Result<bool, StoreError> {
    let gone = schedule_rule::Entity::delete_many()
        .filter(schedule_rule::Column::Id.eq(id))
        .filter(schedule_rule::Column::ListingId.eq(listing_id))
        .exec(db)
        .await?;
    Ok(gone.rows_affected == 1)
}

/// The opening rules of listing `listing_id`, with their ids.
pub async fn rules(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<Vec<(i32, OpeningRule)>, StoreError> {
    schedule_rule::Entity::find()
        .filter(schedule_rule::Column::ListingId.eq(listing_id))
        .order_by_asc(schedule_rule::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|r| Ok((r.id, parse_rule(r)?)))
        .collect()
}

/// Writes the booking rules of listing `listing_id`; `calendar_token` is used if the
/// listing had none yet.
pub async fn save_booking_rules(
    db: &impl ConnectionTrait,
    listing_id: i32,
    rules: &BookingRules,
    calendar_token: &str,
) -> Result<(), StoreError> {
    let n = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
    let existing = booking_rule::Entity::find_by_id(listing_id).one(db).await?;
    let mut row = booking_rule::ActiveModel {
        listing_id: Set(listing_id),
        capacity: Set(n(rules.capacity)),
        min_party: Set(n(rules.party.min)),
        max_party: Set(n(rules.party.max)),
        cutoff_hours: Set(n(rules.cutoff_hours)),
        horizon_days: Set(n(rules.horizon_days)),
        policy: Set(rules.policy.code().to_owned()),
        bring_es: Set(rules.bring.es.clone()),
        bring_en: Set(rules.bring.en.clone()),
        calendar_token: Set(calendar_token.to_owned()),
    };
    match existing {
        Some(old) => {
            row.calendar_token = Set(old.calendar_token);
            row.update(db).await?;
        }
        None => {
            row.insert(db).await?;
        }
    }
    Ok(())
}

/// How many slots making them again added and removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Materialized {
    pub added: usize,
    pub removed: usize,
}

/// Makes the slots of listing `listing_id` from its rules, from `now` (local time in
/// central Mexico) to its horizon.
pub async fn materialize(
    db: &impl ConnectionTrait,
    listing_id: i32,
    now: SiteTime,
) -> Result<Materialized, StoreError> {
    let Some(l) = listing::Entity::find_by_id(listing_id).one(db).await? else {
        return Ok(Materialized::default());
    };
    let kind = crate::rows::kind(&l.kind)?;
    if kind == ListingKind::Craft {
        return Ok(Materialized::default());
    }
    let Some(b) = slots::bookable(db, listing_id, kind).await? else {
        return Ok(Materialized::default());
    };
    let timezone = b
        .zone
        .parse::<chrono_tz::Tz>()
        .map_err(|_| StoreError::BadValue {
            table: "community",
            column: "timezone",
            value: b.zone.clone(),
        })?;
    let mut weekly: BTreeMap<u32, Vec<NaiveTime>> = BTreeMap::new();
    let mut closed = BTreeSet::new();
    let mut extra = Vec::new();
    for (_, rule) in rules(db, listing_id).await? {
        match rule {
            OpeningRule::Weekly { weekday, starts } => {
                weekly.entry(weekday).or_default().push(starts)
            }
            OpeningRule::Extra { at } => extra.push(at),
            OpeningRule::Closed { on } => {
                closed.insert(on);
            }
        }
    }
    let schedule = Schedule {
        timezone,
        rules: weekly
            .into_iter()
            .filter_map(|(day, starts)| {
                let weekday = Weekday::try_from(u8::try_from(day.checked_sub(1)?).ok()?).ok()?;
                Some(WeeklyRule { weekday, starts })
            })
            .collect(),
        closed,
        extra,
        horizon_days: b.rules.horizon_days,
    };
    let local_now = slots::now_in(&b.zone, now);
    let wanted: BTreeSet<NaiveDateTime> = schedule
        .slots(local_now.date())
        .into_iter()
        .map(|s| s.local)
        .filter(|at| *at > local_now)
        .collect();
    let existing = tour_slot::Entity::find()
        .filter(tour_slot::Column::ListingId.eq(listing_id))
        .filter(tour_slot::Column::StartsAt.gt(local_now))
        .all(db)
        .await?;
    let have: BTreeSet<NaiveDateTime> = existing.iter().map(|s| s.starts_at).collect();
    let mut done = Materialized::default();
    let capacity = i32::try_from(b.rules.capacity).unwrap_or(i32::MAX);
    let new: Vec<tour_slot::ActiveModel> = wanted
        .difference(&have)
        .map(|at| tour_slot::ActiveModel {
            listing_id: Set(listing_id),
            starts_at: Set(*at),
            capacity: Set(capacity),
            places_taken: Set(0),
            ..Default::default()
        })
        .collect();
    done.added = new.len();
    if !new.is_empty() {
        tour_slot::Entity::insert_many(new).exec(db).await?;
    }
    for slot in existing.iter().filter(|s| !wanted.contains(&s.starts_at)) {
        let booked = booking::Entity::find()
            .filter(booking::Column::SlotId.eq(slot.id))
            .count(db)
            .await?;
        let waiting = crate::entity::waitlist_entry::Entity::find()
            .filter(crate::entity::waitlist_entry::Column::SlotId.eq(slot.id))
            .count(db)
            .await?;
        if booked == 0 && waiting == 0 && slot.cancelled_at.is_none() {
            tour_slot::Entity::delete_by_id(slot.id).exec(db).await?;
            done.removed += 1;
        }
    }
    Ok(done)
}

/// Makes the slots of every published tour and event again: run daily, so the
/// horizon moves forward with the calendar.
pub async fn materialize_all(
    db: &impl ConnectionTrait,
    now: SiteTime,
) -> Result<Materialized, StoreError> {
    let ids: Vec<i32> = listing::Entity::find()
        .filter(listing::Column::Kind.is_in([ListingKind::Tour.code(), ListingKind::Event.code()]))
        .filter(listing::Column::Status.eq(domain::ListingStatus::Published.code()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let mut total = Materialized::default();
    for id in ids {
        let m = materialize(db, id, now).await?;
        total.added += m.added;
        total.removed += m.removed;
    }
    Ok(total)
}

/// The schedule page of listing `id` (a tour or an event); `None` otherwise.
pub async fn view(
    db: &impl ConnectionTrait,
    id: i32,
    now: SiteTime,
) -> Result<Option<ScheduleView>, StoreError> {
    let Some(l) = listing::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let kind = crate::rows::kind(&l.kind)?;
    if kind == ListingKind::Craft || l.status == domain::ListingStatus::Deleted.code() {
        return Ok(None);
    }
    let Some(b) = slots::bookable(db, id, kind).await? else {
        return Ok(None);
    };
    Ok(Some(ScheduleView {
        listing_id: id,
        kind,
        title: crate::rows::text(&l.title_es, &l.title_en),
        producer_id: l.producer_id,
        cooperative_id: l.cooperative_id,
        rules: b.rules,
        tickets: crate::catalog::tickets::of_listing(db, id).await?,
        opening: rules(db, id).await?,
        slots: slots::calendar(db, id, kind, now, SLOTS_SHOWN_DAYS).await?,
    }))
}

/// How many days of slots the schedule page lists.
const SLOTS_SHOWN_DAYS: i64 = 60;

/// Saves listing `id`'s booking rules, gives its coming slots the new capacity
/// (never less than what they have sold or held), and makes its slots again.
pub async fn change_booking_rules(
    db: &DatabaseConnection,
    id: i32,
    rules: &BookingRules,
    calendar_token: &str,
    now: SiteTime,
) -> Result<Materialized, StoreError> {
    let now = now.naive();
    let txn = crate::db::write_transaction(db).await?;
    save_booking_rules(&txn, id, rules, calendar_token).await?;
    let capacity = i32::try_from(rules.capacity).unwrap_or(i32::MAX);
    tour_slot::Entity::update_many()
        .col_expr(tour_slot::Column::Capacity, Expr::val(capacity))
        .filter(tour_slot::Column::ListingId.eq(id))
        .filter(tour_slot::Column::StartsAt.gt(now))
        .filter(tour_slot::Column::CancelledAt.is_null())
        .filter(tour_slot::Column::PlacesTaken.lte(capacity))
        .exec(&txn)
        .await?;
    let made = materialize(&txn, id, SiteTime::from_naive(now)).await?;
    txn.commit().await?;
    Ok(made)
}

/// Adds opening rule `rule` to listing `id` and makes its slots again.
pub async fn add_opening(
    db: &DatabaseConnection,
    id: i32,
    rule: &OpeningRule,
    now: SiteTime,
) -> Result<Materialized, StoreError> {
    let txn = crate::db::write_transaction(db).await?;
    add_rule(&txn, id, rule).await?;
    let made = materialize(&txn, id, now).await?;
    txn.commit().await?;
    Ok(made)
}

/// Removes opening rule `rule` of listing `id` and makes its slots again (booked
/// slots stay); `None` if it had no such rule.
pub async fn remove_opening(
    db: &DatabaseConnection,
    id: i32,
    rule: i32,
    now: SiteTime,
) -> Result<Option<Materialized>, StoreError> {
    let txn = crate::db::write_transaction(db).await?;
    if !remove_rule(&txn, id, rule).await? {
        return Ok(None);
    }
    let made = materialize(&txn, id, now).await?;
    txn.commit().await?;
    Ok(Some(made))
}

/// Sets how many places of each ticket type of listing `id` a date may have (`None`:
/// no limit but the date's own).
pub async fn set_ticket_limits(
    db: &DatabaseConnection,
    id: i32,
    limits: &[(String, Option<u32>)],
) -> Result<(), StoreError> {
    let txn = crate::db::write_transaction(db).await?;
    for (code, limit) in limits {
        let limit = limit.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        crate::entity::ticket_type::Entity::update_many()
            .col_expr(
                crate::entity::ticket_type::Column::LimitPerSlot,
                Expr::val(limit),
            )
            .filter(crate::entity::ticket_type::Column::ListingId.eq(id))
            .filter(crate::entity::ticket_type::Column::Code.eq(code.as_str()))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
