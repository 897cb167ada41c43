//! Slots as visitors and guides see them: a listing's calendar, one slot's page, a
//! guide's manifest; and a producer closing a slot to new bookings.
//!
//! Slot times are the community's local time, like every time of the catalog; the
//! cutoff is measured in that clock too, so `now` (local time in central Mexico) is
//! first read in the community's zone.

use crate::booking::waitlist;
use crate::catalog::tickets;
use crate::entity::{
    booking, booking_line, booking_rule, community, cooperative, cultural_event, listing,
    slot_ticket, tour, tour_slot, waitlist_entry,
};
use crate::{StoreError, rows};
use chrono::{Duration, NaiveDateTime};
use domain::booking::calendar::{SlotSummary, slot_state};
use domain::booking::code::BookingCode;
use domain::booking::slot::{BookingRules, RunListing, SlotListing, SlotView};
use domain::booking::view::{BookedLine, ManifestRow, ManifestView, Visit};
use domain::booking::{BookingStatus, CancellationPolicy, PartyLimits};
use domain::catalog::NamedRef;
use domain::clock::SiteTime;
use domain::{Currency, ListingKind, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

/// Places per event session when its organisers have not said.
pub(crate) const EVENT_CAPACITY: u32 = 100;
/// Bookings close this long before the start when nobody has said otherwise.
pub const DEFAULT_CUTOFF_HOURS: u32 = 12;
/// Slots are made this many days ahead when nobody has said otherwise.
pub const DEFAULT_HORIZON_DAYS: u32 = 90;

/// `now` (local time in central Mexico) in the clock of time zone `zone`.
pub fn now_in(zone: &str, now: SiteTime) -> NaiveDateTime {
    let now = now.naive();
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => domain::clock::instant_of_site_time(now)
            .with_timezone(&tz)
            .naive_local(),
        Err(_) => now,
    }
}

/// The rules a listing books by: its own, or the defaults for its kind (a tour's
/// group size is its capacity).
pub(crate) fn rules_of(
    row: Option<&booking_rule::Model>,
    default_capacity: u32,
) -> Result<BookingRules, StoreError> {
    let Some(r) = row else {
        return Ok(BookingRules {
            capacity: default_capacity,
            party: PartyLimits {
                min: 1,
                max: default_capacity.max(1),
            },
            cutoff_hours: DEFAULT_CUTOFF_HOURS,
            horizon_days: DEFAULT_HORIZON_DAYS,
            policy: CancellationPolicy::Flexible,
            bring: Default::default(),
        });
    };
    let policy = CancellationPolicy::parse(&r.policy).ok_or_else(|| StoreError::BadValue {
        table: "booking_rule",
        column: "policy",
        value: r.policy.clone(),
    })?;
    let n = |v: i32| u32::try_from(v).unwrap_or(0);
    Ok(BookingRules {
        capacity: n(r.capacity),
        party: PartyLimits {
            min: n(r.min_party),
            max: n(r.max_party),
        },
        cutoff_hours: n(r.cutoff_hours),
        horizon_days: n(r.horizon_days),
        policy,
        bring: rows::text(&r.bring_es, &r.bring_en),
    })
}

/// What a listing's calendar needs to know of it.
pub(crate) struct Bookable {
    pub rules: BookingRules,
    pub zone: String,
}

/// Listing `id` and the time zone of its community, or `None`.
async fn listing_and_zone(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(listing::Model, String)>, StoreError> {
    let Some((l, coop)) = listing::Entity::find_by_id(id)
        .find_also_related(cooperative::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let coop = coop.ok_or_else(|| rows::missing("cooperative", l.cooperative_id))?;
    let zone = community::Entity::find_by_id(coop.community_id)
        .one(db)
        .await?
        .ok_or_else(|| rows::missing("community", coop.community_id))?
        .timezone;
    Ok(Some((l, zone)))
}

/// The booking rules and time zone of listing `id` (tours and events only).
pub(crate) async fn bookable(
    db: &impl ConnectionTrait,
    id: i32,
    kind: ListingKind,
) -> Result<Option<Bookable>, StoreError> {
    let Some((_, zone)) = listing_and_zone(db, id).await? else {
        return Ok(None);
    };
    let default_capacity = match kind {
        ListingKind::Tour => tour::Entity::find_by_id(id)
            .one(db)
            .await?
            .map_or(1, |t| u32::try_from(t.max_group_size).unwrap_or(1)),
        _ => EVENT_CAPACITY,
    };
    let row = booking_rule::Entity::find_by_id(id).one(db).await?;
    Ok(Some(Bookable {
        rules: rules_of(row.as_ref(), default_capacity)?,
        zone,
    }))
}

fn summary(slot: &tour_slot::Model, rules: &BookingRules, now: NaiveDateTime) -> SlotSummary {
    let left = u32::try_from(slot.capacity - slot.places_taken).unwrap_or(0);
    SlotSummary {
        id: slot.id,
        starts_at: slot.starts_at,
        capacity: u32::try_from(slot.capacity).unwrap_or(0),
        left,
        state: slot_state(
            left,
            slot.closed_at.is_some(),
            slot.cancelled_at.is_some(),
            slot.starts_at,
            now,
            rules.cutoff(),
        ),
    }
}

/// The coming slots of listing `id` until `days` ahead, soonest first, with their
/// places left: what its calendar shows.
pub async fn calendar(
    db: &impl ConnectionTrait,
    id: i32,
    kind: ListingKind,
    now: SiteTime,
    days: i64,
) -> Result<Vec<SlotSummary>, StoreError> {
    let now = now.naive();
    let Some(b) = bookable(db, id, kind).await? else {
        return Ok(Vec::new());
    };
    slots_of(db, id, &b.rules, &b.zone, now, None, days).await
}

/// [`calendar`] for a page that has read the listing's community and details
/// already: two queries (its booking rules, its slots) instead of six.
pub(crate) async fn calendar_in(
    db: &impl ConnectionTrait,
    id: i32,
    zone: &str,
    default_capacity: u32,
    now: NaiveDateTime,
    from: Option<chrono::NaiveDate>,
    days: i64,
) -> Result<Vec<SlotSummary>, StoreError> {
    let row = booking_rule::Entity::find_by_id(id).one(db).await?;
    let rules = rules_of(row.as_ref(), default_capacity)?;
    slots_of(db, id, &rules, zone, now, from, days).await
}

/// The slots of listing `id` from now (or from day `from`, when later) until `days`
/// after that, soonest first.
async fn slots_of(
    db: &impl ConnectionTrait,
    id: i32,
    rules: &BookingRules,
    zone: &str,
    now: NaiveDateTime,
    from: Option<chrono::NaiveDate>,
    days: i64,
) -> Result<Vec<SlotSummary>, StoreError> {
    let now = now_in(zone, SiteTime::from_naive(now));
    let start = from
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
        .filter(|start| *start > now)
        .unwrap_or(now);
    Ok(tour_slot::Entity::find()
        .filter(tour_slot::Column::ListingId.eq(id))
        .filter(tour_slot::Column::StartsAt.gte(start))
        .filter(tour_slot::Column::StartsAt.lt(start + Duration::days(days)))
        .order_by_asc(tour_slot::Column::StartsAt)
        .all(db)
        .await?
        .iter()
        .map(|s| summary(s, rules, now))
        .collect())
}

/// Slot `id` and everything its booking page shows, for new bookings; `None` when
/// there is no such slot or its listing is not published.
pub async fn view(
    db: &impl ConnectionTrait,
    id: i32,
    now: SiteTime,
) -> Result<Option<SlotView>, StoreError> {
    view_of(db, id, now, true).await
}

/// [`view`] for the bookings that stand on slot `id`, whatever became of its
/// listing: an unpublished tour's bookings still open, cancel and get called off.
pub async fn view_booked(
    db: &impl ConnectionTrait,
    id: i32,
    now: SiteTime,
) -> Result<Option<SlotView>, StoreError> {
    view_of(db, id, now, false).await
}

/// Where a tour or event happens, how long it lasts, and its places when its
/// organisers have not said.
struct Place {
    place: domain::LocalizedText,
    duration_minutes: Option<u32>,
    default_capacity: u32,
}

async fn place_of(
    db: &impl ConnectionTrait,
    listing_id: i32,
    kind: ListingKind,
) -> Result<Place, StoreError> {
    Ok(match kind {
        ListingKind::Tour => {
            let t = tour::Entity::find_by_id(listing_id)
                .one(db)
                .await?
                .ok_or_else(|| rows::missing("tour", listing_id))?;
            Place {
                place: rows::text(&t.meeting_point_es, &t.meeting_point_en),
                duration_minutes: Some(u32::try_from(t.duration_minutes).unwrap_or(0)),
                default_capacity: u32::try_from(t.max_group_size).unwrap_or(1),
            }
        }
        _ => {
            let e = cultural_event::Entity::find_by_id(listing_id)
                .one(db)
                .await?
                .ok_or_else(|| rows::missing("cultural_event", listing_id))?;
            let minutes = (e.ends_at - e.starts_at).num_minutes();
            Place {
                place: rows::text(&e.venue_es, &e.venue_en),
                duration_minutes: u32::try_from(minutes).ok(),
                default_capacity: EVENT_CAPACITY,
            }
        }
    })
}

/// When and where the visit of slot `id` happens, and what to bring: what a paid
/// booking's email tells. `None` when there is no such slot.
pub async fn visit_of(db: &impl ConnectionTrait, id: i32) -> Result<Option<Visit>, StoreError> {
    let Some(slot) = tour_slot::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some((l, zone)) = listing_and_zone(db, slot.listing_id).await? else {
        return Ok(None);
    };
    let kind = rows::kind(&l.kind)?;
    let place = place_of(db, l.id, kind).await?;
    let rule = booking_rule::Entity::find_by_id(l.id).one(db).await?;
    let bring = rules_of(rule.as_ref(), place.default_capacity)?.bring;
    Ok(Some(Visit {
        kind,
        starts_at: slot.starts_at,
        zone,
        place: place.place,
        bring,
    }))
}

async fn view_of(
    db: &impl ConnectionTrait,
    id: i32,
    now: SiteTime,
    only_published: bool,
) -> Result<Option<SlotView>, StoreError> {
    let now = now.naive();
    let Some(slot) = tour_slot::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let Some((l, coop)) = listing::Entity::find_by_id(slot.listing_id)
        .find_also_related(cooperative::Entity)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if only_published && l.status != domain::ListingStatus::Published.code() {
        return Ok(None);
    }
    let coop = coop.ok_or_else(|| rows::missing("cooperative", l.cooperative_id))?;
    let community = community::Entity::find_by_id(coop.community_id)
        .one(db)
        .await?
        .ok_or_else(|| rows::missing("community", coop.community_id))?;
    let kind = rows::kind(&l.kind)?;
    let Place {
        place,
        duration_minutes,
        default_capacity,
    } = place_of(db, l.id, kind).await?;
    let rule = booking_rule::Entity::find_by_id(l.id).one(db).await?;
    let rules = rules_of(rule.as_ref(), default_capacity)?;
    let now = now_in(&community.timezone, SiteTime::from_naive(now));
    let waiting = waitlist_entry::Entity::find()
        .filter(waitlist_entry::Column::SlotId.eq(id))
        .filter(waitlist_entry::Column::Status.eq(waitlist::WAITING))
        .count(db)
        .await?;
    let tickets = tickets::of_listing(db, l.id).await?;
    let taken = slot_ticket::Entity::find()
        .filter(slot_ticket::Column::SlotId.eq(id))
        .all(db)
        .await?;
    let ticket_left = tickets
        .iter()
        .filter_map(|t| {
            let limit = t.limit_per_slot?;
            let had = taken
                .iter()
                .find(|s| s.ticket_code == t.code)
                .map_or(0, |s| u32::try_from(s.taken).unwrap_or(0));
            Some((t.code.clone(), limit.saturating_sub(had)))
        })
        .collect();
    Ok(Some(SlotView {
        slot: summary(&slot, &rules, now),
        listing: SlotListing {
            id: l.id,
            kind,
            slug: rows::slug("listing", &l.slug)?,
            title: rows::text(&l.title_es, &l.title_en),
            cooperative: NamedRef {
                slug: rows::slug("cooperative", &coop.slug)?,
                name: coop.name.clone(),
            },
            community: NamedRef {
                slug: rows::slug("community", &community.slug)?,
                name: community.name.clone(),
            },
            timezone: community.timezone.clone(),
            producer_id: l.producer_id,
            cooperative_id: l.cooperative_id,
            place,
            duration_minutes,
            tickets,
            rules,
        },
        waiting: u32::try_from(waiting).unwrap_or(u32::MAX),
        ticket_left,
    }))
}

pub(crate) fn lines_of(lines: Vec<booking_line::Model>, currency: Currency) -> Vec<BookedLine> {
    lines
        .into_iter()
        .map(|l| BookedLine {
            ticket_code: l.ticket_code,
            count: u32::try_from(l.count).unwrap_or(0),
            unit_price: Money::from_centavos(l.unit_centavos, currency),
        })
        .collect()
}

pub(crate) fn status_of(row: &booking::Model) -> Result<BookingStatus, StoreError> {
    BookingStatus::parse(&row.status).ok_or_else(|| StoreError::BadValue {
        table: "booking",
        column: "status",
        value: row.status.clone(),
    })
}

pub(crate) fn code_of(row: &booking::Model) -> Result<BookingCode, StoreError> {
    BookingCode::parse(&row.code).map_err(|_| StoreError::BadValue {
        table: "booking",
        column: "code",
        value: row.code.clone(),
    })
}

pub(crate) fn currency_of(row: &booking::Model) -> Result<Currency, StoreError> {
    Currency::parse(&row.currency).map_err(|_| StoreError::BadValue {
        table: "booking",
        column: "currency",
        value: row.currency.clone(),
    })
}

/// Who is coming to slot `id`: every party that holds or held places on it (not
/// expired holds), arrived ones last within each state, by name.
pub async fn manifest(
    db: &impl ConnectionTrait,
    id: i32,
    now: SiteTime,
) -> Result<Option<ManifestView>, StoreError> {
    let Some(slot) = view_booked(db, id, now).await? else {
        return Ok(None);
    };
    let bookings = booking::Entity::find()
        .filter(booking::Column::SlotId.eq(id))
        .filter(booking::Column::Status.ne(BookingStatus::Expired.code()))
        .order_by_asc(booking::Column::Name)
        .find_with_related(booking_line::Entity)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(bookings.len());
    for (b, lines) in bookings {
        rows.push(ManifestRow {
            code: code_of(&b)?,
            status: status_of(&b)?,
            lines: lines_of(lines, currency_of(&b)?),
            name: b.name,
            email: b.email,
            places: u32::try_from(b.places).unwrap_or(0),
        });
    }
    // Parties expected first, then cancelled ones (kept, so the guide knows).
    rows.sort_by_key(|r| (r.status == BookingStatus::Cancelled, r.name.to_lowercase()));
    Ok(Some(ManifestView { slot, rows }))
}

/// The producer and cooperative a slot belongs to: who may run it.
pub async fn owner(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(Option<i32>, i32)>, StoreError> {
    let Some(slot) = tour_slot::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(listing::Entity::find_by_id(slot.listing_id)
        .one(db)
        .await?
        .map(|l| (l.producer_id, l.cooperative_id)))
}

/// The producer and cooperative of tour or event `id` (not deleted): who may change
/// its schedule. One query, for a change that needs to know nothing else first.
pub async fn listing_owner(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(Option<i32>, i32)>, StoreError> {
    Ok(listing::Entity::find_by_id(id)
        .filter(listing::Column::Kind.ne(ListingKind::Craft.code()))
        .filter(listing::Column::Status.ne(domain::ListingStatus::Deleted.code()))
        .one(db)
        .await?
        .map(|l| (l.producer_id, l.cooperative_id)))
}

/// Closes slot `id` to new bookings (the ones it has stand), or opens it again;
/// whether anything changed.
pub async fn set_closed(
    db: &DatabaseConnection,
    id: i32,
    closed: bool,
    now: SiteTime,
) -> Result<bool, StoreError> {
    let now = now.naive();
    let mut update = tour_slot::Entity::update_many()
        .filter(tour_slot::Column::Id.eq(id))
        .filter(tour_slot::Column::CancelledAt.is_null());
    update = if closed {
        update
            .col_expr(tour_slot::Column::ClosedAt, Expr::val(now))
            .filter(tour_slot::Column::ClosedAt.is_null())
    } else {
        update
            .col_expr(
                tour_slot::Column::ClosedAt,
                Expr::val(Option::<NaiveDateTime>::None),
            )
            .filter(tour_slot::Column::ClosedAt.is_not_null())
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// The listings with a booking that still stands (held or confirmed) on a date from
/// `since` on: an unpublished tour's or event's are still run, called off or
/// cancelled, so its guide keeps seeing them.
pub fn with_standing_bookings(since: NaiveDateTime) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    sea_orm::sea_query::Query::select()
        .column((tour_slot::Entity, tour_slot::Column::ListingId))
        .from(tour_slot::Entity)
        .inner_join(
            booking::Entity,
            Expr::col((booking::Entity, booking::Column::SlotId))
                .equals((tour_slot::Entity, tour_slot::Column::Id)),
        )
        .and_where(Expr::col((tour_slot::Entity, tour_slot::Column::StartsAt)).gte(since))
        .and_where(
            Expr::col((booking::Entity, booking::Column::Status))
                .is_in([BookingStatus::Held.code(), BookingStatus::Confirmed.code()]),
        )
        .to_owned()
}

/// The published tours and events of producers `producers` and cooperatives
/// `cooperatives` (and the unpublished ones with bookings still standing), each with
/// its slots of the next `days` days.
pub async fn run_by(
    db: &impl ConnectionTrait,
    producers: &[i32],
    cooperatives: &[i32],
    now: SiteTime,
    days: i64,
) -> Result<Vec<RunListing>, StoreError> {
    use sea_orm::Condition;
    let whose = Condition::any()
        .add(listing::Column::ProducerId.is_in(producers.iter().copied()))
        .add(listing::Column::CooperativeId.is_in(cooperatives.iter().copied()));
    let run = Condition::any()
        .add(listing::Column::Status.eq(domain::ListingStatus::Published.code()))
        .add(
            listing::Column::Id
                .in_subquery(with_standing_bookings(now.naive() - Duration::days(1))),
        );
    let listings = listing::Entity::find()
        .filter(listing::Column::Kind.is_in([ListingKind::Tour.code(), ListingKind::Event.code()]))
        .filter(run)
        .filter(whose)
        .order_by_asc(listing::Column::TitleEs)
        .all(db)
        .await?;
    let mut run = Vec::with_capacity(listings.len());
    for l in listings {
        let kind = rows::kind(&l.kind)?;
        let token = booking_rule::Entity::find_by_id(l.id)
            .one(db)
            .await?
            .map(|r| r.calendar_token);
        run.push(RunListing {
            id: l.id,
            kind,
            title: rows::text(&l.title_es, &l.title_en),
            slots: calendar(db, l.id, kind, now, days).await?,
            calendar_token: token,
        });
    }
    Ok(run)
}
