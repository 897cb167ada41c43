//! Catalog queries: what visitors browse. Each public function answers one page's
//! question and returns a `domain` read model.
//!
//! Cards are built in batches (one query per related table for a whole page of
//! listings) so a page costs a fixed handful of queries, whatever its size.

use crate::entity::{
    community, cooperative, craft, cultural_event, listing, photo, producer, ticket_type, tour,
    tour_slot,
};
use crate::{StoreError, rows};
use chrono::{Duration, NaiveDateTime, NaiveTime};
use domain::catalog::{
    CommunityProfile, CommunitySummary, CooperativeProfile, CooperativeSummary, Dimensions, Facets,
    HomeView, KindDetails, ListingCard, ListingDetail, NamedRef, Page, PhotoRef, ProducerSummary,
    TicketType,
};
use domain::{CatalogFilter, Currency, ListingKind, Money, search};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

/// How many coming tour departures a tour page lists.
const DEPARTURES_SHOWN: u64 = 8;

/// One page of a catalog, filtered. `now` is the local time in the communities:
/// events that have ended and tour departures in the past are not offered.
pub async fn search(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: &CatalogFilter,
    now: NaiveDateTime,
) -> Result<Page<ListingCard>, StoreError> {
    let mut select = published(kind);

    for term in search::terms(filter.q.as_deref().unwrap_or_default()) {
        select = select.filter(listing::Column::SearchText.contains(term));
    }
    if let Some(slug) = &filter.community {
        select = select.filter(
            listing::Column::CooperativeId.in_subquery(cooperatives_where(
                community::Column::Slug.eq(slug.as_str()),
            )),
        );
    }
    if let Some(slug) = &filter.state {
        select = select.filter(
            listing::Column::CooperativeId.in_subquery(cooperatives_where(
                community::Column::StateSlug.eq(slug.as_str()),
            )),
        );
    }
    if let Some(category) = filter.category {
        select = select.filter(listing::Column::Category.eq(category.code()));
    }
    if let Some(min) = filter.min_price {
        select = select.filter(listing::Column::PriceFromCentavos.gte(min.centavos()));
    }
    if let Some(max) = filter.max_price {
        select = select.filter(listing::Column::PriceFromCentavos.lte(max.centavos()));
    }

    // Dated listings: within the asked range, and never in the past.
    let start_of = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN);
    let from = filter.from.map(start_of).map_or(now, |f| f.max(now));
    let until = filter.to.map(|d| start_of(d) + Duration::days(1));
    match kind {
        ListingKind::Craft => {}
        ListingKind::Event => {
            let mut when = Condition::all().add(cultural_event::Column::EndsAt.gte(from));
            if let Some(until) = until {
                when = when.add(cultural_event::Column::StartsAt.lt(until));
            }
            select = select.filter(
                listing::Column::Id.in_subquery(
                    Query::select()
                        .column(cultural_event::Column::ListingId)
                        .from(cultural_event::Entity)
                        .cond_where(when)
                        .to_owned(),
                ),
            );
        }
        ListingKind::Tour if filter.from.is_some() || filter.to.is_some() => {
            let mut when = Condition::all().add(tour_slot::Column::StartsAt.gte(from));
            if let Some(until) = until {
                when = when.add(tour_slot::Column::StartsAt.lt(until));
            }
            select = select.filter(
                listing::Column::Id.in_subquery(
                    Query::select()
                        .column(tour_slot::Column::ListingId)
                        .from(tour_slot::Entity)
                        .cond_where(when)
                        .to_owned(),
                ),
            );
        }
        ListingKind::Tour => {}
    }

    let rows = ordered(select.clone(), kind)
        .offset(filter.offset())
        .limit(u64::from(CatalogFilter::PER_PAGE))
        .all(db)
        .await?;
    // A first page that is not full holds every result: no need to count them.
    let total = if filter.offset() == 0 && rows.len() < CatalogFilter::PER_PAGE as usize {
        rows.len() as u64
    } else {
        select.count(db).await?
    };
    Ok(Page {
        items: cards(db, rows, now).await?,
        page: filter.page,
        per_page: CatalogFilter::PER_PAGE,
        total,
    })
}

/// The filter form's choices: every community and every state that has one.
pub async fn facets(db: &impl ConnectionTrait) -> Result<Facets, StoreError> {
    let communities = community::Entity::find()
        .order_by_asc(community::Column::Name)
        .all(db)
        .await?;
    let mut states: Vec<NamedRef> = Vec::new();
    for c in &communities {
        if !states.iter().any(|s| s.slug.as_str() == c.state_slug) {
            states.push(NamedRef {
                slug: rows::slug("community", &c.state_slug)?,
                name: c.state.clone(),
            });
        }
    }
    states.sort_by_key(|s| search::fold(&s.name));
    Ok(Facets {
        communities: communities
            .iter()
            .map(community_summary)
            .collect::<Result<_, _>>()?,
        states,
    })
}

/// A listing of `kind` by its slug, with everything its page shows.
pub async fn listing(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<ListingDetail>, StoreError> {
    let Some(row) = published(kind)
        .filter(listing::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let id = row.id;
    let description = rows::text(&row.description_es, &row.description_en);
    let producer_id = row.producer_id;
    let cooperative_id = row.cooperative_id;
    // The card's date comes from the details below, which load it anyway.
    let mut card = build_cards(db, vec![row], HashMap::new())
        .await?
        .pop()
        .expect("one row gives one card");

    let (cooperative, community) = cooperative::Entity::find_by_id(cooperative_id)
        .find_also_related(community::Entity)
        .one(db)
        .await?
        .ok_or_else(|| missing("cooperative", cooperative_id))?;
    let community = community.ok_or_else(|| missing("community", cooperative.community_id))?;
    let producer = match producer_id {
        Some(pid) => producer::Entity::find_by_id(pid)
            .one(db)
            .await?
            .map(|p| producer_summary(&p))
            .transpose()?,
        None => None,
    };
    let photos = photo::Entity::find()
        .filter(photo::Column::ListingId.eq(id))
        .order_by_asc(photo::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(photo_ref)
        .collect();

    let details = match kind {
        ListingKind::Craft => {
            let c = craft::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| missing("craft", id))?;
            KindDetails::Craft {
                stock: c.stock.max(0) as u32,
                materials: rows::text(&c.materials_es, &c.materials_en),
                technique: rows::text(&c.technique_es, &c.technique_en),
                dimensions: match (c.width_cm, c.height_cm, c.depth_cm) {
                    (Some(w), Some(h), Some(d)) => Some(Dimensions {
                        width_cm: w.max(0) as u32,
                        height_cm: h.max(0) as u32,
                        depth_cm: d.max(0) as u32,
                    }),
                    _ => None,
                },
                made_to_order: c.made_to_order,
                lead_days: c.lead_days.map(|d| d.max(0) as u32),
            }
        }
        ListingKind::Tour => {
            let t = tour::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| missing("tour", id))?;
            let departures = tour_slot::Entity::find()
                .filter(tour_slot::Column::ListingId.eq(id))
                .filter(tour_slot::Column::StartsAt.gte(now))
                .order_by_asc(tour_slot::Column::StartsAt)
                .limit(DEPARTURES_SHOWN)
                .all(db)
                .await?
                .into_iter()
                .map(|s| s.starts_at)
                .collect();
            KindDetails::Tour {
                duration_minutes: t.duration_minutes.max(0) as u32,
                meeting_point: rows::text(&t.meeting_point_es, &t.meeting_point_en),
                languages: rows::codes(&t.languages),
                max_group_size: t.max_group_size.max(0) as u32,
                tickets: tickets(db, id).await?,
                departures,
            }
        }
        ListingKind::Event => {
            let e = cultural_event::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| missing("cultural_event", id))?;
            KindDetails::Event {
                starts_at: e.starts_at,
                ends_at: e.ends_at,
                venue: rows::text(&e.venue_es, &e.venue_en),
                free: e.is_free,
                tickets: tickets(db, id).await?,
            }
        }
    };

    card.next_date = match &details {
        KindDetails::Craft { .. } => None,
        KindDetails::Tour { departures, .. } => departures.first().copied(),
        KindDetails::Event { starts_at, .. } => Some(*starts_at),
    };
    Ok(Some(ListingDetail {
        card,
        description,
        producer,
        municipality: community.municipality,
        cooperative_story: rows::text(&cooperative.story_es, &cooperative.story_en),
        photos,
        details,
    }))
}

/// What the home page shows: a few of each kind, the communities, and totals.
pub async fn home(db: &impl ConnectionTrait, now: NaiveDateTime) -> Result<HomeView, StoreError> {
    let first = CatalogFilter {
        page: 1,
        ..Default::default()
    };
    let take = |page: Page<ListingCard>, n: usize| page.items.into_iter().take(n).collect();
    let crafts = take(search(db, ListingKind::Craft, &first, now).await?, 8);
    let tours = take(search(db, ListingKind::Tour, &first, now).await?, 4);
    let events = take(search(db, ListingKind::Event, &first, now).await?, 4);
    let communities = facets(db).await?.communities;
    Ok(HomeView {
        crafts,
        tours,
        events,
        communities,
        cooperative_count: cooperative::Entity::find().count(db).await?,
        listing_count: listing::Entity::find()
            .filter(listing::Column::Published.eq(true))
            .count(db)
            .await?,
    })
}

/// Every cooperative, with how many listings it has.
pub async fn cooperatives(
    db: &impl ConnectionTrait,
) -> Result<Vec<CooperativeSummary>, StoreError> {
    let coops = cooperative::Entity::find()
        .order_by_asc(cooperative::Column::Name)
        .all(db)
        .await?;
    cooperative_summaries(db, coops).await
}

pub async fn cooperative(
    db: &impl ConnectionTrait,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<CooperativeProfile>, StoreError> {
    let Some(coop) = cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let members = producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(coop.id))
        .order_by_asc(producer::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(producer_summary)
        .collect::<Result<_, _>>()?;
    let listings = listings_of(db, vec![coop.id], now).await?;
    let story = rows::text(&coop.story_es, &coop.story_en);
    let (contact_email, contact_phone) = (coop.contact_email.clone(), coop.contact_phone.clone());
    let summary = cooperative_summaries(db, vec![coop])
        .await?
        .pop()
        .expect("one cooperative gives one summary");
    Ok(Some(CooperativeProfile {
        summary,
        story,
        contact_email,
        contact_phone,
        members,
        listings,
    }))
}

pub async fn community(
    db: &impl ConnectionTrait,
    slug: &str,
    now: NaiveDateTime,
) -> Result<Option<CommunityProfile>, StoreError> {
    let Some(row) = community::Entity::find()
        .filter(community::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let coops = cooperative::Entity::find()
        .filter(cooperative::Column::CommunityId.eq(row.id))
        .order_by_asc(cooperative::Column::Name)
        .all(db)
        .await?;
    let listings = listings_of(db, coops.iter().map(|c| c.id).collect(), now).await?;
    Ok(Some(CommunityProfile {
        summary: community_summary(&row)?,
        timezone: row.timezone.clone(),
        languages: rows::codes(&row.languages),
        description: rows::text(&row.description_es, &row.description_en),
        cooperatives: cooperative_summaries(db, coops).await?,
        listings,
    }))
}

/// What the given cooperatives offer now: published listings, without events that
/// have already ended; crafts, then tours, then events, newest first.
async fn listings_of(
    db: &impl ConnectionTrait,
    cooperative_ids: Vec<i32>,
    now: NaiveDateTime,
) -> Result<Vec<ListingCard>, StoreError> {
    let ended = Query::select()
        .column(cultural_event::Column::ListingId)
        .from(cultural_event::Entity)
        .and_where(cultural_event::Column::EndsAt.lt(now))
        .to_owned();
    let rows = listing::Entity::find()
        .filter(listing::Column::Published.eq(true))
        .filter(listing::Column::CooperativeId.is_in(cooperative_ids))
        .filter(listing::Column::Id.not_in_subquery(ended))
        .order_by_asc(listing::Column::Kind)
        .order_by_desc(listing::Column::CreatedAt)
        .all(db)
        .await?;
    cards(db, rows, now).await
}

fn published(kind: ListingKind) -> Select<listing::Entity> {
    listing::Entity::find()
        .filter(listing::Column::Kind.eq(kind.code()))
        .filter(listing::Column::Published.eq(true))
}

/// Crafts newest first; tours by title; events soonest first.
fn ordered(select: Select<listing::Entity>, kind: ListingKind) -> Select<listing::Entity> {
    match kind {
        ListingKind::Craft => select
            .order_by_desc(listing::Column::CreatedAt)
            .order_by_desc(listing::Column::Id),
        ListingKind::Tour => select
            .order_by_asc(listing::Column::TitleEs)
            .order_by_asc(listing::Column::Id),
        ListingKind::Event => select
            .order_by(
                Expr::cust("(SELECT starts_at FROM cultural_event WHERE cultural_event.listing_id = listing.id)"),
                Order::Asc,
            )
            .order_by_asc(listing::Column::Id),
    }
}

/// Ids of the cooperatives whose community matches `condition`.
fn cooperatives_where(condition: impl Into<Condition>) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    Query::select()
        .column((cooperative::Entity, cooperative::Column::Id))
        .from(cooperative::Entity)
        .inner_join(
            community::Entity,
            Expr::col((community::Entity, community::Column::Id))
                .equals((cooperative::Entity, cooperative::Column::CommunityId)),
        )
        .cond_where(condition.into())
        .to_owned()
}

/// Turns listing rows into cards, loading cooperatives, communities, cover photos
/// and dates for all of them at once.
async fn cards(
    db: &impl ConnectionTrait,
    rows: Vec<listing::Model>,
    now: NaiveDateTime,
) -> Result<Vec<ListingCard>, StoreError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let dates = next_dates(db, &rows, ids, now).await?;
    build_cards(db, rows, dates).await
}

/// Cards for `rows`, with the dates already known for them.
async fn build_cards(
    db: &impl ConnectionTrait,
    rows: Vec<listing::Model>,
    dates: HashMap<i32, NaiveDateTime>,
) -> Result<Vec<ListingCard>, StoreError> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let origins = origins(db, &ids).await?;

    rows.into_iter()
        .map(|row| {
            let origin = origins
                .get(&row.id)
                .ok_or_else(|| missing("cooperative", row.cooperative_id))?;
            let currency = Currency::parse(&row.currency).map_err(|_| StoreError::BadValue {
                table: "listing",
                column: "currency",
                value: row.currency.clone(),
            })?;
            Ok(ListingCard {
                kind: rows::kind(&row.kind)?,
                slug: rows::slug("listing", &row.slug)?,
                category: rows::category(&row.category)?,
                title: rows::text(&row.title_es, &row.title_en),
                summary: rows::text(&row.summary_es, &row.summary_en),
                // A lowest price of zero is a free event.
                price_from: (row.price_from_centavos > 0)
                    .then(|| Money::from_centavos(row.price_from_centavos, currency)),
                community: NamedRef {
                    slug: rows::slug("community", &origin.community_slug)?,
                    name: origin.community_name.clone(),
                },
                state: origin.state.clone(),
                cooperative: NamedRef {
                    slug: rows::slug("cooperative", &origin.cooperative_slug)?,
                    name: origin.cooperative_name.clone(),
                },
                photo: origin.cover(),
                next_date: dates.get(&row.id).copied(),
            })
        })
        .collect()
}

/// Where a listing comes from and its cover photo: one joined row per listing.
#[derive(FromQueryResult)]
struct Origin {
    listing_id: i32,
    cooperative_slug: String,
    cooperative_name: String,
    community_slug: String,
    community_name: String,
    state: String,
    cover_key: Option<String>,
    cover_width: Option<i32>,
    cover_height: Option<i32>,
    cover_alt_es: Option<String>,
    cover_alt_en: Option<String>,
}

impl Origin {
    fn cover(&self) -> Option<PhotoRef> {
        Some(PhotoRef {
            key: self.cover_key.clone()?,
            alt: rows::text(&self.cover_alt_es, &self.cover_alt_en),
            width: self.cover_width.unwrap_or(1).max(1) as u32,
            height: self.cover_height.unwrap_or(1).max(1) as u32,
        })
    }
}

/// One query for the cooperative, community and cover photo of many listings:
/// every query is a round trip to the database's thread, so a page makes few.
async fn origins(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, Origin>, StoreError> {
    use sea_orm::sea_query::ExprTrait;
    let (l, c, m, p) = (
        listing::Entity,
        cooperative::Entity,
        community::Entity,
        photo::Entity,
    );
    let query = Query::select()
        .expr_as(Expr::col((l, listing::Column::Id)), "listing_id")
        .expr_as(
            Expr::col((c, cooperative::Column::Slug)),
            "cooperative_slug",
        )
        .expr_as(
            Expr::col((c, cooperative::Column::Name)),
            "cooperative_name",
        )
        .expr_as(Expr::col((m, community::Column::Slug)), "community_slug")
        .expr_as(Expr::col((m, community::Column::Name)), "community_name")
        .expr_as(Expr::col((m, community::Column::State)), "state")
        .expr_as(Expr::col((p, photo::Column::MediaKey)), "cover_key")
        .expr_as(Expr::col((p, photo::Column::Width)), "cover_width")
        .expr_as(Expr::col((p, photo::Column::Height)), "cover_height")
        .expr_as(Expr::col((p, photo::Column::AltEs)), "cover_alt_es")
        .expr_as(Expr::col((p, photo::Column::AltEn)), "cover_alt_en")
        .from(l)
        .inner_join(
            c,
            Expr::col((c, cooperative::Column::Id)).equals((l, listing::Column::CooperativeId)),
        )
        .inner_join(
            m,
            Expr::col((m, community::Column::Id)).equals((c, cooperative::Column::CommunityId)),
        )
        .left_join(
            p,
            Condition::all()
                .add(Expr::col((p, photo::Column::ListingId)).equals((l, listing::Column::Id)))
                .add(Expr::col((p, photo::Column::Position)).eq(0)),
        )
        .and_where(Expr::col((l, listing::Column::Id)).is_in(ids.iter().copied()))
        .to_owned();
    let stmt = db.get_database_backend().build(&query);
    Ok(Origin::find_by_statement(stmt)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.listing_id, o))
        .collect())
}

#[derive(FromQueryResult)]
struct NextDate {
    listing_id: i32,
    starts_at: NaiveDateTime,
}

/// Events: their start. Tours: their next departure from `now`.
async fn next_dates(
    db: &impl ConnectionTrait,
    rows: &[listing::Model],
    ids: Vec<i32>,
    now: NaiveDateTime,
) -> Result<HashMap<i32, NaiveDateTime>, StoreError> {
    let mut dates = HashMap::new();
    if rows.iter().any(|r| r.kind == ListingKind::Event.code()) {
        for e in cultural_event::Entity::find()
            .filter(cultural_event::Column::ListingId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            dates.insert(e.listing_id, e.starts_at);
        }
    }
    if rows.iter().any(|r| r.kind == ListingKind::Tour.code()) {
        let next = tour_slot::Entity::find()
            .select_only()
            .column(tour_slot::Column::ListingId)
            .column_as(
                Expr::expr(Func::min(Expr::col(tour_slot::Column::StartsAt))),
                "starts_at",
            )
            .filter(tour_slot::Column::ListingId.is_in(ids))
            .filter(tour_slot::Column::StartsAt.gte(now))
            .group_by(tour_slot::Column::ListingId)
            .into_model::<NextDate>()
            .all(db)
            .await?;
        for n in next {
            dates.insert(n.listing_id, n.starts_at);
        }
    }
    Ok(dates)
}

#[derive(FromQueryResult)]
struct ListingCount {
    cooperative_id: i32,
    count: i64,
}

async fn cooperative_summaries(
    db: &impl ConnectionTrait,
    coops: Vec<cooperative::Model>,
) -> Result<Vec<CooperativeSummary>, StoreError> {
    use sea_orm::sea_query::ExprTrait;
    let ids: Vec<i32> = coops.iter().map(|c| c.id).collect();
    let counts: HashMap<i32, i64> = listing::Entity::find()
        .select_only()
        .column(listing::Column::CooperativeId)
        .column_as(Expr::col(listing::Column::Id).count(), "count")
        .filter(listing::Column::Published.eq(true))
        .filter(listing::Column::CooperativeId.is_in(ids))
        .group_by(listing::Column::CooperativeId)
        .into_model::<ListingCount>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.cooperative_id, c.count))
        .collect();
    let communities: HashMap<i32, community::Model> = community::Entity::find()
        .filter(community::Column::Id.is_in(coops.iter().map(|c| c.community_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    coops
        .into_iter()
        .map(|c| {
            let comm = communities
                .get(&c.community_id)
                .ok_or_else(|| missing("community", c.community_id))?;
            Ok(CooperativeSummary {
                slug: rows::slug("cooperative", &c.slug)?,
                name: c.name,
                community: NamedRef {
                    slug: rows::slug("community", &comm.slug)?,
                    name: comm.name.clone(),
                },
                state: comm.state.clone(),
                year_founded: c.year_founded,
                listing_count: u32::try_from(counts.get(&c.id).copied().unwrap_or(0)).unwrap_or(0),
            })
        })
        .collect()
}

async fn tickets(
    db: &impl ConnectionTrait,
    listing_id: i32,
) -> Result<Vec<TicketType>, StoreError> {
    ticket_type::Entity::find()
        .filter(ticket_type::Column::ListingId.eq(listing_id))
        .order_by_asc(ticket_type::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            let currency = Currency::parse(&t.currency).map_err(|_| StoreError::BadValue {
                table: "ticket_type",
                column: "currency",
                value: t.currency.clone(),
            })?;
            Ok(TicketType {
                code: t.code,
                price: Money::from_centavos(t.price_centavos, currency),
            })
        })
        .collect()
}

fn community_summary(c: &community::Model) -> Result<CommunitySummary, StoreError> {
    Ok(CommunitySummary {
        slug: rows::slug("community", &c.slug)?,
        name: c.name.clone(),
        municipality: c.municipality.clone(),
        state: c.state.clone(),
    })
}

fn producer_summary(p: &producer::Model) -> Result<ProducerSummary, StoreError> {
    Ok(ProducerSummary {
        slug: rows::slug("producer", &p.slug)?,
        name: p.name.clone(),
        role: rows::role(&p.role)?,
        specialty: rows::text(&p.specialty_es, &p.specialty_en),
        bio: rows::text(&p.bio_es, &p.bio_en),
    })
}

fn photo_ref(p: &photo::Model) -> PhotoRef {
    PhotoRef {
        key: p.media_key.clone(),
        alt: rows::text(&p.alt_es, &p.alt_en),
        width: p.width.max(1) as u32,
        height: p.height.max(1) as u32,
    }
}

fn missing(table: &'static str, id: i32) -> StoreError {
    StoreError::BadValue {
        table,
        column: "id",
        value: format!("{id} (referenced but missing)"),
    }
}
