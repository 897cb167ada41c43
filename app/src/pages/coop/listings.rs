//! `/coop/{slug}`: what a cooperative admin does — approve or reject the listings
//! waiting in the queue (a visitor never sees one before it is approved), and take a
//! published one down with a reason. The forms post to the server's
//! `http::coop::listings` handlers, which check again that the person runs this
//! cooperative.

use crate::components::load::after_loading;
use crate::components::text::{paragraphs, plain};
use crate::error::PageError;
use crate::forms::use_form_echo;
use crate::lang::use_lang;
use crate::pages::dashboard::listings::{kind_label, post_button};
use crate::tr;
use domain::Lang;
use domain::catalog::moderation::WorkListing;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopWork {
    pub slug: String,
    pub name: String,
    pub pending: Vec<WorkListing>,
    pub published: Vec<WorkListing>,
}

/// Server-side checks the cooperative admin's pages share.
#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::error::PageError;
    use crate::error::ssr::{denied, signed_in};
    use domain::people::access::Membership;

    /// The cooperative `slug` if the signed-in person administers it; else the error
    /// that sends them to sign in, or refuses them.
    pub fn administered(slug: &str) -> Result<Membership, PageError> {
        let viewer = signed_in()?;
        viewer
            .administration_of(slug)
            .cloned()
            .ok_or_else(|| denied(PageError::Forbidden))
    }
}

#[server]
pub async fn load_coop_work(slug: String) -> Result<CoopWork, PageError> {
    use crate::error::ssr::db;
    use domain::ListingStatus;
    let membership = ssr::administered(&slug)?;
    let db = db()?;
    let id = membership.cooperative_id;
    let in_status = |status| store::catalog::listings::in_cooperative(&db, id, status);
    Ok(CoopWork {
        slug: membership.cooperative_slug.to_string(),
        name: membership.cooperative_name.clone(),
        pending: in_status(ListingStatus::Pending)
            .await
            .map_err(PageError::internal)?,
        published: in_status(ListingStatus::Published)
            .await
            .map_err(PageError::internal)?,
    })
}

/// The links between a cooperative admin's pages.
#[component]
pub fn CoopNav(slug: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="subnav" aria-label=tr!(lang, coop_nav_label)>
            <a href=format!("/coop/{slug}")>{tr!(lang, coop_nav_listings)}</a>
            <a href=format!("/coop/{slug}/members")>{tr!(lang, coop_nav_members)}</a>
            <a href=format!("/coop/{slug}/profile")>{tr!(lang, coop_nav_profile)}</a>
            <a href=format!("/coop/{slug}/shipping")>{tr!(lang, coop_nav_shipping)}</a>
            <a href=format!("/coop/{slug}/finances")>{tr!(lang, coop_nav_finances)}</a>
            <a href="/dashboard/orders">{tr!(lang, sold_title)}</a>
            <a href="/dashboard/slots">{tr!(lang, my_slots_link)}</a>
            <a href=format!("/cooperatives/{slug}")>{tr!(lang, coop_nav_public)}</a>
        </nav>
    }
}

#[component]
pub fn CoopAdminPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done"));
    after_loading(load_coop_work(slug), move |w: CoopWork| {
        let title = tr!(lang, manage_cooperative, name = w.name.clone());
        let notice = done.map(|d| match d.as_str() {
            "approved" => tr!(lang, notice_listing_approved),
            _ => tr!(lang, notice_listing_rejected),
        });
        let slug = w.slug.clone();
        let queue = if w.pending.is_empty() {
            view! { <p>{tr!(lang, queue_empty)}</p> }.into_any()
        } else {
            view! {
                <ul class="work-list">
                    {w
                        .pending
                        .into_iter()
                        .map(|l| queue_item(&slug, l, true, lang))
                        .collect_view()}
                </ul>
            }
            .into_any()
        };
        let published = w
            .published
            .into_iter()
            .map(|l| queue_item(&slug, l, false, lang))
            .collect_view();
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            <h1>{title}</h1>
            <CoopNav slug=slug.clone() />
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <h2>{tr!(lang, queue_title)}</h2>
            {queue}
            <h2>{tr!(lang, published_title)}</h2>
            <ul class="work-list">{published}</ul>
        }
    })
}

fn queue_item(slug: &str, l: WorkListing, pending: bool, lang: Lang) -> impl IntoView + use<> {
    let base = format!("/coop/{slug}/listings/{}", l.id);
    let echo = use_form_echo();
    // A refused rejection (no reason) comes back to this listing's form.
    let error = echo
        .error_of(&format!("reason-{}", l.id))
        .map(|e| e.message(lang));
    let approve =
        pending.then(|| post_button(format!("{base}/approve"), tr!(lang, approve_listing), ""));
    let reason_id = format!("reason-{}", l.id);
    let reject_label = if pending {
        tr!(lang, reject_listing)
    } else {
        tr!(lang, take_down_listing)
    };
    view! {
        <li class="work" data-slug=l.slug.to_string()>
            <h3>{plain(&l.title, lang)}</h3>
            {match &l.cover {
                Some(photo) => crate::components::photo::picture(photo, lang, "160px", false).into_any(),
                None => view! { <p class="hint">{tr!(lang, queue_no_photo)}</p> }.into_any(),
            }}
            <p class="meta">{kind_label(l.kind, lang)} " · " {l.price.to_string()}</p>
            <div class="summary">{paragraphs(&l.summary, lang)}</div>
            <p class="actions">{approve}</p>
            <form method="post" action=format!("{base}/reject") class="stacked reject">
                <div class="field" class:field-invalid=error.is_some()>
                    <label for=reason_id.clone()>{tr!(lang, rejection_reason_field)}</label>
                    {error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
                    <textarea id=reason_id.clone() name="reason" rows=2></textarea>
                </div>
                <button type="submit" class="secondary">
                    {reject_label}
                </button>
            </form>
        </li>
    }
}
