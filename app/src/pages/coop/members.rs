//! `/coop/{slug}/members`: a cooperative admin's view of its people — members,
//! roles waiting for an address to be verified, invitations waiting for an answer, helpers entrusted with a producer's listings —
//! with the forms to invite, withdraw, remove, entrust and revoke (handled by the
//! server's `http::coop::members`), and the record of every such change.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{Choice, Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::pages::coop::listings::CoopNav;
use crate::pages::dashboard::listings::post_button;
use crate::tr;
use domain::catalog::ProducerRole;
use domain::people::members::{
    CoopEvent, CoopMembers, Helper, Member, PendingInvitation, WaitingRole,
};
use domain::{Lang, MemberRole};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_coop_members(slug: String) -> Result<CoopMembers, PageError> {
    use crate::error::ssr::db;
    /// How many recorded changes the page shows.
    const HISTORY: u64 = 50;
    let coop = crate::pages::coop::listings::ssr::administered(&slug)?;
    let db = db()?;
    let id = coop.cooperative_id;
    let load = async {
        Ok::<_, store::StoreError>(CoopMembers {
            slug: coop.cooperative_slug.clone(),
            name: coop.cooperative_name.clone(),
            members: store::people::members::members(&db, id).await?,
            invitations: store::people::members::pending_invitations(&db, id).await?,
            helpers: store::people::members::helpers(&db, id).await?,
            waiting: store::people::waiting_roles::of_cooperative(&db, id).await?,
            producers: store::people::members::producers(&db, id).await?,
            history: store::people::members::history(&db, id, HISTORY).await?,
        })
    };
    load.await.map_err(PageError::internal)
}

pub fn role_label(role: MemberRole, producer: Option<ProducerRole>, lang: Lang) -> String {
    match (role, producer) {
        (MemberRole::Admin, _) => tr!(lang, role_admin),
        (_, Some(ProducerRole::Guide)) => tr!(lang, role_guide),
        (MemberRole::Helper, _) => tr!(lang, role_helper),
        _ => tr!(lang, role_artisan),
    }
}

fn date(at: chrono::NaiveDateTime) -> String {
    at.format("%Y-%m-%d").to_string()
}

#[component]
pub fn CoopMembersPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done"));
    after_loading(load_coop_members(slug), move |c: CoopMembers| {
        let title = tr!(lang, members_title, name = c.name.clone());
        let notice = done.map(|d| match d.as_str() {
            "invited" => tr!(lang, notice_invited),
            "withdrawn" => tr!(lang, notice_invitation_withdrawn),
            "removed" => tr!(lang, notice_member_removed),
            "helper" => tr!(lang, notice_helper_granted),
            "helper-waits" => tr!(lang, notice_helper_waits),
            "waiting-withdrawn" => tr!(lang, notice_waiting_withdrawn),
            _ => tr!(lang, notice_helper_revoked),
        });
        let base = format!("/coop/{}", c.slug);
        let producers: Vec<(String, String)> = c
            .producers
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect();
        let members = c
            .members
            .into_iter()
            .map(|m| member_row(&base, m, lang))
            .collect_view();
        let invitations = (!c.invitations.is_empty()).then(|| {
            let rows = c
                .invitations
                .into_iter()
                .map(|i| invitation_row(&base, i, lang))
                .collect_view();
            view! {
                <h2>{tr!(lang, invitations_title)}</h2>
                <ul class="work-list">{rows}</ul>
            }
        });
        let helpers = c
            .helpers
            .into_iter()
            .map(|h| helper_row(&base, h, lang))
            .collect_view();
        let waiting = (!c.waiting.is_empty()).then(|| {
            let rows = c
                .waiting
                .into_iter()
                .map(|w| waiting_row(&base, w, lang))
                .collect_view();
            view! {
                <h2>{tr!(lang, waiting_roles_title)}</h2>
                <p>{tr!(lang, waiting_roles_lead)}</p>
                <ul class="work-list waiting">{rows}</ul>
            }
        });
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            <h1>{title}</h1>
            <CoopNav slug=c.slug.to_string() />
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <FormProblem />
            <h2>{tr!(lang, members_list_title)}</h2>
            <ul class="work-list members">{members}</ul>
            {waiting}
            {invitations}
            <h2>{tr!(lang, invite_title)}</h2>
            <p>{tr!(lang, invite_lead)}</p>
            <form method="post" action=format!("{base}/invitations") class="stacked">
                <Field name="email" label=tr!(lang, field_email) input=Input::Email />
                <Choice
                    name="role"
                    label=tr!(lang, field_producer_role)
                    options=vec![
                        ("artisan".into(), tr!(lang, role_artisan)),
                        ("guide".into(), tr!(lang, role_guide)),
                    ]
                />
                <Choice
                    name="email_lang"
                    label=tr!(lang, field_email_lang)
                    options=vec![
                        ("es".into(), "Español".into()),
                        ("en".into(), "English".into()),
                    ]
                    value=lang.code().to_owned()
                />
                <button type="submit">{tr!(lang, invite_button)}</button>
            </form>
            <h2>{tr!(lang, helpers_title)}</h2>
            <p>{tr!(lang, helpers_lead)}</p>
            <ul class="work-list">{helpers}</ul>
            {(!producers.is_empty())
                .then(|| {
                    view! {
                        <form method="post" action=format!("{base}/helpers") class="stacked">
                            <Field
                                name="helper_email"
                                label=tr!(lang, field_helper_email)
                                input=Input::Email
                            />
                            <Choice
                                name="producer"
                                label=tr!(lang, field_helped_producer)
                                options=producers
                            />
                            <button type="submit">{tr!(lang, grant_helper_button)}</button>
                        </form>
                    }
                })}
            <h2>{tr!(lang, coop_history_title)}</h2>
            <History events=c.history />
        }
    })
}

fn member_row(base: &str, m: Member, lang: Lang) -> impl IntoView + use<> {
    let role = role_label(m.role, m.producer.as_ref().map(|p| p.role), lang);
    // The public profile's name, when it differs from the account's.
    let profile = m
        .producer
        .as_ref()
        .filter(|p| p.name != m.name)
        .map(|p| format!(" · {}", p.name));
    let remove = format!("{base}/members/{}/remove", m.membership_id);
    view! {
        <li class="work" data-email=m.email.clone()>
            <h3>{m.name.clone()}</h3>
            <p class="meta">
                {role} " · " {m.email.clone()} {profile} " · "
                {tr!(lang, member_since, date = date(m.since))}
            </p>
            // Asking once more without JavaScript: the button is inside a closed box.
            <details>
                <summary>{tr!(lang, remove_member)}</summary>
                <p>{tr!(lang, remove_member_warning, name = m.name.clone())}</p>
                {post_button(remove, tr!(lang, remove_member_confirm), "danger")}
            </details>
        </li>
    }
}

fn invitation_row(base: &str, i: PendingInvitation, lang: Lang) -> impl IntoView + use<> {
    let role = role_label(MemberRole::Producer, Some(i.role), lang);
    view! {
        <li class="work" data-email=i.email.clone()>
            <h3>{i.email.clone()}</h3>
            <p class="meta">
                {role} " · " {tr!(lang, invited_by, name = i.invited_by.clone(), date = date(i.sent_at))}
                " · " {tr!(lang, invitation_expires, date = date(i.expires_at))}
            </p>
            {post_button(
                format!("{base}/invitations/{}/withdraw", i.id),
                tr!(lang, withdraw_invitation),
                "secondary",
            )}
        </li>
    }
}

fn waiting_row(base: &str, w: WaitingRole, lang: Lang) -> impl IntoView + use<> {
    let role = match &w.helps {
        None => tr!(lang, role_admin),
        Some(producer) => tr!(
            lang,
            helper_for,
            helper = w.name.clone(),
            producer = producer.clone()
        ),
    };
    view! {
        <li class="work" data-email=w.email.clone()>
            <h3>{w.name.clone()}</h3>
            <p class="meta">
                {role} " · " {w.email.clone()} " · " {tr!(lang, waits_since, date = date(w.since))}
            </p>
            {post_button(
                format!("{base}/waiting/{}/withdraw", w.id),
                tr!(lang, withdraw_waiting_role),
                "secondary",
            )}
        </li>
    }
}

fn helper_row(base: &str, h: Helper, lang: Lang) -> impl IntoView + use<> {
    view! {
        <li class="work" data-email=h.email.clone()>
            <p>{tr!(lang, helper_for, helper = h.name.clone(), producer = h.producer_name.clone())}</p>
            <p class="meta">{h.email.clone()}</p>
            {post_button(
                format!("{base}/helpers/{}/revoke", h.grant_id),
                tr!(lang, revoke_helper),
                "secondary",
            )}
        </li>
    }
}

/// The recorded changes, as sentences.
#[component]
fn History(events: Vec<CoopEvent>) -> impl IntoView {
    let lang = use_lang();
    if events.is_empty() {
        return view! { <p>{tr!(lang, coop_history_empty)}</p> }.into_any();
    }
    view! {
        <ol class="history">
            {events
                .into_iter()
                .map(|e| {
                    let (by, about) = (e.by.clone(), e.subject.clone());
                    let what = match e.action.as_str() {
                        "invited" => tr!(lang, event_invited, by = by, about = about),
                        "invitation_withdrawn" => {
                            tr!(lang, event_invitation_withdrawn, by = by, about = about)
                        }
                        "joined" => tr!(lang, event_joined, about = about),
                        "member_removed" => tr!(lang, event_member_removed, by = by, about = about),
                        "helper_granted" => tr!(lang, event_helper_granted, by = by, about = about),
                        "helper_revoked" => tr!(lang, event_helper_revoked, by = by, about = about),
                        "profile_edited" => tr!(lang, event_profile_edited, by = by),
                        "admin_appointed" => {
                            tr!(lang, event_admin_appointed, by = by, about = about)
                        }
                        "admin_removed" => tr!(lang, event_admin_removed, by = by, about = about),
                        "admin_waits" => tr!(lang, event_admin_waits, by = by, about = about),
                        "helper_waits" => tr!(lang, event_helper_waits, by = by, about = about),
                        "waiting_withdrawn" => {
                            tr!(lang, event_waiting_withdrawn, by = by, about = about)
                        }
                        "created" => tr!(lang, event_created, by = by),
                        "producer_profile_edited" => {
                            tr!(lang, event_producer_profile_edited, by = by, about = about)
                        }
                        other => other.to_owned(),
                    };
                    view! {
                        <li>
                            <time>{e.at.format("%Y-%m-%d %H:%M").to_string()}</time>
                            " "
                            {what}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
