//! Calendar feeds: each tour or event (`booking_rule.calendar_token`) and each guide
//! (`producer.calendar_token`) has a secret address whose feed lists the coming
//! slots with who booked them, for the guide's phone calendar. The secret is the
//! only key, so it is long and random; a guide's is made the first time they look.

use crate::entity::{
    booking, booking_rule, community, cooperative, cultural_event, listing, producer, tour,
    tour_slot,
};
use crate::{StoreError, rows};
use chrono::{Duration, NaiveDateTime, TimeZone};
use domain::booking::ical::FeedEvent;
use domain::clock::SiteTime;
use domain::{Lang, ListingKind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// How far ahead a feed lists slots (and how far back, for today's).
const FEED_DAYS: i64 = 90;
const FEED_PAST_DAYS: i64 = 1;

/// A feed's name and events.
pub struct Feed {
    pub name: String,
    pub events: Vec<FeedEvent>,
}

/// The feed whose secret is `token`, if any.
pub async fn by_token(
    db: &impl ConnectionTrait,
    token: &str,
    now: SiteTime,
) -> Result<Option<Feed>, StoreError> {
    let now = now.naive();
    if let Some(rule) = booking_rule::Entity::find()
        .filter(booking_rule::Column::CalendarToken.eq(token))
        .one(db)
        .await?
    {
        let Some(l) = listing::Entity::find_by_id(rule.listing_id).one(db).await? else {
            return Ok(None);
        };
        let name = rows::text(&l.title_es, &l.title_en)
            .show(Lang::Es)
            .text
            .to_owned();
        return Ok(Some(Feed {
            name,
            events: events_of(db, &[l], now).await?,
        }));
    }
    // A guide who left the cooperative takes no feed along.
    let Some(p) = producer::Entity::find()
        .filter(producer::Column::CalendarToken.eq(token))
        .filter(producer::Column::LeftAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let listings = listing::Entity::find()
        .filter(listing::Column::ProducerId.eq(p.id))
        .filter(listing::Column::Kind.is_in([ListingKind::Tour.code(), ListingKind::Event.code()]))
        .filter(
            Condition::any()
                .add(listing::Column::Status.eq(domain::ListingStatus::Published.code()))
                .add(listing::Column::Id.in_subquery(
                    crate::booking::slots::with_standing_bookings(
                        now - Duration::days(FEED_PAST_DAYS),
                    ),
                )),
        )
        .all(db)
        .await?;
    Ok(Some(Feed {
        name: p.name,
        events: events_of(db, &listings, now).await?,
    }))
}

/// A source of new feed secrets (`auth::token::new_token`).
pub type FreshToken<'a> = &'a (dyn Fn() -> String + Send + Sync);

/// Whose feeds get new secrets: the old addresses stop working at once.
#[derive(Debug, Default, Clone)]
pub struct Rotation {
    /// Every tour and event feed of these cooperatives.
    pub cooperatives: Vec<i32>,
    /// The tour and event feeds of these producers' listings.
    pub listings_of: Vec<i32>,
    /// These producers' own guide feeds (a new one is made when next looked at).
    pub guides: Vec<i32>,
}

/// Gives the feeds `rotation` names new secrets made by `fresh`; how many changed.
pub async fn rotate(
    db: &impl ConnectionTrait,
    rotation: &Rotation,
    fresh: FreshToken<'_>,
) -> Result<u64, StoreError> {
    let mut changed = 0;
    if !rotation.cooperatives.is_empty() || !rotation.listings_of.is_empty() {
        let listings: Vec<i32> = listing::Entity::find()
            .filter(
                Condition::any()
                    .add(
                        listing::Column::CooperativeId.is_in(rotation.cooperatives.iter().copied()),
                    )
                    .add(listing::Column::ProducerId.is_in(rotation.listings_of.iter().copied())),
            )
            .select_only()
            .column(listing::Column::Id)
            .into_tuple()
            .all(db)
            .await?;
        // A secret each: one UPDATE a feed (a cooperative has tens, not thousands).
        for id in listings {
            changed += booking_rule::Entity::update_many()
                .col_expr(booking_rule::Column::CalendarToken, Expr::val(fresh()))
                .filter(booking_rule::Column::ListingId.eq(id))
                .exec(db)
                .await?
                .rows_affected;
        }
    }
    if !rotation.guides.is_empty() {
        changed += producer::Entity::update_many()
            .col_expr(
                producer::Column::CalendarToken,
                Expr::val(Option::<String>::None),
            )
            .filter(producer::Column::Id.is_in(rotation.guides.iter().copied()))
            .filter(producer::Column::CalendarToken.is_not_null())
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(changed)
}

/// The secret of producer `id`'s feed, made from `fresh` if they had none.
pub async fn guide_token(
    db: &impl ConnectionTrait,
    id: i32,
    fresh: &str,
) -> Result<Option<String>, StoreError> {
    producer::Entity::update_many()
        .col_expr(producer::Column::CalendarToken, Expr::val(fresh))
        .filter(producer::Column::Id.eq(id))
        .filter(producer::Column::CalendarToken.is_null())
        .exec(db)
        .await?;
    Ok(producer::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|p| p.calendar_token))
}

async fn events_of(
    db: &impl ConnectionTrait,
    listings: &[listing::Model],
    now: NaiveDateTime,
) -> Result<Vec<FeedEvent>, StoreError> {
    let mut events = Vec::new();
    for l in listings {
        let coop = cooperative::Entity::find_by_id(l.cooperative_id)
            .one(db)
            .await?
            .ok_or_else(|| rows::missing("cooperative", l.cooperative_id))?;
        let zone = community::Entity::find_by_id(coop.community_id)
            .one(db)
            .await?
            .ok_or_else(|| rows::missing("community", coop.community_id))?
            .timezone;
        let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::America::Mexico_City);
        let (place, minutes) = match rows::kind(&l.kind)? {
            ListingKind::Tour => tour::Entity::find_by_id(l.id)
                .one(db)
                .await?
                .map(|t| {
                    (
                        rows::text(&t.meeting_point_es, &t.meeting_point_en),
                        i64::from(t.duration_minutes),
                    )
                })
                .unwrap_or_default(),
            _ => cultural_event::Entity::find_by_id(l.id)
                .one(db)
                .await?
                .map(|e| {
                    (
                        rows::text(&e.venue_es, &e.venue_en),
                        (e.ends_at - e.starts_at).num_minutes().min(12 * 60),
                    )
                })
                .unwrap_or_default(),
        };
        let title = rows::text(&l.title_es, &l.title_en)
            .show(Lang::Es)
            .text
            .to_owned();
        let local_now = crate::booking::slots::now_in(&zone, SiteTime::from_naive(now));
        let slots = tour_slot::Entity::find()
            .filter(tour_slot::Column::ListingId.eq(l.id))
            .filter(tour_slot::Column::StartsAt.gte(local_now - Duration::days(FEED_PAST_DAYS)))
            .filter(tour_slot::Column::StartsAt.lt(local_now + Duration::days(FEED_DAYS)))
            .order_by_asc(tour_slot::Column::StartsAt)
            .all(db)
            .await?;
        for s in slots {
            let Some(starts) = tz.from_local_datetime(&s.starts_at).earliest() else {
                continue;
            };
            let starts = starts.with_timezone(&chrono::Utc);
            let parties = booking::Entity::find()
                .filter(booking::Column::SlotId.eq(s.id))
                .filter(booking::Column::Status.is_in(["confirmed", "checked_in", "no_show"]))
                .order_by_asc(booking::Column::Name)
                .all(db)
                .await?;
            let description = parties
                .iter()
                .map(|b| format!("{} ({}): {}", b.name, b.code, b.places))
                .collect::<Vec<_>>()
                .join("\n");
            events.push(FeedEvent {
                uid: format!("slot-{}@tianguis", s.id),
                starts,
                ends: starts + Duration::minutes(minutes.max(30)),
                summary: format!("{title} · {}/{}", s.places_taken, s.capacity),
                location: place.show(Lang::Es).text.to_owned(),
                description,
                cancelled: s.cancelled_at.is_some(),
            });
        }
    }
    events.sort_by_key(|e| e.starts);
    Ok(events)
}
