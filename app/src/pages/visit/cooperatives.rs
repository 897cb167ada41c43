//! `/cooperatives` and `/cooperatives/{slug}`: who sells on Tianguis.

use crate::components::structured::JsonLd;
use crate::components::transparency::where_the_money_went;
use crate::components::{
    card::shelves,
    load::after_loading,
    pager::pager,
    seo::Seo,
    text::{excerpt, localized, paragraphs},
};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::Lang;
use domain::catalog::filter::page_number;
use domain::catalog::{CooperativeProfile, CooperativeSummary, Page, ProducerRole};
use domain::money::finances::Transparency;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_cooperatives(page: u32) -> Result<Page<CooperativeSummary>, PageError> {
    use crate::error::ssr::db;
    let found = store::catalog::browse::cooperatives(&db()?, page)
        .await
        .map_err(PageError::internal)?;
    // A page past the last one does not exist.
    if page > found.page_count() {
        return Err(PageError::NotFound);
    }
    Ok(found)
}

#[server]
pub async fn load_cooperative(
    slug: String,
) -> Result<(CooperativeProfile, Transparency), PageError> {
    use crate::error::ssr::db;
    let db = db()?;
    let now = domain::clock::now().on_site();
    let found = store::catalog::browse::cooperative(&db, &slug, now)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    let whose = store::money::finances::Whose::Cooperative(found.id);
    let totals = store::money::finances::transparency_in(&db, whose, found.community_id, now)
        .await
        .map_err(PageError::internal)?;
    Ok((found.profile, totals))
}

#[component]
pub fn CooperativesPage() -> impl IntoView {
    let lang = use_lang();
    let page = use_query_map().with_untracked(|q| q.get("page"));
    let load = async move {
        match page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => load_cooperatives(1).await,
            Some(p) => match page_number(p) {
                Ok(n) => load_cooperatives(n).await,
                Err(bad) => Err(PageError::BadFilter(bad)),
            },
        }
    };
    let list = move |found: Page<CooperativeSummary>| {
        let link = |n: u32| match n {
            1 => "/cooperatives".to_owned(),
            n => format!("/cooperatives?page={n}"),
        };
        let pager = pager(found.page, found.page_count(), &link, lang);
        view! {
            <ul class="coop-list">
                {found.items.into_iter().map(|c| coop_item(c, lang)).collect_view()}
            </ul>
            {pager}
        }
    };
    view! {
        <Seo
            title=format!("{} — Tianguis", tr!(lang, cooperatives_title))
            description=tr!(lang, cooperatives_description)
            path="/cooperatives".to_owned()
        />
        <h1>{tr!(lang, cooperatives_title)}</h1>
        <p class="lead">{tr!(lang, cooperatives_description)}</p>
        {after_loading(load, list)}
    }
}

pub fn coop_item(c: CooperativeSummary, lang: Lang) -> impl IntoView {
    let founded = c.year_founded.map(|y| tr!(lang, founded, year = y));
    view! {
        <li class="coop">
            <h2>
                <a href=format!("/cooperatives/{}", c.slug)>{c.name}</a>
            </h2>
            <p class="meta">
                <a href=format!("/communities/{}", c.community.slug)>{c.community.name}</a>
                {format!(", {}", c.state)}
                {founded.map(|f| format!(" · {f}"))}
                " · "
                {tr_n!(lang, c.listing_count, listings_count_one | listings_count, count = c.listing_count)}
            </p>
        </li>
    }
}

#[component]
pub fn CooperativePage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    after_loading(load_cooperative(slug), profile_view)
}

fn profile_view((p, totals): (CooperativeProfile, Transparency)) -> impl IntoView {
    let lang = use_lang();
    let s = &p.summary;
    let members = p
        .members
        .iter()
        .map(|m| {
            let role = match m.role {
                ProducerRole::Artisan => tr!(lang, role_artisan),
                ProducerRole::Guide => tr!(lang, role_guide),
            };
            view! {
                <li>
                    {m.photo.as_ref().map(|photo| crate::components::photo::avatar(photo, lang))}
                    <strong>{m.name.clone()}</strong>
                    {format!(" — {role}: ")}
                    {localized(&m.specialty, lang)}
                </li>
            }
        })
        .collect_view();
    let contact = [p.contact_email.clone(), p.contact_phone.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <Seo
            title=format!("{} — {} — Tianguis", s.name, s.community.name)
            description=excerpt(&p.story, lang)
            path=format!("/cooperatives/{}", s.slug)
        />
        <JsonLd data=crate::components::structured::cooperative(&p, lang) />
        <article class="profile">
            <h1>{s.name.clone()}</h1>
            <p class="meta">
                <a href=format!("/communities/{}", s.community.slug)>{s.community.name.clone()}</a>
                {format!(", {}", s.state)}
                {s.year_founded.map(|y| format!(" · {}", tr!(lang, founded, year = y)))}
            </p>
            {paragraphs(&p.story, lang)}
            <h2>{tr!(lang, members)}</h2>
            <ul class="plain-list">{members}</ul>
            <h2>{tr!(lang, contact)}</h2>
            <p>{contact}</p>
            {shelves(p.shelves, format!("cooperative={}", s.slug), lang)}
            {where_the_money_went(&totals, format!("/communities/{}/fund", s.community.slug), lang)}
        </article>
    }
}
