//! `/search?q=`: one box for crafts, tours and events. The first results of each kind,
//! grouped, each group with a link to its whole catalog searched the same way.

use crate::components::{card::card_grid, load::after_loading, seo::Seo};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::catalog::Found;
use domain::{CatalogFilter, Lang, ListingKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// How many cards of each kind the page shows.
const SHOWN_PER_KIND: usize = 4;

#[server]
pub async fn load_search(q: String, lang: Lang) -> Result<Vec<(ListingKind, Found)>, PageError> {
    use crate::error::ssr::db;
    let db = db()?;
    let now = domain::clock::now().on_site();
    let filter =
        |kind| CatalogFilter::parse(kind, [("q", q.as_str())]).map_err(PageError::BadFilter);
    // The words are read once for the three catalogs.
    let words = filter(ListingKind::Craft)?.q.unwrap_or_default();
    let plan = store::catalog::browse::read_search(&db, &words)
        .await
        .map_err(PageError::internal)?;
    let mut groups = Vec::new();
    for kind in [ListingKind::Craft, ListingKind::Tour, ListingKind::Event] {
        let found =
            store::catalog::browse::search_as_read(&db, kind, &filter(kind)?, &plan, lang, now)
                .await
                .map_err(PageError::internal)?;
        groups.push((kind, found));
    }
    Ok(groups)
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let lang = use_lang();
    let q = use_query_map().with_untracked(|q| q.get("q").unwrap_or_default());
    let title = tr!(lang, search_title);
    let query = q.clone();
    let load = async move {
        if q.trim().is_empty() {
            return Ok((q, Vec::new()));
        }
        load_search(q.clone(), lang).await.map(|groups| (q, groups))
    };
    view! {
        <Seo title=format!("{title} — Tianguis") description=tr!(lang, search_description) path="/search".to_owned() />
        <h1>{title}</h1>
        {search_box(&query, lang)}
        {after_loading(load, move |(q, groups)| results(q, groups, lang))}
    }
}

/// The one box: crafts, tours and events at once.
pub fn search_box(q: &str, lang: Lang) -> impl IntoView + use<> {
    view! {
        <form class="search-all" method="get" action="/search" role="search">
            <label>
                {tr!(lang, search_everything)}
                <input
                    type="search"
                    name="q"
                    value=q.to_owned()
                    maxlength=CatalogFilter::MAX_QUERY_LEN
                    placeholder=tr!(lang, filter_search_placeholder)
                />
            </label>
            <button type="submit">{tr!(lang, filter_search)}</button>
        </form>
    }
}

fn results(q: String, groups: Vec<(ListingKind, Found)>, lang: Lang) -> impl IntoView {
    if q.trim().is_empty() {
        return None;
    }
    let nothing = groups.iter().all(|(_, f)| f.page.items.is_empty());
    let sections = groups
        .into_iter()
        .filter(|(_, found)| !found.page.items.is_empty())
        .map(|(kind, found)| {
            let heading = match kind {
                ListingKind::Craft => tr!(lang, catalog_title_craft),
                ListingKind::Tour => tr!(lang, catalog_title_tour),
                ListingKind::Event => tr!(lang, catalog_title_event),
            };
            let total = found.page.total;
            let count = if found.more {
                tr!(lang, results_count_more, count = total)
            } else {
                tr_n!(
                    lang,
                    total,
                    results_count_one | results_count,
                    count = total
                )
            };
            let filter = CatalogFilter {
                q: Some(q.clone()),
                page: 1,
                ..Default::default()
            };
            let all = format!("{}?{}", kind.path(), filter.query_string_for_page(1));
            let mut cards = found.page.items;
            cards.truncate(SHOWN_PER_KIND);
            view! {
                <section class="search-group">
                    <h2>{heading} " " <small>{count}</small></h2>
                    {card_grid(cards, lang)}
                    <p class="more"><a href=all>{tr!(lang, see_all)} " →"</a></p>
                </section>
            }
        })
        .collect_view();
    Some(view! {
        {nothing.then(|| view! { <p class="empty">{tr!(lang, search_nothing)}</p> })}
        {sections}
    })
}
