//! Catalog queries: what visitors browse. Each public function answers one page's
//! question and returns a `domain` read model.
//!
//! A page of cards is one query (joins for where each listing comes from, a
//! subquery for its date, a window for the total), so a page costs the same
//! handful of queries whatever its size: on SQLite each query is a round trip to
//! the connection's thread, and those round trips were most of a page's CPU.

use crate::catalog::search as text_search;
use crate::catalog::tickets;
use crate::entity::{
    community, cooperative, craft, cultural_event, listing, photo, producer, tour, tour_slot,
};
use crate::{StoreError, rows};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use domain::catalog::filter::Sort;
use domain::catalog::{
    CommunityProfile, CommunitySummary, CooperativeProfile, CooperativeSummary, Dimensions, Facets,
    Found, HomeView, KindDetails, ListingCard, ListingDetail, NamedRef, Page, PhotoRef,
    ProducerSummary, Shelf, Suggestions,
};
use domain::clock::SiteTime;
use domain::search::plan::SearchPlan;
use domain::{CatalogFilter, Currency, Lang, ListingKind, LocalizedText, Money, search};
use sea_orm::sea_query::{Asterisk, Expr, Func, PostgresQueryBuilder, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, JoinType,
    Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select, Statement,
};
use std::collections::{HashMap, HashSet};

/// How far ahead an event page shows sessions.
const EVENT_DAYS_SHOWN: i64 = 400;
/// Visitors see approved listings only.
const PUBLISHED: &str = domain::ListingStatus::Published.code();

/// One page of a catalog, filtered, and searched when `filter.q` has words: in tiers
/// of relevance for a visitor reading `lang` (see `domain::search::analysis::tiers`),
/// each read off the index in the order of its rank keys, so a page costs the same
/// whatever the number of matches; or in the order asked for. `now` is the local time
/// in the communities: events that have ended and tour departures in the past are not
/// offered. At most [`CatalogFilter::MAX_RESULTS`] results are counted and shown.
pub async fn search(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: &CatalogFilter,
    lang: Lang,
    now: SiteTime,
) -> Result<Found, StoreError> {
    let plan = read_search(db, filter.q.as_deref().unwrap_or_default()).await?;
    search_as_read(db, kind, filter, &plan, lang, now).await
}

/// What a search's words are read as against the index's vocabulary (the words it
/// knows, the corrections of misspelt ones): one or two queries, none for no words.
pub async fn read_search(db: &impl ConnectionTrait, q: &str) -> Result<SearchPlan, StoreError> {
    text_search::read_query(db, q).await
}

/// [`search`] with its words read already ([`read_search`] of `filter.q`): the
/// one-box search reads them once for its three catalogs.
pub async fn search_as_read(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: &CatalogFilter,
    plan: &SearchPlan,
    lang: Lang,
    now: SiteTime,
) -> Result<Found, StoreError> {
    let now = now.naive();
    let backend = db.get_database_backend();
    let per_page = u64::from(CatalogFilter::PER_PAGE);
    let searched = !plan.terms.is_empty();

    let ids: Vec<i32> = if filter.sort != Sort::Usual {
        let every_match = in_index(kind, filter, plan, None, now, backend);
        let ordered = ordered(every_match, kind, filter.sort, searched, now);
        ids_of(ordered, searched, filter.offset(), per_page, db).await?
    } else if !searched {
        let in_order = in_index(kind, filter, plan, None, now, backend);
        ids_of(in_order, false, filter.offset(), per_page, db).await?
    } else if filter.offset() == 0 {
        // The first page: the first tier, which mostly fills it; then, if it did not,
        // the others' first results in one query (reading them all at once cost more
        // than the round trip it saved). Each tier holds the one before, whose results
        // (fewer than a page, or the page would be full) are skipped: so the first
        // page's worth of each tier holds all that the page still wants from it.
        let mut tiers = text_search::nested_tiers(plan, lang, backend).into_iter();
        let select =
            |tier: &text_search::Tier| in_index(kind, filter, plan, Some(tier), now, backend);
        let mut ids = match tiers.next() {
            Some(first) => ids_of(select(&first), true, 0, per_page, db).await?,
            None => Vec::new(),
        };
        let rest = tiers.map(|tier| select(&tier).into_query()).collect();
        if ids.len() < per_page as usize
            && let Some(rest) = text_search::first_of_tiers(rest, kind, per_page, backend)
        {
            let more = Id::find_by_statement(statement(&rest, true, backend))
                .all(db)
                .await?;
            let mut seen: HashSet<i32> = ids.iter().copied().collect();
            let new = more
                .into_iter()
                .map(|row| row.id)
                .filter(|id| seen.insert(*id));
            ids.extend(new.take(per_page as usize - ids.len()));
        }
        ids
    } else {
        // Tier after tier, skipping the earlier pages' results.
        let mut ids = Vec::new();
        let mut skip = filter.offset();
        for tier in text_search::tiers_of(plan, lang, backend) {
            let want = per_page - ids.len() as u64;
            if want == 0 {
                break;
            }
            let select = in_index(kind, filter, plan, Some(&tier), now, backend);
            let found = ids_of(select.clone(), true, skip, want, db).await?;
            if found.is_empty() && skip > 0 {
                // This tier is all on earlier pages: how much of them it filled.
                skip -= capped_count(select, true, skip, db).await?;
            } else {
                skip = 0;
            }
            ids.extend(found);
        }
        ids
    };
    let items = cards_of(db, &ids, now).await?;

    // A first page that is not full holds every result: no need to count them.
    let cap = u64::from(CatalogFilter::MAX_RESULTS);
    let total = if filter.offset() == 0 && items.len() < CatalogFilter::PER_PAGE as usize {
        items.len() as u64
    } else {
        count_matches(db, kind, filter, plan, now, cap + 1).await?
    };
    let suggestions = if total == 0 && (searched || filter.is_filtered()) {
        suggestions(db, kind, filter, plan, now).await?
    } else {
        Suggestions::default()
    };
    Ok(Found {
        page: Page {
            items,
            page: filter.page,
            per_page: CatalogFilter::PER_PAGE,
            total: total.min(cap),
        },
        more: total > cap,
        corrections: plan.corrections.clone(),
        suggestions,
    })
}

/// The most other searches a page that found nothing offers.
const SUGGESTED_QUERIES: usize = 3;
/// The most other searches counted to find them.
const TRIED_QUERIES: usize = 6;

/// What a search that found nothing offers instead (see `domain::search::suggest`):
/// other searches that find something, and the filters without which this one does.
/// One query for the words close to the query's, then a capped count per search tried
/// and per filter on.
async fn suggestions(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: &CatalogFilter,
    plan: &SearchPlan,
    now: NaiveDateTime,
) -> Result<Suggestions, StoreError> {
    let cap = u64::from(CatalogFilter::MAX_RESULTS);
    let mut found = Suggestions::default();
    let words = search::analysis::query_words(filter.q.as_deref().unwrap_or_default());
    if !plan.terms.is_empty() {
        let close = text_search::close_words(db, &plan.unknown).await?;
        let tried = search::suggest::alternatives(&words, &plan.unknown, &close, TRIED_QUERIES);
        for other in tried {
            let other_plan = SearchPlan {
                terms: other.iter().map(|w| search::analysis::forms(w)).collect(),
                ..Default::default()
            };
            let n = count_matches(db, kind, filter, &other_plan, now, cap).await?;
            if n > 0 {
                found.queries.push((other.join(" "), n));
                if found.queries.len() == SUGGESTED_QUERIES {
                    break;
                }
            }
        }
    }
    for field in filter.narrowing() {
        let n = count_matches(db, kind, &filter.without(field), plan, now, cap).await?;
        if n > 0 {
            found.without.push((field, n));
        }
    }
    Ok(found)
}

/// How many of `kind`'s listings `filter` and `plan` find, counting no further than `cap`.
async fn count_matches(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    filter: &CatalogFilter,
    plan: &SearchPlan,
    now: NaiveDateTime,
    cap: u64,
) -> Result<u64, StoreError> {
    let backend = db.get_database_backend();
    let select = in_index(kind, filter, plan, None, now, backend);
    capped_count(select, !plan.terms.is_empty(), cap, db).await
}

/// The listings of `kind` that `filter` and `plan` find, in the index's order: those
/// of `tier` when one is given, else every match of `plan` (every listing when it has
/// no words). See [`matching`] and [`text_search::join_index`].
fn in_index(
    kind: ListingKind,
    filter: &CatalogFilter,
    plan: &SearchPlan,
    tier: Option<&text_search::Tier>,
    now: NaiveDateTime,
    backend: DbBackend,
) -> Select<listing::Entity> {
    let any_field =
        (tier.is_none() && !plan.terms.is_empty()).then(|| text_search::any_field(plan, backend));
    let tier = tier.or(any_field.as_ref());
    let mut select = matching(kind, filter, now);
    let query = QueryTrait::query(&mut select);
    text_search::join_index(query, kind, now, tier, backend);
    text_search::order_by_rank(query, kind, tier.is_some(), backend);
    select
}

#[derive(FromQueryResult)]
struct Id {
    id: i32,
}

/// `query` as the statement `db` is sent: with its values bound, or, for a search
/// (`searched`) on PostgreSQL, written into it. PostgreSQL plans a prepared statement
/// once for any values after it has run five times, and a search's plan made without
/// its words and filters in view read every listing of the kind in key order, trying
/// the text query on each (0.3-2 s at 100,000 listings), where the words' own plan asks
/// the GIN index for the few that match. The values are the search's tokens and the
/// filter's parsed values, quoted by sea-query.
fn statement(query: &SelectStatement, searched: bool, backend: DbBackend) -> Statement {
    if searched && backend == DbBackend::Postgres {
        Statement::from_string(backend, query.to_string(PostgresQueryBuilder))
    } else {
        backend.build(query)
    }
}

/// The ids `select` finds (`searched`: with words, see [`statement`]), from the
/// `offset`th, at most `limit`.
async fn ids_of(
    select: Select<listing::Entity>,
    searched: bool,
    offset: u64,
    limit: u64,
    db: &impl ConnectionTrait,
) -> Result<Vec<i32>, StoreError> {
    let query = select
        .select_only()
        .column(listing::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_query();
    let rows = Id::find_by_statement(statement(&query, searched, db.get_database_backend()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// How many listings `select` finds (`searched`: with words, see [`statement`]),
/// counting no further than `cap`. In key order (SQLite then reads its index in order
/// rather than every listing), but a search on PostgreSQL in none: which are counted
/// does not change how many, and in key order it tried the text query on each listing
/// in turn (detoasting its terms) where the GIN index could say which match.
async fn capped_count(
    select: Select<listing::Entity>,
    searched: bool,
    cap: u64,
    db: &impl ConnectionTrait,
) -> Result<u64, StoreError> {
    let mut found = select
        .select_only()
        .column(listing::Column::Id)
        .limit(cap)
        .into_query();
    let backend = db.get_database_backend();
    if searched && backend == DbBackend::Postgres {
        found.clear_order_by();
    }
    let count = Query::select()
        .expr_as(Func::count(Expr::col(Asterisk)), "n")
        .from_subquery(found, "found")
        .to_owned();
    let n = CountRow::find_by_statement(statement(&count, searched, backend))
        .one(db)
        .await?
        .map_or(0, |c| c.n);
    Ok(u64::try_from(n).unwrap_or(0))
}

#[derive(FromQueryResult)]
struct CountRow {
    n: i64,
}

/// The cards of the listings `ids`, in that order.
async fn cards_of(
    db: &impl ConnectionTrait,
    ids: &[i32],
    now: NaiveDateTime,
) -> Result<Vec<ListingCard>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let select = joined(listing::Entity::find().filter(listing::Column::Id.is_in(ids.to_vec())));
    let mut by_id: HashMap<i32, CardRow> = card_rows(select, db, now)
        .await?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    ids.iter()
        .filter_map(|id| by_id.remove(id))
        .map(CardRow::into_card)
        .collect()
}

/// The listings of `kind` that `filter` lets through, unordered, to be joined to the
/// search index ([`text_search::join_index`]), which holds the published listings and
/// tells the kinds apart by their keys: no condition on the listing's own kind or
/// status, which would lead the database to read every listing of the kind instead of
/// the index in its order.
fn matching(
    kind: ListingKind,
    filter: &CatalogFilter,
    now: NaiveDateTime,
) -> Select<listing::Entity> {
    // The cooperative and community only when a filter asks about them: the count of
    // a page's results reads up to a thousand listings, and each join is a lookup more
    // for every one of them.
    let mut select = listing::Entity::find();
    if filter.community.is_some() || filter.state.is_some() {
        select = joined(select);
    }
    if let Some(slug) = &filter.cooperative {
        // The cooperative's id, looked up once (`= (SELECT …)`, not `IN`, for which
        // SQLite builds a temporary table): no join per listing.
        use sea_orm::sea_query::{ExprTrait, SubQueryStatement};
        let id = Query::select()
            .column(cooperative::Column::Id)
            .from(cooperative::Entity)
            .and_where(cooperative::Column::Slug.eq(slug.as_str()))
            .to_owned();
        let id = Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(id)));
        select = select.filter(Expr::col((listing::Entity, listing::Column::CooperativeId)).eq(id));
    }
    if let Some(slug) = &filter.community {
        select = select.filter(community::Column::Slug.eq(slug.as_str()));
    }
    if let Some(slug) = &filter.state {
        select = select.filter(community::Column::StateSlug.eq(slug.as_str()));
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
        ListingKind::Event if filter.from.is_some() || filter.to.is_some() => {
            let mut when = Condition::all().add(cultural_event::Column::EndsAt.gte(from));
            if let Some(until) = until {
                when = when.add(cultural_event::Column::StartsAt.lt(until));
            }
            select = select.filter(detail_exists(cultural_event::Column::ListingId, when));
        }
        ListingKind::Tour if filter.from.is_some() || filter.to.is_some() => {
            let mut when = Condition::all().add(tour_slot::Column::StartsAt.gte(from));
            if let Some(until) = until {
                when = when.add(tour_slot::Column::StartsAt.lt(until));
            }
            select = select.filter(detail_exists(tour_slot::Column::ListingId, when));
        }
        // Without dates asked for, the index's key range already leaves out the events
        // that ended (to the minute: see `plan::kind_range`), with no lookup per event.
        ListingKind::Craft | ListingKind::Event | ListingKind::Tour => {}
    }

    select
}

/// The filter form's choices: every state that has a community (a few dozen at most,
/// however many communities there are), and the communities of the state `filter`
/// names or of the community it names; none when it names neither; and the name of
/// the cooperative it keeps to. One query, a second with a state or community, a third
/// with a cooperative.
pub async fn facets(
    db: &impl ConnectionTrait,
    filter: &CatalogFilter,
) -> Result<Facets, StoreError> {
    let states: Vec<(String, String)> = community::Entity::find()
        .select_only()
        .column(community::Column::StateSlug)
        .column(community::Column::State)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut states = states
        .into_iter()
        .map(|(slug, name)| {
            Ok(NamedRef {
                slug: rows::slug("community", &slug)?,
                name,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // One a state, should its communities spell its name two ways.
    states.sort_by(|a, b| a.slug.as_str().cmp(b.slug.as_str()));
    states.dedup_by(|a, b| a.slug == b.slug);
    states.sort_by_key(|s| search::fold(&s.name));
    let of_state = match (&filter.state, &filter.community) {
        (Some(state), _) => Some(community::Column::StateSlug.eq(state.as_str())),
        (None, Some(chosen)) => Some(
            community::Column::StateSlug.in_subquery(
                Query::select()
                    .column(community::Column::StateSlug)
                    .from(community::Entity)
                    .and_where(community::Column::Slug.eq(chosen.as_str()))
                    .to_owned(),
            ),
        ),
        (None, None) => None,
    };
    let communities = match of_state {
        Some(of_state) => community::Entity::find()
            .filter(of_state)
            .order_by_asc(community::Column::Name)
            .all(db)
            .await?
            .iter()
            .map(community_summary)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    // The cooperative a profile's link chose, by name (a slug nobody has: none).
    let cooperative = match &filter.cooperative {
        Some(slug) => cooperative::Entity::find()
            .filter(cooperative::Column::Slug.eq(slug.as_str()))
            .one(db)
            .await?
            .map(|c| {
                Ok::<_, StoreError>(NamedRef {
                    slug: rows::slug("cooperative", &c.slug)?,
                    name: c.name,
                })
            })
            .transpose()?,
        None => None,
    };
    Ok(Facets {
        communities,
        states,
        cooperative,
    })
}

/// A listing of `kind` by its slug, with everything its page shows: one query for
/// the listing, its cooperative, community, producer and details; one for its photos;
/// tours and events add their ticket prices, tours their coming departures (five
/// weeks from today, or from day `calendar_from` when it is later).
pub async fn listing(
    db: &impl ConnectionTrait,
    kind: ListingKind,
    slug: &str,
    now: SiteTime,
    calendar_from: Option<NaiveDate>,
) -> Result<Option<ListingDetail>, StoreError> {
    let now = now.naive();
    let found = published(kind)
        .filter(listing::Column::Slug.eq(slug))
        .find_also_related(cooperative::Entity)
        .find_also(cooperative::Entity, community::Entity)
        .find_also(listing::Entity, producer::Entity);
    // Each kind keeps its details in its own table.
    let (row, cooperative, community, producer, details) = match kind {
        ListingKind::Craft => {
            let Some((l, c, m, p, craft)) = found
                .find_also(listing::Entity, craft::Entity)
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let craft = craft.ok_or_else(|| rows::missing("craft", l.id))?;
            (l, c, m, p, craft_details(craft))
        }
        ListingKind::Tour => {
            let Some((l, c, m, p, tour)) = found
                .find_also(listing::Entity, tour::Entity)
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let tour = tour.ok_or_else(|| rows::missing("tour", l.id))?;
            let zone = m.as_ref().map(|m| m.timezone.clone()).unwrap_or_default();
            let details = tour_details(db, tour, &zone, now, calendar_from).await?;
            (l, c, m, p, details)
        }
        ListingKind::Event => {
            let Some((l, c, m, p, event)) = found
                .find_also(listing::Entity, cultural_event::Entity)
                .one(db)
                .await?
            else {
                return Ok(None);
            };
            let event = event.ok_or_else(|| rows::missing("cultural_event", l.id))?;
            let zone = m.as_ref().map(|m| m.timezone.clone()).unwrap_or_default();
            let details = event_details(db, event, &zone, now).await?;
            (l, c, m, p, details)
        }
    };
    let cooperative =
        cooperative.ok_or_else(|| rows::missing("cooperative", row.cooperative_id))?;
    let community =
        community.ok_or_else(|| rows::missing("community", cooperative.community_id))?;
    let photos: Vec<PhotoRef> = photo::Entity::find()
        .filter(photo::Column::ListingId.eq(row.id))
        .order_by_asc(photo::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(photo_ref)
        .collect();

    let next_date = match &details {
        KindDetails::Craft { .. } => None,
        KindDetails::Tour { slots, .. } => slots.first().map(|s| s.starts_at),
        KindDetails::Event { starts_at, .. } => Some(*starts_at),
    };
    let card = CardRow {
        id: row.id,
        kind: row.kind.clone(),
        slug: row.slug.clone(),
        category: row.category.clone(),
        title_es: row.title_es.clone(),
        title_en: row.title_en.clone(),
        summary_es: row.summary_es.clone(),
        summary_en: row.summary_en.clone(),
        price_from_centavos: row.price_from_centavos,
        currency: row.currency.clone(),
        cooperative_slug: cooperative.slug.clone(),
        cooperative_name: cooperative.name.clone(),
        community_slug: community.slug.clone(),
        community_name: community.name.clone(),
        state: community.state.clone(),
        cover_key: None,
        cover_width: None,
        cover_height: None,
        cover_alt_es: None,
        cover_alt_en: None,
        next_date,
    }
    .card_with(photos.first().cloned())?;
    Ok(Some(ListingDetail {
        card,
        description: rows::text(&row.description_es, &row.description_en),
        producer: producer.as_ref().map(producer_summary).transpose()?,
        municipality: community.municipality,
        cooperative_story: rows::text(&cooperative.story_es, &cooperative.story_en),
        photos,
        details,
    }))
}

fn craft_details(c: craft::Model) -> KindDetails {
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

async fn tour_details(
    db: &impl ConnectionTrait,
    t: tour::Model,
    zone: &str,
    now: NaiveDateTime,
    from: Option<NaiveDate>,
) -> Result<KindDetails, StoreError> {
    use domain::booking::calendar::CalendarWindow;
    let capacity = u32::try_from(t.max_group_size).unwrap_or(1);
    let today = crate::booking::slots::now_in(zone, SiteTime::from_naive(now)).date();
    let first = CalendarWindow::from(today, from, false).first;
    let shown = CalendarWindow::days(first);
    // The weeks shown and as many after: whether there is anything to go on to.
    let mut slots = crate::booking::slots::calendar_in(
        db,
        t.listing_id,
        zone,
        capacity,
        now,
        Some(first),
        shown * 2,
    )
    .await?;
    let end = first + Duration::days(shown);
    let more_after = slots.iter().any(|s| s.starts_at.date() >= end);
    slots.retain(|s| s.starts_at.date() < end);
    Ok(KindDetails::Tour {
        duration_minutes: t.duration_minutes.max(0) as u32,
        meeting_point: rows::text(&t.meeting_point_es, &t.meeting_point_en),
        languages: rows::codes(&t.languages),
        max_group_size: t.max_group_size.max(0) as u32,
        tickets: tickets::of_listing(db, t.listing_id).await?,
        slots,
        calendar: CalendarWindow::from(today, from, more_after),
        zone: zone.to_owned(),
    })
}

async fn event_details(
    db: &impl ConnectionTrait,
    e: cultural_event::Model,
    zone: &str,
    now: NaiveDateTime,
) -> Result<KindDetails, StoreError> {
    let capacity = crate::booking::slots::EVENT_CAPACITY;
    let sessions = crate::booking::slots::calendar_in(
        db,
        e.listing_id,
        zone,
        capacity,
        now,
        None,
        EVENT_DAYS_SHOWN,
    )
    .await?;
    Ok(KindDetails::Event {
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        venue: rows::text(&e.venue_es, &e.venue_en),
        free: e.is_free,
        tickets: tickets::of_listing(db, e.listing_id).await?,
        sessions,
        zone: zone.to_owned(),
    })
}

/// What the home page shows: a few of each kind, the first communities, and totals
/// (the listings' as the search index keeps it).
pub async fn home(db: &impl ConnectionTrait, now: SiteTime) -> Result<HomeView, StoreError> {
    let now = now.naive();
    let backend = db.get_database_backend();
    let first = |kind, n| {
        let all = CatalogFilter {
            page: 1,
            ..Default::default()
        };
        // The cards' query joins the cooperative and community (`matching` does not
        // without a filter on them).
        let mut select = joined(matching(kind, &all, now));
        let query = QueryTrait::query(&mut select);
        text_search::join_index(query, kind, now, None, backend);
        text_search::order_by_rank(query, kind, false, backend);
        select.limit(n)
    };
    let crafts = cards(first(ListingKind::Craft, 8), db, now).await?;
    let tours = cards(first(ListingKind::Tour, 4), db, now).await?;
    let events = cards(first(ListingKind::Event, 4), db, now).await?;
    let communities = community::Entity::find()
        .order_by_asc(community::Column::Name)
        .limit(HomeView::COMMUNITIES)
        .all(db)
        .await?
        .iter()
        .map(community_summary)
        .collect::<Result<_, _>>()?;
    let count = |from: sea_orm::sea_query::SelectStatement| {
        from.to_owned()
            .expr(Func::count(Expr::col(Asterisk)))
            .to_owned()
    };
    let totals = Query::select()
        .expr_as(
            count(Query::select().from(cooperative::Entity).to_owned()),
            "cooperatives",
        )
        .expr_as(
            count(Query::select().from(community::Entity).to_owned()),
            "communities",
        )
        // The published listings as the search index counts them as it keeps them
        // (counting the listings themselves read them all).
        .expr_as(
            crate::catalog::search_index::entry_count_query(),
            "listings",
        )
        .to_owned();
    let totals = Totals::find_by_statement(db.get_database_backend().build(&totals))
        .one(db)
        .await?
        .unwrap_or_default();
    Ok(HomeView {
        crafts,
        tours,
        events,
        communities,
        community_count: u64::try_from(totals.communities).unwrap_or(0),
        cooperative_count: u64::try_from(totals.cooperatives).unwrap_or(0),
        listing_count: u64::try_from(totals.listings).unwrap_or(0),
    })
}

/// How many communities, cooperatives and published listings there are: one query.
#[derive(FromQueryResult, Default)]
struct Totals {
    communities: i64,
    cooperatives: i64,
    listings: i64,
}

/// Page `page` (from 1) of the cooperatives, by name, each with how many listings it
/// has; [`CooperativeSummary::PER_PAGE`] a page, so the page is the same size however
/// many cooperatives sell here.
pub async fn cooperatives(
    db: &impl ConnectionTrait,
    page: u32,
) -> Result<Page<CooperativeSummary>, StoreError> {
    use sea_orm::PaginatorTrait;
    let per_page = CooperativeSummary::PER_PAGE;
    let total = cooperative::Entity::find().count(db).await?;
    let coops = cooperative::Entity::find()
        .order_by_asc(cooperative::Column::Name)
        .order_by_asc(cooperative::Column::Id)
        .offset(u64::from(page.saturating_sub(1)) * u64::from(per_page))
        .limit(u64::from(per_page))
        .all(db)
        .await?;
    Ok(Page {
        items: cooperative_summaries(db, coops, None).await?,
        page,
        per_page,
        total,
    })
}

/// A profile found by its slug, with the ids the rest of its page reads by (its
/// public totals), so that nothing is looked up twice.
#[derive(Debug)]
pub struct Profiled<P> {
    pub profile: P,
    /// The cooperative's or the community's own id.
    pub id: i32,
    /// The community it is in (for a community, its own id).
    pub community_id: i32,
}

pub async fn cooperative(
    db: &impl ConnectionTrait,
    slug: &str,
    now: SiteTime,
) -> Result<Option<Profiled<CooperativeProfile>>, StoreError> {
    let now = now.naive();
    let Some(coop) = cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(slug))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let (id, community_id) = (coop.id, coop.community_id);
    let members = producer::Entity::find()
        .filter(producer::Column::CooperativeId.eq(coop.id))
        .filter(producer::Column::LeftAt.is_null())
        .order_by_asc(producer::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(producer_summary)
        .collect::<Result<_, _>>()?;
    let shelves = shelves_of(db, vec![coop.id], now).await?;
    let story = rows::text(&coop.story_es, &coop.story_en);
    let (contact_email, contact_phone) = (coop.contact_email.clone(), coop.contact_phone.clone());
    let summary = cooperative_summaries(db, vec![coop], None)
        .await?
        .pop()
        .expect("one cooperative gives one summary");
    Ok(Some(Profiled {
        profile: CooperativeProfile {
            summary,
            story,
            contact_email,
            contact_phone,
            members,
            shelves,
        },
        id,
        community_id,
    }))
}

pub async fn community(
    db: &impl ConnectionTrait,
    slug: &str,
    now: SiteTime,
) -> Result<Option<Profiled<CommunityProfile>>, StoreError> {
    let now = now.naive();
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
    let shelves = shelves_of(db, coops.iter().map(|c| c.id).collect(), now).await?;
    Ok(Some(Profiled {
        profile: CommunityProfile {
            summary: community_summary(&row)?,
            timezone: row.timezone.clone(),
            languages: rows::codes(&row.languages),
            description: rows::text(&row.description_es, &row.description_en),
            cooperatives: cooperative_summaries(db, coops, Some(&row)).await?,
            shelves,
        },
        id: row.id,
        community_id: row.id,
    }))
}

/// What the given cooperatives offer now, kind by kind (crafts, tours, events): the
/// newest [`Shelf::SHOWN`] published listings of each, without events that have
/// ended, and how many there are. Two queries: the ids and counts (a window over the
/// cooperatives' listings, which their index finds), then the cards.
async fn shelves_of(
    db: &impl ConnectionTrait,
    cooperative_ids: Vec<i32>,
    now: NaiveDateTime,
) -> Result<Vec<Shelf>, StoreError> {
    use sea_orm::sea_query::{Alias, ExprTrait};
    let ended = detail_exists(
        cultural_event::Column::ListingId,
        Condition::all().add(cultural_event::Column::EndsAt.lt(now)),
    );
    let ranked = listing::Entity::find()
        .select_only()
        .column(listing::Column::Id)
        .column(listing::Column::Kind)
        .column_as(
            Expr::cust("ROW_NUMBER() OVER (PARTITION BY kind ORDER BY created_at DESC, id DESC)"),
            "place",
        )
        .column_as(Expr::cust("COUNT(*) OVER (PARTITION BY kind)"), "count")
        .filter(listing::Column::Status.eq(PUBLISHED))
        .filter(listing::Column::CooperativeId.is_in(cooperative_ids))
        .filter(ended.not())
        .into_query();
    let (place, count) = (Alias::new("place"), Alias::new("count"));
    let first = Query::select()
        .columns([Alias::new("id"), Alias::new("kind"), count.clone()])
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(place.clone()).lte(Shelf::SHOWN))
        .order_by(place, Order::Asc)
        .to_owned();
    let rows = ShelfRow::find_by_statement(db.get_database_backend().build(&first))
        .all(db)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    // A shelf for each kind with a listing, in the kinds' order, with the kind's count.
    let mut shelves: Vec<Shelf> = ListingKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let row = rows.iter().find(|r| r.kind == kind.code())?;
            Some(Shelf {
                kind,
                listings: Vec::new(),
                count: u64::try_from(row.count).unwrap_or(0),
            })
        })
        .collect();
    // (A listing withdrawn between the two queries has no card: it is left out.)
    for card in cards_of(db, &ids, now).await? {
        if let Some(shelf) = shelves.iter_mut().find(|s| s.kind == card.kind) {
            shelf.listings.push(card);
        }
    }
    Ok(shelves)
}

/// A listing on a profile's shelf: its kind, and how many of its kind there are.
#[derive(FromQueryResult)]
struct ShelfRow {
    id: i32,
    kind: String,
    count: i64,
}

fn published(kind: ListingKind) -> Select<listing::Entity> {
    listing::Entity::find()
        .filter(listing::Column::Kind.eq(kind.code()))
        .filter(listing::Column::Status.eq(PUBLISHED))
}

/// `select` in an order a visitor chose, in place of the index's (the usual order:
/// see [`in_index`]).
fn ordered(
    select: Select<listing::Entity>,
    kind: ListingKind,
    sort: Sort,
    searched: bool,
    now: NaiveDateTime,
) -> Select<listing::Entity> {
    use sea_orm::sea_query::ExprTrait;
    let soonest = match kind {
        ListingKind::Tour => next_departure(now),
        _ => event_start(),
    };
    // Without a search, the kind and status let the database read the price and date
    // indexes in order. With one, the text index must lead (see `matching`): the
    // matches are sorted.
    let mut select = if searched {
        select
    } else {
        select
            .filter(listing::Column::Kind.eq(kind.code()))
            .filter(listing::Column::Status.eq(PUBLISHED))
    };
    QueryTrait::query(&mut select).clear_order_by();
    match sort {
        Sort::PriceLow => select
            .order_by_asc(listing::Column::PriceFromCentavos)
            .order_by_asc(listing::Column::Id),
        Sort::PriceHigh => select
            .order_by_desc(listing::Column::PriceFromCentavos)
            .order_by_asc(listing::Column::Id),
        Sort::Newest | Sort::Usual => select
            .order_by_desc(listing::Column::CreatedAt)
            .order_by_desc(listing::Column::Id),
        Sort::Soonest => {
            // Tours with no departure ahead last, on both databases.
            let next = Expr::from(soonest);
            select
                .order_by(next.clone().is_null(), Order::Asc)
                .order_by(next, Order::Asc)
                .order_by_asc(listing::Column::Id)
        }
    }
}

/// Adds to `select` the cooperative and community of each listing, which filters
/// and cards read.
fn joined(select: Select<listing::Entity>) -> Select<listing::Entity> {
    select
        .join(JoinType::InnerJoin, listing::Relation::Cooperative.def())
        .join(JoinType::InnerJoin, cooperative::Relation::Community.def())
}

/// Whether the table of `listing_id` (event details, tour departures) has a row of the
/// outer query's listing that meets `when`. A correlated `EXISTS` rather than
/// `id IN (SELECT …)`: SQLite builds a temporary table for each `IN` list, which cost
/// more than the rest of the query.
fn detail_exists(listing_id: impl ColumnTrait, when: Condition) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(listing_id.entity_name())
            .and_where(of_this_listing(listing_id))
            .cond_where(when)
            .to_owned(),
    )
}

/// For a subquery on a table of listing details: the rows of the outer query's listing.
fn of_this_listing(column: impl ColumnTrait) -> Expr {
    use sea_orm::sea_query::ExprTrait;
    Expr::col((column.entity_name(), column)).equals((listing::Entity, listing::Column::Id))
}

/// Everything a card shows, in one row: the listing, its cooperative and community,
/// its cover photo and its next date. Every query is a round trip to the database's
/// thread, so a page of cards is one query, not one per card or per table.
#[derive(FromQueryResult)]
struct CardRow {
    id: i32,
    kind: String,
    slug: String,
    category: String,
    title_es: Option<String>,
    title_en: Option<String>,
    summary_es: Option<String>,
    summary_en: Option<String>,
    price_from_centavos: i64,
    currency: String,
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
    next_date: Option<NaiveDateTime>,
}

impl CardRow {
    fn into_card(mut self) -> Result<ListingCard, StoreError> {
        let photo = self.cover_key.take().map(|key| PhotoRef {
            key,
            alt: rows::text(&self.cover_alt_es, &self.cover_alt_en),
            width: self.cover_width.unwrap_or(1).max(1) as u32,
            height: self.cover_height.unwrap_or(1).max(1) as u32,
        });
        self.card_with(photo)
    }

    /// The card, with `photo` as its cover (a listing page has its photos already).
    fn card_with(self, photo: Option<PhotoRef>) -> Result<ListingCard, StoreError> {
        Ok(ListingCard {
            kind: rows::kind(&self.kind)?,
            slug: rows::slug("listing", &self.slug)?,
            category: rows::category(&self.category)?,
            title: LocalizedText {
                es: self.title_es,
                en: self.title_en,
            },
            summary: LocalizedText {
                es: self.summary_es,
                en: self.summary_en,
            },
            price_from: price_from(self.price_from_centavos, &self.currency)?,
            community: NamedRef {
                slug: rows::slug("community", &self.community_slug)?,
                name: self.community_name,
            },
            state: self.state,
            cooperative: NamedRef {
                slug: rows::slug("cooperative", &self.cooperative_slug)?,
                name: self.cooperative_name,
            },
            photo,
            next_date: self.next_date,
        })
    }
}

/// The cards of the listings `select` finds, in its order; `select` must be
/// [`joined`]. A card's date: an event's start, or a tour's next departure from `now`.
async fn cards(
    select: Select<listing::Entity>,
    db: &impl ConnectionTrait,
    now: NaiveDateTime,
) -> Result<Vec<ListingCard>, StoreError> {
    card_rows(select, db, now)
        .await?
        .into_iter()
        .map(CardRow::into_card)
        .collect()
}

/// What [`cards`] reads, a row per card.
async fn card_rows(
    select: Select<listing::Entity>,
    db: &impl ConnectionTrait,
    now: NaiveDateTime,
) -> Result<Vec<CardRow>, StoreError> {
    use sea_orm::sea_query::ExprTrait;
    let (l, c, m, p) = (
        listing::Entity,
        cooperative::Entity,
        community::Entity,
        photo::Entity,
    );
    let next_date = Expr::case(
        Expr::col((l, listing::Column::Kind)).eq(ListingKind::Event.code()),
        event_start(),
    )
    .case(
        Expr::col((l, listing::Column::Kind)).eq(ListingKind::Tour.code()),
        next_departure(now),
    );

    let mut select = select
        .select_only()
        .columns([
            listing::Column::Id,
            listing::Column::Kind,
            listing::Column::Slug,
            listing::Column::Category,
            listing::Column::TitleEs,
            listing::Column::TitleEn,
            listing::Column::SummaryEs,
            listing::Column::SummaryEn,
            listing::Column::PriceFromCentavos,
            listing::Column::Currency,
        ])
        .column_as(
            Expr::col((c, cooperative::Column::Slug)),
            "cooperative_slug",
        )
        .column_as(
            Expr::col((c, cooperative::Column::Name)),
            "cooperative_name",
        )
        .column_as(Expr::col((m, community::Column::Slug)), "community_slug")
        .column_as(Expr::col((m, community::Column::Name)), "community_name")
        .column_as(Expr::col((m, community::Column::State)), "state")
        .column_as(Expr::col((p, photo::Column::MediaKey)), "cover_key")
        .column_as(Expr::col((p, photo::Column::Width)), "cover_width")
        .column_as(Expr::col((p, photo::Column::Height)), "cover_height")
        .column_as(Expr::col((p, photo::Column::AltEs)), "cover_alt_es")
        .column_as(Expr::col((p, photo::Column::AltEn)), "cover_alt_en")
        .column_as(Into::<Expr>::into(next_date), "next_date");
    // The cover is the photo in the first position.
    QueryTrait::query(&mut select).join(
        JoinType::LeftJoin,
        p,
        Condition::all()
            .add(Expr::col((p, photo::Column::ListingId)).equals((l, listing::Column::Id)))
            .add(Expr::col((p, photo::Column::Position)).eq(0)),
    );
    Ok(select.into_model::<CardRow>().all(db).await?)
}

/// For a query of listings: the listing's event's start (a correlated subquery).
fn event_start() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column((cultural_event::Entity, cultural_event::Column::StartsAt))
        .from(cultural_event::Entity)
        .and_where(of_this_listing(cultural_event::Column::ListingId))
        .to_owned()
}

/// For a query of listings: the listing's tour's first departure from `now` on.
fn next_departure(now: NaiveDateTime) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::ExprTrait;
    Query::select()
        .expr(Func::min(Expr::col((
            tour_slot::Entity,
            tour_slot::Column::StartsAt,
        ))))
        .from(tour_slot::Entity)
        .and_where(of_this_listing(tour_slot::Column::ListingId))
        .and_where(Expr::col((tour_slot::Entity, tour_slot::Column::StartsAt)).gte(now))
        .to_owned()
}

/// A listing's lowest price; zero is a free event.
fn price_from(centavos: i64, currency: &str) -> Result<Option<Money>, StoreError> {
    let currency = Currency::parse(currency).map_err(|_| StoreError::BadValue {
        table: "listing",
        column: "currency",
        value: currency.to_owned(),
    })?;
    Ok((centavos > 0).then(|| Money::from_centavos(centavos, currency)))
}

#[derive(FromQueryResult)]
struct ListingCount {
    cooperative_id: i32,
    count: i64,
}

/// The cooperatives as their lists show them: community, state and how many listings
/// they publish. `all_in`: the community they all belong to, when it is already read.
async fn cooperative_summaries(
    db: &impl ConnectionTrait,
    coops: Vec<cooperative::Model>,
    all_in: Option<&community::Model>,
) -> Result<Vec<CooperativeSummary>, StoreError> {
    use sea_orm::sea_query::ExprTrait;
    let ids: Vec<i32> = coops.iter().map(|c| c.id).collect();
    let counts: HashMap<i32, i64> = listing::Entity::find()
        .select_only()
        .column(listing::Column::CooperativeId)
        .column_as(Expr::col(listing::Column::Id).count(), "count")
        .filter(listing::Column::Status.eq(PUBLISHED))
        .filter(listing::Column::CooperativeId.is_in(ids))
        .group_by(listing::Column::CooperativeId)
        .into_model::<ListingCount>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.cooperative_id, c.count))
        .collect();
    let communities: HashMap<i32, community::Model> = match all_in {
        Some(known) => HashMap::from([(known.id, known.clone())]),
        None => community::Entity::find()
            .filter(community::Column::Id.is_in(coops.iter().map(|c| c.community_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect(),
    };
    coops
        .into_iter()
        .map(|c| {
            let comm = communities
                .get(&c.community_id)
                .ok_or_else(|| rows::missing("community", c.community_id))?;
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
        photo: crate::people::producers::photo_of(p),
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
