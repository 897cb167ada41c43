//! `tianguis seed --demo --listings N` (for `bench/`): grows the demo's catalog to N
//! listings for measuring pages at scale. Each new listing is one of the demo's own,
//! varied — its words (a colour, a size, a place), its cooperative (one of many new
//! ones in new communities), its price, its weekday or date. Its photos are rows of
//! the demo listing's sizes whose files are not drawn (100,000 listings' renditions
//! would be millions of files; the pages' cost is the same, the images answer 404).
//! Loaded through the same `Loader` as the demo, so every row is what a real listing has.

use super::catalog::{Common, Community, Cooperative, DemoCatalog, Event, Producer, Tour};
use super::{Loader, SeedError, SeedOutcome};
use domain::LocalizedText;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use store::entity::listing;

/// The new communities' names: a saint's and a place's.
const SAINTS: [&str; 8] = [
    "San Juan",
    "Santa María",
    "San Pedro",
    "Santiago",
    "San Miguel",
    "Santa Ana",
    "San Andrés",
    "San Bartolo",
];
const PLACES: [&str; 10] = [
    "Yaxé",
    "Zoogocho",
    "Chicahuaxtla",
    "Nuxaá",
    "Tepetlapa",
    "Xochiltepec",
    "Ayutla",
    "Yolox",
    "Tlahuitoltepec",
    "Quiané",
];
/// Words that vary a listing's title, in both languages.
const COLOURS: [(&str, &str); 10] = [
    ("azul añil", "indigo blue"),
    ("rojo grana", "cochineal red"),
    ("amarillo cempasúchil", "marigold yellow"),
    ("verde musgo", "moss green"),
    ("negro carbón", "charcoal black"),
    ("blanco crudo", "natural white"),
    ("rosa mexicano", "Mexican pink"),
    ("café nogal", "walnut brown"),
    ("morado jacaranda", "jacaranda purple"),
    ("naranja tierra", "earth orange"),
];
const SIZES: [(&str, &str); 4] = [
    ("chico", "small"),
    ("mediano", "medium"),
    ("grande", "large"),
    ("de colección", "collector's"),
];
/// Listings per new cooperative, and new cooperatives per new community.
const LISTINGS_PER_COOPERATIVE: usize = 100;
const COOPERATIVES_PER_COMMUNITY: usize = 5;

/// Adds listings until the catalog holds `total` (nothing if it holds that many), in
/// one transaction. The demo must be loaded: its photos are the new listings'.
pub async fn grow_catalog(
    db: &DatabaseConnection,
    media_dir: &std::path::Path,
    total: usize,
    now: chrono::NaiveDateTime,
) -> Result<SeedOutcome, SeedError> {
    let have = listing::Entity::find().count(db).await? as usize;
    let demo = DemoCatalog::parse()?;
    let mut photos = super::draw_photos(media_dir)?;
    let grown = grown_catalog(&demo, total.saturating_sub(have), have);
    // Each new listing's photo rows have its demo listing's sizes.
    for (slug, template) in &grown.templates {
        // (A template without photos leaves none: the loader refuses the listing.)
        if let Some(sizes) = photos.get(template).cloned() {
            photos.insert(slug.clone(), sizes);
        }
    }
    let txn = store::write_transaction(db).await?;
    let outcome = Loader::new(&txn, now, &photos, have)
        .load(&grown.catalog)
        .await?;
    txn.commit().await?;
    store::catalog::search_index::index_missing(db)
        .await
        .map_err(super::store_error)?;
    Ok(outcome)
}

/// The new catalog, and the demo listing each new listing's photos are from.
struct Grown {
    catalog: DemoCatalog,
    /// new listing slug → demo listing slug
    templates: Vec<(String, String)>,
}

/// `count` new listings (numbered from `first`, so slugs stay unique when grown
/// twice) in new communities and cooperatives, made from the demo's.
fn grown_catalog(demo: &DemoCatalog, count: usize, first: usize) -> Grown {
    let cooperatives = count.div_ceil(LISTINGS_PER_COOPERATIVE);
    let communities = cooperatives.div_ceil(COOPERATIVES_PER_COMMUNITY);
    let mut catalog = DemoCatalog {
        communities: Vec::new(),
        cooperatives: Vec::new(),
        producers: Vec::new(),
        crafts: Vec::new(),
        tours: Vec::new(),
        events: Vec::new(),
    };
    for n in 0..communities {
        let template = &demo.communities[n % demo.communities.len()];
        let name = format!(
            "{} {}",
            SAINTS[n % SAINTS.len()],
            PLACES[(n / SAINTS.len()) % PLACES.len()]
        );
        catalog.communities.push(Community {
            slug: format!("{}-{}", domain::Slug::from_name(&name), first + n),
            name,
            ..template.clone()
        });
    }
    for n in 0..cooperatives {
        let template = &demo.cooperatives[n % demo.cooperatives.len()];
        let community = &catalog.communities[n / COOPERATIVES_PER_COMMUNITY];
        let slug = format!("{}-{}", template.slug, first + n);
        catalog.producers.push(Producer {
            slug: format!("{slug}-artesana"),
            cooperative: slug.clone(),
            ..demo.producers[n % demo.producers.len()].clone()
        });
        catalog.cooperatives.push(Cooperative {
            slug,
            community: community.slug.clone(),
            name: format!("{} de {}", template.name, community.name),
            ..template.clone()
        });
    }
    let mut templates = Vec::with_capacity(count);
    let kinds = demo.crafts.len() + demo.tours.len() + demo.events.len();
    for n in 0..count {
        let cooperative = catalog.cooperatives[n / LISTINGS_PER_COOPERATIVE]
            .slug
            .clone();
        let which = n % kinds;
        let mut vary = |common: &Common| {
            let slug = format!("{}-{}", common.slug, first + n);
            templates.push((slug.clone(), common.slug.clone()));
            varied(common, slug, &cooperative, n)
        };
        if which < demo.crafts.len() {
            let craft = &demo.crafts[which];
            let mut new = craft.clone();
            new.common = vary(&craft.common);
            new.price_centavos = varied_price(craft.price_centavos, n);
            catalog.crafts.push(new);
        } else if which < demo.crafts.len() + demo.tours.len() {
            let tour = &demo.tours[which - demo.crafts.len()];
            catalog.tours.push(Tour {
                common: vary(&tour.common),
                // One weekday each: the slots of 100,000 listings stay a few per listing.
                weekdays: vec![(n % 7) as u32 + 1],
                ..tour.clone()
            });
        } else {
            let event = &demo.events[which - demo.crafts.len() - demo.tours.len()];
            catalog.events.push(Event {
                common: vary(&event.common),
                starts_in_days: 1 + (n as i64 * 7) % 300,
                ..event.clone()
            });
        }
    }
    Grown { catalog, templates }
}

/// A demo listing as another cooperative's, its title told apart by a colour and a size.
fn varied(common: &Common, slug: String, cooperative: &str, n: usize) -> Common {
    let (colour_es, colour_en) = COLOURS[n % COLOURS.len()];
    let (size_es, size_en) = SIZES[(n / COLOURS.len()) % SIZES.len()];
    let title = LocalizedText {
        es: common
            .title
            .es
            .as_ref()
            .map(|t| format!("{t}, {colour_es}, {size_es}")),
        en: common
            .title
            .en
            .as_ref()
            .map(|t| format!("{t}, {colour_en}, {size_en}")),
    };
    Common {
        slug,
        cooperative: cooperative.to_owned(),
        producer: None,
        title,
        ..common.clone()
    }
}

/// A price near the demo's: from 70 % to 139 % of it, in whole pesos.
fn varied_price(centavos: i64, n: usize) -> i64 {
    let percent = 70 + (n as i64 * 37) % 70;
    (centavos * percent / 100) / 100 * 100
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grown_catalog_has_the_listings_asked_for_each_with_a_unique_slug() {
        let demo = DemoCatalog::parse().unwrap();
        let grown = grown_catalog(&demo, 1_234, 69);
        let c = &grown.catalog;
        assert_eq!(c.crafts.len() + c.tours.len() + c.events.len(), 1_234);
        assert_eq!(c.cooperatives.len(), 13);
        assert_eq!(c.communities.len(), 3);
        let mut slugs: Vec<&str> = grown.templates.iter().map(|(s, _)| s.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 1_234);
        assert!(c.crafts.iter().all(|k| {
            [&k.common.title.es, &k.common.title.en]
                .into_iter()
                .flatten()
                .all(|title| title.contains(", "))
        }));
    }
}
