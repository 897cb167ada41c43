//! `/dashboard/slots`: the coming dates of every tour and event the signed-in person
//! runs (as its guide, their helper, or an admin of its cooperative), each linking
//! to its manifest; and the calendar feeds that put them on a phone's calendar.

use crate::components::calendar::state_label;
use crate::components::load::after_loading;
use crate::components::text::localized;
use crate::error::PageError;
use crate::lang::use_lang;
use crate::tr;
use domain::booking::slot::RunListing;
use domain::dates::format_date;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde::{Deserialize, Serialize};

/// Days of slots the page lists.
#[cfg(feature = "ssr")]
const DAYS_SHOWN: i64 = 21;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySlots {
    pub listings: Vec<RunListing>,
    /// The secrets of the person's own guide feeds (one per producer profile).
    pub guide_feeds: Vec<String>,
    /// The address calendar feeds start with.
    pub base_url: String,
}

#[server]
pub async fn load_my_slots() -> Result<MySlots, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let producers: Vec<i32> = viewer
        .own_producers()
        .filter_map(|m| m.producer_id)
        .chain(viewer.helps.iter().map(|h| h.producer_id))
        .collect();
    let cooperatives: Vec<i32> = viewer.administered().map(|m| m.cooperative_id).collect();
    if producers.is_empty() && cooperatives.is_empty() {
        return Err(denied(PageError::Forbidden));
    }
    let db = db()?;
    let listings = store::booking::slots::run_by(
        &db,
        &producers,
        &cooperatives,
        domain::clock::now().on_site(),
        DAYS_SHOWN,
    )
    .await
    .map_err(PageError::internal)?;
    let mut guide_feeds = Vec::new();
    for id in viewer.own_producers().filter_map(|m| m.producer_id) {
        let fresh = auth::token::new_token().0;
        if let Some(token) = store::booking::calendar_feeds::guide_token(&db, id, &fresh)
            .await
            .map_err(PageError::internal)?
        {
            guide_feeds.push(token);
        }
    }
    let base_url = use_context::<crate::PublicUrl>()
        .map(|u| u.0)
        .unwrap_or_default();
    Ok(MySlots {
        listings,
        guide_feeds,
        base_url,
    })
}

#[component]
pub fn MySlotsPage() -> impl IntoView {
    after_loading(load_my_slots(), my_slots_view)
}

fn my_slots_view(m: MySlots) -> impl IntoView {
    let lang = use_lang();
    let done = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("done"));
    let notice = done
        .filter(|d| d == "new-addresses")
        .map(|_| view! { <p class="notice" role="status">{tr!(lang, notice_calendar_new_addresses)}</p> });
    let listings = m
        .listings
        .iter()
        .map(|l| {
            let slots = l
                .slots
                .iter()
                .map(|s| {
                    let taken = s.capacity.saturating_sub(s.left);
                    view! {
                        <li>
                            <a href=format!("/dashboard/slots/{}", s.id)>{format_date(s.starts_at, lang)}</a>
                            " · "
                            {tr!(lang, places_taken_of, taken = taken, capacity = s.capacity)}
                            " · "
                            {state_label(s, lang)}
                        </li>
                    }
                })
                .collect_view();
            let feed = l.calendar_token.as_ref().map(|t| {
                let url = format!("{}/calendar/{t}.ics", m.base_url);
                view! {
                    <p class="hint">
                        {tr!(lang, calendar_feed_label)} " " <a href=url.clone()>{url.clone()}</a>
                    </p>
                }
            });
            view! {
                <section class="run-listing">
                    <h2>{localized(&l.title, lang)}</h2>
                    <p>
                        <a href=format!("/dashboard/listings/{}/schedule", l.id)>{tr!(lang, schedule_link)}</a>
                    </p>
                    {feed}
                    {if l.slots.is_empty() {
                        view! { <p>{tr!(lang, no_departures)}</p> }.into_any()
                    } else {
                        view! { <ul class="slot-list">{slots}</ul> }.into_any()
                    }}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("{} — Tianguis", tr!(lang, my_slots_title)) />
        <Meta name="robots" content="noindex" />
        <section class="my-slots">
            <h1>{tr!(lang, my_slots_title)}</h1>
            {notice}
            <p class="lead">{tr!(lang, my_slots_lead)}</p>
            {m.guide_feeds
                .iter()
                .map(|t| {
                    let url = format!("{}/calendar/{t}.ics", m.base_url);
                    view! {
                        <p class="hint guide-feed">
                            {tr!(lang, guide_feed_label)} " " <a href=url.clone()>{url.clone()}</a>
                        </p>
                    }
                })
                .collect_view()}
            {listings}
            <form method="post" action="/dashboard/calendar/new-addresses" class="stacked">
                <p class="hint">{tr!(lang, calendar_new_addresses_hint)}</p>
                <button type="submit">{tr!(lang, calendar_new_addresses_button)}</button>
            </form>
        </section>
    }
}
