//! `/admin`: the platform admin's page — the communities and cooperatives on
//! Tianguis, and the forms to add a community, add a cooperative (with its first
//! admin) and appoint another admin. The forms post to the server's
//! `http::admin::platform` handlers. Cooperatives then run themselves from `/coop/{slug}`.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{Choice, Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::tr;
use domain::people::platform::{MEXICAN_STATES, Platform};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[server]
pub async fn load_platform() -> Result<Platform, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    if !signed_in()?.runs_platform() {
        return Err(denied(PageError::Forbidden));
    }
    store::people::platform::overview(&db()?)
        .await
        .map_err(PageError::internal)
}

#[component]
pub fn PlatformPage() -> impl IntoView {
    let lang = use_lang();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let title = tr!(lang, platform_title);
    let notice = done.map(|d| match d.as_str() {
        "community" => tr!(lang, notice_community_created),
        "cooperative" => tr!(lang, notice_cooperative_created),
        "cooperative-waits" => tr!(lang, notice_cooperative_created_admin_waits),
        "admin-waits" => tr!(lang, notice_admin_waits),
        _ => tr!(lang, notice_admin_appointed),
    });
    let page = move |p: Platform| {
        let communities: Vec<(String, String)> = p
            .communities
            .iter()
            .map(|c| (c.slug.to_string(), format!("{} ({})", c.name, c.state)))
            .collect();
        let cooperatives: Vec<(String, String)> = p
            .cooperatives
            .iter()
            .map(|c| (c.slug.to_string(), c.name.clone()))
            .collect();
        let states: Vec<(String, String)> = MEXICAN_STATES
            .iter()
            .map(|s| ((*s).to_owned(), (*s).to_owned()))
            .collect();
        let rows = p
            .cooperatives
            .into_iter()
            .map(|c| {
                let admins = if c.admins.is_empty() {
                    tr!(lang, no_admin_yet)
                } else {
                    c.admins.join(", ")
                };
                let waiting = (!c.waiting_admins.is_empty()).then(|| {
                    let names = c.waiting_admins.join(", ");
                    view! { " · " {tr!(lang, admins_waiting, names = names)} }
                });
                view! {
                    <li class="work" data-slug=c.slug.to_string()>
                        <h3>
                            <a href=format!("/cooperatives/{}", c.slug)>{c.name.clone()}</a>
                        </h3>
                        <p class="meta">
                            {c.community.clone()} " · " {tr!(lang, admins_are, names = admins)}
                            {waiting}
                        </p>
                    </li>
                }
            })
            .collect_view();
        let wrong_payments = (!p.wrong_payments.is_empty()).then(|| {
            let rows = p
                .wrong_payments
                .into_iter()
                .map(|w| {
                    view! {
                        <li class="work">
                            <h3>{w.order_code}</h3>
                            <p class="meta">{w.at.format("%Y-%m-%d %H:%M").to_string()} " · " {w.what_came}</p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="wrong-payments">
                    <h2>{tr!(lang, wrong_payments_title)}</h2>
                    <p>{tr!(lang, wrong_payments_lead)}</p>
                    <ul class="work-list">{rows}</ul>
                </section>
            }
        });
        view! {
            {wrong_payments}
            <h2>{tr!(lang, cooperatives_list_title)}</h2>
            <ul class="work-list">{rows}</ul>
            <h2>{tr!(lang, appoint_title)}</h2>
            <p>{tr!(lang, appoint_lead)}</p>
            <form method="post" action="/admin/admins" class="stacked">
                <Choice
                    name="appoint_cooperative"
                    label=tr!(lang, field_cooperative)
                    options=cooperatives
                />
                <Field name="appoint_email" label=tr!(lang, field_admin_email) input=Input::Email />
                <button type="submit">{tr!(lang, appoint_button)}</button>
            </form>
            <h2>{tr!(lang, new_cooperative_title)}</h2>
            <form method="post" action="/admin/cooperatives" class="stacked">
                <Field name="coop_name" label=tr!(lang, field_coop_name) />
                <Choice name="community" label=tr!(lang, field_community) options=communities />
                <Field
                    name="admin_email"
                    label=tr!(lang, field_first_admin_email)
                    input=Input::Email
                    required=false
                    hint=tr!(lang, first_admin_hint)
                />
                <button type="submit">{tr!(lang, create_cooperative_button)}</button>
            </form>
            <h2>{tr!(lang, new_community_title)}</h2>
            <form method="post" action="/admin/communities" class="stacked">
                <Field name="name" label=tr!(lang, field_community_name) />
                <Field name="municipality" label=tr!(lang, field_municipality) />
                <Choice name="state" label=tr!(lang, field_state) options=states />
                <Field
                    name="languages"
                    label=tr!(lang, field_community_languages)
                    hint=tr!(lang, community_languages_hint)
                />
                <Field
                    name="description_es"
                    label=tr!(lang, field_description_es)
                    input=Input::LongText
                    required=false
                    text_lang="es"
                />
                <Field
                    name="description_en"
                    label=tr!(lang, field_description_en)
                    input=Input::LongText
                    required=false
                    text_lang="en"
                />
                <button type="submit">{tr!(lang, create_community_button)}</button>
            </form>
        }
    };
    view! {
        <Title text=format!("{title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <h1>{title}</h1>
        <nav class="subnav">
            <a href="/admin/outbox">{tr!(lang, outbox_title)}</a>
        </nav>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormProblem />
        {after_loading(load_platform(), page)}
    }
}
