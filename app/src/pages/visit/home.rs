use crate::components::{card::card_grid, load::after_loading, seo::Seo};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use domain::catalog::{HomeView, ListingCard};
use leptos::prelude::*;

#[server]
pub async fn load_home() -> Result<HomeView, PageError> {
    use crate::error::ssr::db;
    store::catalog::browse::home(&db()?, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Seo title=tr!(lang, home_title) description=tr!(lang, home_description) path="/".to_owned() />
        {after_loading(load_home(), home_view)}
    }
}

fn home_view(home: HomeView) -> impl IntoView {
    let lang = use_lang();
    let communities = home
        .communities
        .into_iter()
        .map(|c| {
            view! {
                <li>
                    <a href=format!("/communities/{}", c.slug)>{c.name}</a>
                    <small>{format!(" {}, {}", c.municipality, c.state)}</small>
                </li>
            }
        })
        .collect_view();
    // The rest of the communities, each with its cooperatives, are on /cooperatives.
    let more_communities = (home.community_count > HomeView::COMMUNITIES).then(|| {
        view! {
            <p class="more">
                <a href="/cooperatives">
                    {tr!(lang, home_all_communities, count = home.community_count)} " →"
                </a>
            </p>
        }
    });
    view! {
        <section class="hero">
            <h1>{tr!(lang, home_hero_title)}</h1>
            <p>{tr!(lang, home_hero_text)}</p>
            {crate::pages::visit::search::search_box("", lang)}
            <p class="stats">
                {tr!(
                    lang,
                    home_stats,
                    listings = home.listing_count,
                    cooperatives = home.cooperative_count
                )}
            </p>
        </section>
        {shelf(tr!(lang, home_crafts_heading), home.crafts, "/crafts", lang)}
        {shelf(tr!(lang, home_events_heading), home.events, "/events", lang)}
        {shelf(tr!(lang, home_tours_heading), home.tours, "/tours", lang)}
        <section>
            <h2>{tr!(lang, home_communities_heading)}</h2>
            <ul class="plain-list">{communities}</ul>
            {more_communities}
        </section>
    }
}

/// A heading, a few cards, and a link to the whole catalog.
fn shelf(heading: String, cards: Vec<ListingCard>, all: &'static str, lang: Lang) -> impl IntoView {
    view! {
        <section>
            <h2>{heading}</h2>
            {card_grid(cards, lang)}
            <p class="more">
                <a href=all>{tr!(lang, see_all)} " →"</a>
            </p>
        </section>
    }
}
