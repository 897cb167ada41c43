//! `/crafts`, `/tours`, `/events`: a filtered, paginated catalog. The filters are a
//! plain GET form, so they live in the query string and a filtered page can be shared.

use crate::components::errors::field_label;
use crate::components::{
    card::{card_grid, category_label},
    load::after_loading,
    pager::pager,
    seo::Seo,
};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::catalog::filter::{FilterField, Sort, pesos};
use domain::catalog::{Facets, Found, ListingCard, Page, Suggestions};
use domain::{CatalogFilter, Lang, ListingKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogView {
    pub results: Found,
    pub facets: Facets,
}

#[server]
pub async fn load_catalog(
    kind: ListingKind,
    filter: CatalogFilter,
    lang: Lang,
) -> Result<CatalogView, PageError> {
    use crate::error::ssr::db;
    let db = db()?;
    let now = domain::clock::now().on_site();
    let results = store::catalog::browse::search(&db, kind, &filter, lang, now)
        .await
        .map_err(PageError::internal)?;
    // A page past the last one does not exist (page 1 of nothing does: "no results").
    if filter.page > 1 && filter.page > results.page.page_count() {
        return Err(PageError::NotFound);
    }
    let facets = store::catalog::browse::facets(&db, &filter)
        .await
        .map_err(PageError::internal)?;
    Ok(CatalogView { results, facets })
}

#[component]
pub fn CatalogPage(kind: ListingKind) -> impl IntoView {
    let lang = use_lang();
    let filter = use_query_map().with_untracked(|q| {
        CatalogFilter::parse(kind, q.into_iter().map(|(k, v)| (k.as_ref(), v)))
    });
    let load = async move {
        match filter {
            Ok(filter) => load_catalog(kind, filter.clone(), lang)
                .await
                .map(|view| (filter, view)),
            Err(bad) => Err(PageError::BadFilter(bad)),
        }
    };
    let (title, description) = titles(kind, lang);
    view! {
        <Seo title=format!("{title} — Tianguis") description path=kind.path().to_owned() />
        <h1>{title}</h1>
        {after_loading(load, move |(filter, view)| catalog_view(kind, filter, view))}
    }
}

fn titles(kind: ListingKind, lang: Lang) -> (String, String) {
    match kind {
        ListingKind::Craft => (
            tr!(lang, catalog_title_craft),
            tr!(lang, catalog_desc_craft),
        ),
        ListingKind::Tour => (tr!(lang, catalog_title_tour), tr!(lang, catalog_desc_tour)),
        ListingKind::Event => (
            tr!(lang, catalog_title_event),
            tr!(lang, catalog_desc_event),
        ),
    }
}

fn catalog_view(kind: ListingKind, filter: CatalogFilter, view: CatalogView) -> impl IntoView {
    let lang = use_lang();
    let results = view.results.page;
    let count = if view.results.more {
        tr!(lang, results_count_more, count = results.total)
    } else {
        tr_n!(
            lang,
            results.total,
            results_count_one | results_count,
            count = results.total
        )
    };
    let read_as = view
        .results
        .corrections
        .iter()
        .map(|(word, read)| {
            let read = read.join(" / ");
            view! { <p class="read-as">{tr!(lang, search_read_as, read = read, word = word.clone())}</p> }
        })
        .collect_view();
    let empty = results.items.is_empty().then(|| {
        view! {
            <p class="empty">{tr!(lang, no_results)}</p>
            {suggestions(kind, &filter, &view.results.suggestions, lang)}
        }
    });
    let pager = pagination(kind, &filter, &results, lang);
    view! {
        <div class="catalog">
            {filter_form(kind, &filter, &view.facets, lang)}
            <section class="results" aria-live="polite">
                <p class="count">{count}</p>
                {read_as}
                {empty}
                {card_grid(results.items, lang)}
                {pager}
            </section>
        </div>
    }
}

/// Links to what would find something, each with how many it finds.
fn suggestions(
    kind: ListingKind,
    filter: &CatalogFilter,
    offered: &Suggestions,
    lang: Lang,
) -> impl IntoView + use<> {
    let href = |f: &CatalogFilter| {
        let qs = f.query_string_for_page(1);
        if qs.is_empty() {
            kind.path().to_owned()
        } else {
            format!("{}?{qs}", kind.path())
        }
    };
    let count = move |n: u64| tr_n!(lang, n, results_count_one | results_count, count = n);
    let queries = (!offered.queries.is_empty()).then(|| {
        let links = offered
            .queries
            .iter()
            .map(|(q, n)| {
                let other = CatalogFilter {
                    q: Some(q.clone()),
                    ..filter.without(FilterField::Page)
                };
                view! { <li><a href=href(&other)>{q.clone()}</a> " (" {count(*n)} ")"</li> }
            })
            .collect_view();
        view! { <p>{tr!(lang, search_try)}</p> <ul class="suggestions">{links}</ul> }
    });
    let without = (!offered.without.is_empty()).then(|| {
        let links = offered
            .without
            .iter()
            .map(|(field, n)| {
                let label = tr!(lang, search_without, filter = field_label(*field, lang));
                view! { <li><a href=href(&filter.without(*field))>{label}</a> " (" {count(*n)} ")"</li> }
            })
            .collect_view();
        view! { <ul class="suggestions">{links}</ul> }
    });
    view! { {queries} {without} }
}

fn filter_form(
    kind: ListingKind,
    f: &CatalogFilter,
    facets: &Facets,
    lang: Lang,
) -> impl IntoView + use<> {
    let selected = |current: Option<&str>, value: &str| current == Some(value);
    let community = f.community.as_ref().map(|s| s.as_str().to_owned());
    let state = f.state.as_ref().map(|s| s.as_str().to_owned());
    // A state's communities once a state is chosen: every community of the site
    // would be a list as long as the site grows.
    let community_choice = if facets.communities.is_empty() {
        view! { <p class="hint">{tr!(lang, filter_community_after_state)}</p> }.into_any()
    } else {
        let communities = facets
            .communities
            .iter()
            .map(|c| {
                let sel = selected(community.as_deref(), c.slug.as_str());
                view! { <option value=c.slug.to_string() selected=sel>{c.name.clone()}</option> }
            })
            .collect_view();
        view! {
            <label>
                {tr!(lang, filter_community)}
                <select name="community">
                    <option value="">{tr!(lang, filter_any)}</option>
                    {communities}
                </select>
            </label>
        }
        .into_any()
    };
    let states = facets
        .states
        .iter()
        .map(|s| {
            let sel = selected(state.as_deref(), s.slug.as_str());
            view! { <option value=s.slug.to_string() selected=sel>{s.name.clone()}</option> }
        })
        .collect_view();
    let categories = kind
        .categories()
        .iter()
        .map(|c| {
            let sel = f.category == Some(*c);
            view! { <option value=c.code() selected=sel>{category_label(*c, lang)}</option> }
        })
        .collect_view();
    let dates = kind.is_dated().then(|| {
        view! {
            <label>
                {tr!(lang, filter_from)}
                <input type="date" name="from" value=f.from.map(|d| d.to_string()) />
            </label>
            <label>
                {tr!(lang, filter_to)}
                <input type="date" name="to" value=f.to.map(|d| d.to_string()) />
            </label>
        }
    });
    // A cooperative's listings (its page's link): kept while ticked, unticked to see
    // everyone's.
    let cooperative = facets.cooperative.as_ref().map(|c| {
        view! {
            <label class="check">
                <input type="checkbox" name="cooperative" value=c.slug.to_string() checked=true />
                {tr!(lang, filter_only_cooperative, name = c.name.clone())}
            </label>
        }
    });
    let clear = f
        .is_filtered()
        .then(|| view! { <a class="clear" href=kind.path()>{tr!(lang, filter_clear)}</a> });
    let sorts = Sort::of(kind)
        .map(|sort| {
            let label = match sort {
                Sort::Usual if f.q.is_some() => tr!(lang, sort_relevance),
                Sort::Usual => tr!(lang, sort_usual),
                Sort::Soonest => tr!(lang, sort_soonest),
                Sort::PriceLow => tr!(lang, sort_price_low),
                Sort::PriceHigh => tr!(lang, sort_price_high),
                Sort::Newest => tr!(lang, sort_newest),
            };
            view! { <option value=sort.code() selected={f.sort == sort}>{label}</option> }
        })
        .collect_view();
    // On a phone the filters fold under one line that says how many are on; open
    // when any is, so what narrows the results is in sight.
    let narrowing = [
        f.cooperative.is_some(),
        f.community.is_some(),
        f.state.is_some(),
        f.category.is_some(),
        f.min_price.is_some(),
        f.max_price.is_some(),
        f.from.is_some(),
        f.to.is_some(),
    ]
    .into_iter()
    .filter(|on| *on)
    .count();
    let summary = if narrowing == 0 {
        tr!(lang, filters_more)
    } else {
        tr_n!(
            lang,
            narrowing,
            filters_more_active_one | filters_more_active,
            count = narrowing
        )
    };
    view! {
        <form class="filters" method="get" action=kind.path() role="search">
            <h2 class="visually-hidden">{tr!(lang, filters_heading)}</h2>
            <label class="search">
                {tr!(lang, filter_search)}
                <input
                    type="search"
                    name="q"
                    value=f.q.clone()
                    maxlength=CatalogFilter::MAX_QUERY_LEN
                    placeholder=tr!(lang, filter_search_placeholder)
                />
            </label>
            <label class="sort">
                {tr!(lang, sort_label)}
                <select name="sort">{sorts}</select>
            </label>
            <details class="more-filters" open={narrowing > 0}>
            <summary>{summary}</summary>
            <div class="filter-fields">
            {cooperative}
            <label>
                {tr!(lang, filter_state)}
                <select name="state">
                    <option value="">{tr!(lang, filter_any)}</option>
                    {states}
                </select>
            </label>
            {community_choice}
            <label>
                {tr!(lang, filter_category)}
                <select name="category">
                    <option value="">{tr!(lang, filter_any)}</option>
                    {categories}
                </select>
            </label>
            <label>
                {tr!(lang, filter_min)}
                <input type="text" inputmode="decimal" name="min" value=f.min_price.map(pesos) size=8 />
            </label>
            <label>
                {tr!(lang, filter_max)}
                <input type="text" inputmode="decimal" name="max" value=f.max_price.map(pesos) size=8 />
            </label>
            {dates}
            </div>
            </details>
            <div class="actions">
                <button type="submit">{tr!(lang, filter_apply)}</button>
                {clear}
            </div>
        </form>
    }
}

fn pagination(
    kind: ListingKind,
    f: &CatalogFilter,
    page: &Page<ListingCard>,
    lang: Lang,
) -> impl IntoView + use<> {
    let link = |n: u32| {
        let qs = f.query_string_for_page(n);
        if qs.is_empty() {
            kind.path().to_owned()
        } else {
            format!("{}?{qs}", kind.path())
        }
    };
    pager(page.page, page.page_count(), &link, lang)
}
