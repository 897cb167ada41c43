//! `tianguis seed --demo`: loads the demo catalog into an empty database and draws
//! its photos. Everything goes in one transaction: a failed seed leaves nothing.

pub mod accounts;
mod catalog;
pub mod history;
pub mod ledger_scale;
pub mod photos;
pub mod scale;

use catalog::{Common, DemoCatalog, Ticket};
use chrono::{Duration, NaiveDateTime, NaiveTime};
use domain::booking::slot::BookingRules;
use domain::booking::{CancellationPolicy, PartyLimits};
use domain::clock::SiteTime;
use domain::{Category, ListingKind, LocalizedText, Slug, catalog::ProducerRole};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait,
};
use std::collections::HashMap;
use std::path::Path;
use store::booking::schedules::OpeningRule;
use store::entity::{
    community, cooperative, craft, cultural_event, listing, photo, producer, ticket_type, tour,
};

/// Photos per listing.
const PHOTOS_PER_LISTING: u32 = 3;
/// Places at the residents' price on each date of a demo tour.
const RESIDENT_PLACES: i32 = 4;
/// The most sessions a demo event has (one a day).
const MAX_EVENT_SESSIONS: i64 = 10;

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the demo catalog file is malformed: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("the demo catalog is inconsistent: {0}")]
    Invalid(String),
    #[error(transparent)]
    Photo(#[from] photos::PhotoError),
    #[error("creating the media folder {path}: {source}")]
    MediaDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("hashing the demo password: {0}")]
    Password(#[from] auth::password::PasswordHashError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded {
        communities: usize,
        listings: usize,
        photos: usize,
    },
    /// The database already had a catalog; nothing was touched.
    AlreadyHasData,
}

/// Loads the demo catalog when the database has no communities yet.
/// `now` is the local time in the communities: event and tour dates are set from it.
pub async fn seed_demo(
    db: &DatabaseConnection,
    media_dir: &Path,
    now: NaiveDateTime,
) -> Result<SeedOutcome, SeedError> {
    if community::Entity::find().count(db).await? > 0 {
        return Ok(SeedOutcome::AlreadyHasData);
    }
    let demo = DemoCatalog::parse()?;
    // Drawing is slow CPU work: do it before the transaction, on a blocking thread.
    let dir = media_dir.to_owned();
    let (demo, photos) = tokio::task::spawn_blocking(move || {
        let photos = draw_catalog_photos(&demo, &dir)?;
        Ok::<_, SeedError>((demo, photos))
    })
    .await
    .map_err(|e| SeedError::Invalid(format!("drawing photos: {e}")))??;
    let password = domain::NewPassword::parse(accounts::DEMO_PASSWORD)
        .map_err(|e| SeedError::Invalid(format!("demo password: {e}")))?;
    let password_hash = auth::password::hash(&password).await?;
    let txn = store::write_transaction(db).await?;
    let outcome = Loader::new(&txn, now, &photos, 0).load(&demo).await?;
    accounts::load(&txn, &password_hash, now).await?;
    txn.commit().await?;
    store::catalog::search_index::index_missing(db)
        .await
        .map_err(store_error)?;
    Ok(outcome)
}

struct Loader<'a, C> {
    db: &'a C,
    now: NaiveDateTime,
    /// listing slug → size of each photo's widest rendition, drawn before loading.
    photos: &'a HashMap<String, Vec<(u32, u32)>>,
    /// slug → id
    communities: HashMap<String, i32>,
    /// slug → (id, community slug)
    cooperatives: HashMap<String, (i32, String)>,
    /// slug → (id, cooperative slug, role)
    producers: HashMap<String, (i32, String, ProducerRole)>,
    photo_count: usize,
    listings: usize,
}

impl<'a, C: ConnectionTrait> Loader<'a, C> {
    /// A loader into a catalog that has `listings` listings already.
    fn new(
        db: &'a C,
        now: NaiveDateTime,
        photos: &'a HashMap<String, Vec<(u32, u32)>>,
        listings: usize,
    ) -> Self {
        Loader {
            db,
            now,
            photos,
            communities: HashMap::new(),
            cooperatives: HashMap::new(),
            producers: HashMap::new(),
            photo_count: 0,
            listings,
        }
    }

    async fn load(mut self, demo: &DemoCatalog) -> Result<SeedOutcome, SeedError> {
        for c in &demo.communities {
            let slug = valid_slug(&c.slug)?;
            let row = community::ActiveModel {
                slug: Set(slug.to_string()),
                name: Set(c.name.clone()),
                municipality: Set(c.municipality.clone()),
                state: Set(c.state.clone()),
                state_slug: Set(Slug::from_name(&c.state).to_string()),
                timezone: Set(c.timezone.clone()),
                languages: Set(c.languages.join(",")),
                description_es: Set(c.description.es.clone()),
                description_en: Set(c.description.en.clone()),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.communities.insert(c.slug.clone(), row.id);
        }
        for c in &demo.cooperatives {
            let slug = valid_slug(&c.slug)?;
            let community_id = lookup(&self.communities, &c.community, "community")?;
            let row = cooperative::ActiveModel {
                community_id: Set(*community_id),
                slug: Set(slug.to_string()),
                name: Set(c.name.clone()),
                story_es: Set(c.story.es.clone()),
                story_en: Set(c.story.en.clone()),
                contact_email: Set(Some(c.contact_email.clone())),
                contact_phone: Set(Some(c.contact_phone.clone())),
                year_founded: Set(Some(c.year_founded)),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.cooperatives
                .insert(c.slug.clone(), (row.id, c.community.clone()));
        }
        for p in &demo.producers {
            let slug = valid_slug(&p.slug)?;
            let role = ProducerRole::parse(&p.role).ok_or_else(|| {
                SeedError::Invalid(format!("producer {}: role {:?}", p.slug, p.role))
            })?;
            let (cooperative_id, _) = lookup(&self.cooperatives, &p.cooperative, "cooperative")?;
            let row = producer::ActiveModel {
                cooperative_id: Set(*cooperative_id),
                slug: Set(slug.to_string()),
                name: Set(p.name.clone()),
                role: Set(role.code().to_owned()),
                bio_es: Set(p.bio.es.clone()),
                bio_en: Set(p.bio.en.clone()),
                specialty_es: Set(p.specialty.es.clone()),
                specialty_en: Set(p.specialty.en.clone()),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.producers
                .insert(p.slug.clone(), (row.id, p.cooperative.clone(), role));
        }

        for c in &demo.crafts {
            let id = self
                .listing(ListingKind::Craft, &c.common, c.price_centavos)
                .await?;
            if c.made_to_order != c.lead_days.is_some() {
                return Err(SeedError::Invalid(format!(
                    "craft {}: lead days go with made-to-order",
                    c.common.slug
                )));
            }
            let [w, h, d] = c.dimensions_cm.map_or([None; 3], |d| d.map(Some));
            craft::ActiveModel {
                listing_id: Set(id),
                stock: Set(c.stock),
                materials_es: Set(c.materials.es.clone()),
                materials_en: Set(c.materials.en.clone()),
                technique_es: Set(c.technique.es.clone()),
                technique_en: Set(c.technique.en.clone()),
                width_cm: Set(w),
                height_cm: Set(h),
                depth_cm: Set(d),
                made_to_order: Set(c.made_to_order),
                lead_days: Set(c.lead_days),
            }
            .insert(self.db)
            .await?;
        }

        for (index, t) in demo.tours.iter().enumerate() {
            let from = headline_price(&t.tickets, &t.common.slug)?;
            let id = self.listing(ListingKind::Tour, &t.common, from).await?;
            tour::ActiveModel {
                listing_id: Set(id),
                duration_minutes: Set(t.duration_minutes),
                meeting_point_es: Set(t.meeting_point.es.clone()),
                meeting_point_en: Set(t.meeting_point.en.clone()),
                languages: Set(t.languages.join(",")),
                max_group_size: Set(t.max_group_size),
            }
            .insert(self.db)
            .await?;
            self.tickets(id, &t.tickets, Some(RESIDENT_PLACES)).await?;
            let start = parse_time(&t.start_time, &t.common.slug)?;
            for weekday in &t.weekdays {
                let rule = OpeningRule::Weekly {
                    weekday: *weekday,
                    starts: start,
                };
                store::booking::schedules::add_rule(self.db, id, &rule)
                    .await
                    .map_err(store_error)?;
            }
            self.book_by(id, &tour_rules(t, index)).await?;
        }

        for e in &demo.events {
            if e.free != e.tickets.is_empty() {
                return Err(SeedError::Invalid(format!(
                    "event {}: a free event has no tickets, a ticketed one has some",
                    e.common.slug
                )));
            }
            let from = if e.free {
                0
            } else {
                headline_price(&e.tickets, &e.common.slug)?
            };
            let id = self.listing(ListingKind::Event, &e.common, from).await?;
            let starts_at = (self.now.date() + Duration::days(e.starts_in_days))
                .and_time(parse_time(&e.start_time, &e.common.slug)?);
            cultural_event::ActiveModel {
                listing_id: Set(id),
                starts_at: Set(starts_at),
                ends_at: Set(starts_at + Duration::hours(e.duration_hours.max(1))),
                venue_es: Set(e.venue.es.clone()),
                venue_en: Set(e.venue.en.clone()),
                is_free: Set(e.free),
            }
            .insert(self.db)
            .await?;
            self.tickets(id, &e.tickets, None).await?;
            // A fair of several days has a session each day; an evening, one.
            let days = (e.duration_hours / 24).clamp(1, MAX_EVENT_SESSIONS);
            for day in 0..days {
                let at = starts_at + Duration::days(day);
                store::booking::schedules::add_rule(self.db, id, &OpeningRule::Extra { at })
                    .await
                    .map_err(store_error)?;
            }
            self.book_by(id, &event_rules(e)).await?;
        }

        Ok(SeedOutcome::Loaded {
            communities: self.communities.len(),
            listings: self.listings,
            photos: self.photo_count,
        })
    }

    /// Writes listing `id`'s booking rules and makes its slots.
    async fn book_by(&self, id: i32, rules: &BookingRules) -> Result<(), SeedError> {
        let (token, _) = auth::token::new_token();
        store::booking::schedules::save_booking_rules(self.db, id, rules, &token)
            .await
            .map_err(store_error)?;
        store::booking::schedules::materialize(self.db, id, SiteTime::from_naive(self.now))
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// Inserts the shared listing row and its photos; returns the listing id.
    async fn listing(
        &mut self,
        kind: ListingKind,
        c: &Common,
        price_from_centavos: i64,
    ) -> Result<i32, SeedError> {
        let slug = valid_slug(&c.slug)?;
        let invalid =
            |what: &str| SeedError::Invalid(format!("{} {}: {what}", kind.code(), c.slug));
        let category = Category::parse(&c.category)
            .filter(|cat| kind.categories().contains(cat))
            .ok_or_else(|| invalid("unknown category"))?;
        if price_from_centavos < 0 {
            return Err(invalid("negative price"));
        }
        let (cooperative_id, _) =
            lookup(&self.cooperatives, &c.cooperative, "cooperative")?.clone();
        let producer_id = match &c.producer {
            Some(p) => {
                let (id, coop, _) = lookup(&self.producers, p, "producer")?;
                if *coop != c.cooperative {
                    return Err(invalid("producer belongs to another cooperative"));
                }
                Some(*id)
            }
            None => None,
        };
        // Staggered creation times keep "newest first" stable and meaningful.
        self.listings += 1;
        let created_at = self.now - Duration::hours(self.listings as i64);
        let row = listing::ActiveModel {
            kind: Set(kind.code().to_owned()),
            slug: Set(slug.to_string()),
            cooperative_id: Set(cooperative_id),
            producer_id: Set(producer_id),
            category: Set(category.code().to_owned()),
            title_es: Set(c.title.es.clone()),
            title_en: Set(c.title.en.clone()),
            summary_es: Set(c.summary.es.clone()),
            summary_en: Set(c.summary.en.clone()),
            description_es: Set(c.description.es.clone()),
            description_en: Set(c.description.en.clone()),
            price_from_centavos: Set(price_from_centavos),
            currency: Set("MXN".to_owned()),
            status: Set(domain::ListingStatus::Published.code().to_owned()),
            rejection_reason: Set(None),
            created_at: Set(created_at),
            updated_at: Set(None),
            ..Default::default()
        }
        .insert(self.db)
        .await?;

        let sizes = self
            .photos
            .get(&c.slug)
            .ok_or_else(|| invalid("photos not drawn"))?;
        let mut rows = Vec::new();
        for (position, (width, height)) in sizes.iter().copied().enumerate() {
            let key = photo_key(&slug, position);
            let alt = |title: &Option<String>, word: &str| {
                title
                    .as_ref()
                    .map(|t| format!("{t} — {word} {}", position + 1))
            };
            rows.push(photo::ActiveModel {
                listing_id: Set(row.id),
                position: Set(position as i32),
                media_key: Set(key),
                width: Set(width as i32),
                height: Set(height as i32),
                alt_es: Set(alt(&c.title.es, "foto")),
                alt_en: Set(alt(&c.title.en, "photo")),
                ..Default::default()
            });
        }
        self.photo_count += rows.len();
        photo::Entity::insert_many(rows).exec(self.db).await?;
        Ok(row.id)
    }

    /// Writes a listing's ticket types; `residents` limits the residents' places per slot.
    async fn tickets(
        &self,
        listing_id: i32,
        tickets: &[Ticket],
        residents: Option<i32>,
    ) -> Result<(), SeedError> {
        if tickets.is_empty() {
            return Ok(());
        }
        let rows: Vec<ticket_type::ActiveModel> = tickets
            .iter()
            .enumerate()
            .map(|(i, t)| ticket_type::ActiveModel {
                listing_id: Set(listing_id),
                code: Set(t.code.clone()),
                price_centavos: Set(t.price_centavos),
                currency: Set("MXN".to_owned()),
                position: Set(i as i32),
                limit_per_slot: Set((t.code == "resident").then_some(residents).flatten()),
                ..Default::default()
            })
            .collect();
        ticket_type::Entity::insert_many(rows).exec(self.db).await?;
        Ok(())
    }
}

/// Draws every demo photo into `media_dir` (files already there are kept) and
/// returns, per listing slug, the size of each photo's widest rendition.
pub fn draw_photos(media_dir: &Path) -> Result<HashMap<String, Vec<(u32, u32)>>, SeedError> {
    draw_catalog_photos(&DemoCatalog::parse()?, media_dir)
}

fn draw_catalog_photos(
    demo: &DemoCatalog,
    media_dir: &Path,
) -> Result<HashMap<String, Vec<(u32, u32)>>, SeedError> {
    std::fs::create_dir_all(media_dir).map_err(|source| SeedError::MediaDir {
        path: media_dir.display().to_string(),
        source,
    })?;
    let commons = demo
        .crafts
        .iter()
        .map(|c| &c.common)
        .chain(demo.tours.iter().map(|t| &t.common))
        .chain(demo.events.iter().map(|e| &e.common));
    let mut sizes = HashMap::new();
    for c in commons {
        let slug = valid_slug(&c.slug)?;
        let pattern = photos::Pattern::parse(&c.pattern)?;
        let palette = photos::parse_palette(&c.palette)?;
        let drawn = (0..PHOTOS_PER_LISTING)
            .map(|i| {
                photos::ensure_photo(
                    media_dir,
                    &photo_key(&slug, i as usize),
                    pattern,
                    &palette,
                    i,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        sizes.insert(c.slug.clone(), drawn);
    }
    Ok(sizes)
}

fn photo_key(slug: &Slug, position: usize) -> String {
    format!("{slug}-{}", position + 1)
}

fn valid_slug(s: &str) -> Result<Slug, SeedError> {
    Slug::parse(s).map_err(|e| SeedError::Invalid(format!("slug {s:?}: {e}")))
}

fn lookup<'m, V>(map: &'m HashMap<String, V>, slug: &str, what: &str) -> Result<&'m V, SeedError> {
    map.get(slug)
        .ok_or_else(|| SeedError::Invalid(format!("unknown {what} {slug:?}")))
}

/// The price a listing shows "from": the adult ticket's, as a producer's own listing
/// has it (a child's lower price would promise what an adult does not pay); the first
/// ticket's when there is no adult one.
fn headline_price(tickets: &[Ticket], slug: &str) -> Result<i64, SeedError> {
    tickets
        .iter()
        .find(|t| t.code == "adult")
        .or_else(|| tickets.first())
        .map(|t| t.price_centavos)
        .filter(|p| *p > 0)
        .ok_or_else(|| SeedError::Invalid(format!("{slug}: needs tickets with prices")))
}

fn parse_time(hhmm: &str, slug: &str) -> Result<NaiveTime, SeedError> {
    NaiveTime::parse_from_str(hhmm, "%H:%M")
        .map_err(|_| SeedError::Invalid(format!("{slug}: time {hhmm:?} is not HH:MM")))
}

fn store_error(err: store::StoreError) -> SeedError {
    SeedError::Invalid(format!("store: {err}"))
}

/// The demo tours take bookings each their way: the policies take turns, so the demo
/// shows all three; groups of at most the tour's size, bookings close 12 hours ahead.
fn tour_rules(t: &catalog::Tour, index: usize) -> BookingRules {
    let policy = [
        CancellationPolicy::Flexible,
        CancellationPolicy::Moderate,
        CancellationPolicy::Strict,
    ][index % 3];
    let capacity = u32::try_from(t.max_group_size).unwrap_or(1).max(1);
    let bring = if t.common.category == "workshop" {
        LocalizedText {
            es: Some(
                "Ropa que se pueda manchar, agua y efectivo si quiere comprar en el taller.".into(),
            ),
            en: Some(
                "Clothes that may get stained, water, and cash if you want to buy at the workshop."
                    .into(),
            ),
        }
    } else {
        LocalizedText {
            es: Some("Agua, sombrero, bloqueador solar y zapatos cerrados.".into()),
            en: Some("Water, a hat, sunscreen and closed shoes.".into()),
        }
    };
    BookingRules {
        capacity,
        party: PartyLimits {
            min: 1,
            max: capacity.min(8),
        },
        cutoff_hours: 12,
        horizon_days: 90,
        policy,
        bring,
    }
}

/// Events: a free one takes RSVPs for a big crowd, a ticketed one fewer; bookings
/// close two hours before a session.
fn event_rules(e: &catalog::Event) -> BookingRules {
    let capacity = if e.free { 150 } else { 60 };
    BookingRules {
        capacity,
        party: PartyLimits { min: 1, max: 10 },
        cutoff_hours: 2,
        horizon_days: 365,
        policy: CancellationPolicy::Flexible,
        bring: LocalizedText::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_big_enough_and_bilingual() {
        let demo = DemoCatalog::parse().expect("catalog.json parses");
        assert!(demo.communities.len() >= 6);
        let states: std::collections::HashSet<_> =
            demo.communities.iter().map(|c| &c.state).collect();
        assert!(states.len() >= 4, "communities in at least 4 states");
        assert!(demo.crafts.len() >= 40);
        assert!(demo.tours.len() >= 10);
        assert!(demo.events.len() >= 8);
        let untranslated = demo
            .crafts
            .iter()
            .filter(|c| c.common.title.en.is_none())
            .count();
        assert!(untranslated <= 2, "nearly everything is in both languages");
        assert!(demo.crafts.iter().all(|c| c.common.title.es.is_some()));
    }
}
