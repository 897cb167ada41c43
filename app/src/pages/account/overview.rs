//! `/account`: who the signed-in person is, where their work is, a new verification
//! email (`http::account::overview`), signing out.

use super::{PrivatePage, query};
use crate::components::errors::{redirect_to, sign_in_then_back};
use crate::lang::use_lang;
use crate::tr;
use crate::viewer::use_viewer;
use leptos::prelude::*;

/// The signed-in person's own page: who they are, and where their work is.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let Some(viewer) = use_viewer() else {
        redirect_to(&sign_in_then_back());
        return ().into_any();
    };
    let notice = match query("done").as_deref() {
        Some("welcome") => Some(tr!(lang, notice_welcome, email = viewer.email.clone())),
        Some("verified") => Some(tr!(lang, notice_verified)),
        Some("verification-sent") => Some(tr!(
            lang,
            notice_verification_sent,
            email = viewer.email.clone()
        )),
        _ => None,
    };
    let title = tr!(lang, account_title);
    let verification = if viewer.email_verified {
        view! { <p>{tr!(lang, email_verified)}</p> }.into_any()
    } else {
        view! {
            <form method="post" action="/account/verification" class="inline">
                <p>{tr!(lang, email_not_verified)}</p>
                <button type="submit">{tr!(lang, resend_verification)}</button>
            </form>
        }
        .into_any()
    };
    let coops = viewer
        .administered()
        .map(|m| {
            let href = format!("/coop/{}", m.cooperative_slug);
            view! {
                <li>
                    <a href=href>{tr!(lang, manage_cooperative, name = m.cooperative_name.clone())}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <PrivatePage title=title.clone() path="/account" />
        <section class="narrow">
            <h1>{title}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <dl class="facts">
                <dt>{tr!(lang, field_name)}</dt>
                <dd>{viewer.name.clone()}</dd>
                <dt>{tr!(lang, field_email)}</dt>
                <dd>{viewer.email.clone()}</dd>
            </dl>
            {verification}
            <ul class="plain-list">
                {viewer
                    .has_dashboard()
                    .then(|| {
                        view! {
                            <li>
                                <a href="/dashboard">{tr!(lang, dashboard_title)}</a>
                            </li>
                        }
                    })}
                {coops}
                {viewer
                    .runs_platform()
                    .then(|| {
                        view! {
                            <li>
                                <a href="/admin">{tr!(lang, platform_title)}</a>
                            </li>
                            <li>
                                <a href="/admin/outbox">{tr!(lang, outbox_title)}</a>
                            </li>
                        }
                    })}
            </ul>
            <form method="post" action="/sign-out" class="inline">
                <button type="submit">{tr!(lang, sign_out_button)}</button>
            </form>
        </section>
    }
    .into_any()
}
