//! A listing in a grid: photo, title, where it comes from, price or date.

use super::{photo::picture, text::localized};
use crate::tr;
use domain::catalog::{ListingCard, Shelf};
use domain::{Category, Lang, ListingKind, Money};
use leptos::prelude::*;

pub fn card_grid(cards: Vec<ListingCard>, lang: Lang) -> impl IntoView {
    view! {
        <ul class="cards">
            {cards.into_iter().map(|c| view! { <li>{card(c, lang)}</li> }).collect_view()}
        </ul>
    }
}

pub fn card(c: ListingCard, lang: Lang) -> impl IntoView {
    let href = c.href();
    let photo = c.photo.as_ref().map(|p| {
        picture(
            p,
            lang,
            "(min-width: 60em) 18em, (min-width: 36em) 45vw, 92vw",
            false,
        )
    });
    let date = c
        .next_date
        .map(|d| view! { <p class="date">{format_date(d, lang)}</p> });
    view! {
        <article class="card">
            <a href=href class="card-link">
                {photo}
                <h3>{localized(&c.title, lang)}</h3>
            </a>
            <p class="meta">
                <span class="category">{category_label(c.category, lang)}</span>
                " · "
                <a href=format!("/communities/{}", c.community.slug)>{c.community.name.clone()}</a>
                ", "
                {c.state.clone()}
            </p>
            {date}
            <p class="price">{price_label(c.kind, c.price_from, lang)}</p>
        </article>
    }
}

/// "desde $350.00 MXN" for tours and ticketed events, the price for crafts, "Gratis"
/// for free events.
pub fn price_label(kind: ListingKind, price: Option<Money>, lang: Lang) -> String {
    match (kind, price) {
        (_, None) => tr!(lang, free),
        (ListingKind::Craft, Some(p)) => p.to_string(),
        (_, Some(p)) => format!("{} {p}", tr!(lang, price_from)),
    }
}

pub fn category_label(category: Category, lang: Lang) -> String {
    match category {
        Category::Textiles => tr!(lang, cat_textiles),
        Category::Pottery => tr!(lang, cat_pottery),
        Category::Metalwork => tr!(lang, cat_metalwork),
        Category::Woodwork => tr!(lang, cat_woodwork),
        Category::Lacquerware => tr!(lang, cat_lacquerware),
        Category::Basketry => tr!(lang, cat_basketry),
        Category::Jewelry => tr!(lang, cat_jewelry),
        Category::Food => tr!(lang, cat_food),
        Category::Nature => tr!(lang, cat_nature),
        Category::Culture => tr!(lang, cat_culture),
        Category::Gastronomy => tr!(lang, cat_gastronomy),
        Category::Workshop => tr!(lang, cat_workshop),
        Category::Festival => tr!(lang, cat_festival),
        Category::Market => tr!(lang, cat_market),
        Category::Ceremony => tr!(lang, cat_ceremony),
        Category::Music => tr!(lang, cat_music),
    }
}

pub use domain::dates::format_date;

/// How long a tour lasts, in units read alike in Spanish and English: "4 h",
/// "45 min", "2 h 30 min" (never "4 h 0 min").
pub fn duration_label(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// A profile's listings, kind by kind: a heading with how many, the newest few, and,
/// when there are more, a link to the catalog of that kind filtered by `filter`
/// (`cooperative=…` or `community=…`).
pub fn shelves(shelves: Vec<Shelf>, filter: String, lang: Lang) -> impl IntoView {
    shelves
        .into_iter()
        .map(|shelf| {
            let heading = match shelf.kind {
                ListingKind::Craft => tr!(lang, catalog_title_craft),
                ListingKind::Tour => tr!(lang, catalog_title_tour),
                ListingKind::Event => tr!(lang, catalog_title_event),
            };
            let count = shelf.count;
            let more = (count > shelf.listings.len() as u64).then(|| {
                let label = match shelf.kind {
                    ListingKind::Craft => tr!(lang, shelf_all_craft, count = count),
                    ListingKind::Tour => tr!(lang, shelf_all_tour, count = count),
                    ListingKind::Event => tr!(lang, shelf_all_event, count = count),
                };
                view! {
                    <p class="more">
                        <a href=format!("{}?{filter}", shelf.kind.path())>{label} " →"</a>
                    </p>
                }
            });
            view! {
                <section>
                    <h2>{format!("{heading} ({count})")}</h2>
                    {card_grid(shelf.listings, lang)}
                    {more}
                </section>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod duration_tests {
    use super::duration_label;

    #[test]
    fn a_duration_leaves_out_a_zero_part() {
        assert_eq!(duration_label(240), "4 h");
        assert_eq!(duration_label(45), "45 min");
        assert_eq!(duration_label(150), "2 h 30 min");
    }
}
