//! `/communities/{slug}`: a community, its languages, cooperatives and listings.

use crate::components::transparency::where_the_money_went;
use crate::components::{
    card::shelves,
    load::after_loading,
    seo::Seo,
    text::{excerpt, paragraphs},
};
use crate::error::PageError;
use crate::lang::use_lang;
use crate::pages::visit::cooperatives::coop_item;
use crate::tr;
use domain::catalog::{CommunityProfile, language_name};
use domain::money::finances::Transparency;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[server]
pub async fn load_community(slug: String) -> Result<(CommunityProfile, Transparency), PageError> {
    use crate::error::ssr::db;
    let db = db()?;
    let now = domain::clock::now().on_site();
    let found = store::catalog::browse::community(&db, &slug, now)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    let whose = store::money::finances::Whose::Community(found.id);
    let totals = store::money::finances::transparency_in(&db, whose, found.community_id, now)
        .await
        .map_err(PageError::internal)?;
    Ok((found.profile, totals))
}

#[component]
pub fn CommunityPage() -> impl IntoView {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    after_loading(load_community(slug), community_view)
}

fn community_view((c, totals): (CommunityProfile, Transparency)) -> impl IntoView {
    let lang = use_lang();
    let s = &c.summary;
    let languages = c
        .languages
        .iter()
        .map(|code| language_name(code, lang))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <Seo
            title=format!("{}, {} — Tianguis", s.name, s.state)
            description=excerpt(&c.description, lang)
            path=format!("/communities/{}", s.slug)
        />
        <article class="profile">
            <h1>{s.name.clone()}</h1>
            <p class="meta">{format!("{}, {}", s.municipality, s.state)}</p>
            {paragraphs(&c.description, lang)}
            <p>
                <strong>{tr!(lang, languages_spoken)}</strong>
                {format!(": {languages}")}
            </p>
            <h2>{tr!(lang, cooperatives_here)}</h2>
            <ul class="coop-list">
                {c.cooperatives.into_iter().map(|co| coop_item(co, lang)).collect_view()}
            </ul>
            {shelves(c.shelves, format!("community={}", s.slug), lang)}
            {where_the_money_went(&totals, format!("/communities/{}/fund", s.slug), lang)}
        </article>
    }
}
