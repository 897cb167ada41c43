//! `/dashboard/slots/{id}`: who is coming to a slot, for the guide at the meeting
//! point. A code is typed (or arrives in the address from the booking's QR code) and
//! checked in with one button; each party also has its own buttons. The guide can
//! close the slot to new bookings, open it again, or call it off (every booking is
//! then cancelled in full and every visitor emailed).

use crate::components::calendar::state_label;
use crate::components::load::after_loading;
use crate::components::text::plain;
use crate::error::PageError;
use crate::forms::{FormProblem, use_form_echo};
use crate::lang::use_lang;
use crate::pages::visit::listing::ticket_label;
use crate::{tr, tr_n};
use domain::Lang;
use domain::booking::BookingStatus;
use domain::booking::calendar::SlotState;
use domain::booking::view::{ManifestRow, ManifestView};
use domain::dates::format_date;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The manifest of slot `id`, for the people who run it.
#[server]
pub async fn load_manifest(id: i32) -> Result<ManifestView, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let db = db()?;
    let (producer, cooperative) = store::booking::slots::owner(&db, id)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    if !viewer.runs_slots_of(producer, cooperative) {
        return Err(denied(PageError::Forbidden));
    }
    store::booking::slots::manifest(&db, id, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)
}

#[component]
pub fn ManifestPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or_default()
    });
    let query = use_query_map();
    let code = query.with_untracked(|q| q.get("code").unwrap_or_default());
    let done = query.with_untracked(|q| q.get("done").unwrap_or_default());
    let who = query.with_untracked(|q| q.get("who").unwrap_or_default());
    after_loading(load_manifest(id), move |m| {
        manifest_view(m, code, done, who)
    })
}

fn manifest_view(m: ManifestView, code: String, done: String, who: String) -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let slot = &m.slot;
    let l = &slot.listing;
    let id = slot.slot.id;
    let title = plain(&l.title, lang);
    let when = format_date(slot.slot.starts_at, lang);
    let (arrived, expected) = m.arrived_of_expected();
    let notice = match done.as_str() {
        "checked_in" => Some(tr!(lang, checked_in_notice, who = who.clone())),
        "already" => Some(tr!(lang, already_checked_in_notice, who = who.clone())),
        "no_show" => Some(tr!(lang, no_show_notice, who = who.clone())),
        "closed" => Some(tr!(lang, slot_closed_notice)),
        "opened" => Some(tr!(lang, slot_opened_notice)),
        "cancelled" => Some(tr_n!(
            lang,
            who.parse::<u64>().unwrap_or_default(),
            slot_cancelled_notice_one | slot_cancelled_notice,
            count = who.clone()
        )),
        _ => None,
    }
    .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let typed = echo.typed("code").map(str::to_owned).unwrap_or(code);
    let rows = m.rows.iter().map(|r| row_view(id, r, lang)).collect_view();
    let state = slot.slot.state;
    let slot_actions = match state {
        SlotState::Cancelled => {
            view! { <p class="notice">{tr!(lang, err_slot_cancelled)}</p> }.into_any()
        }
        _ => {
            let (path, label) = if state == SlotState::Closed {
                ("open", tr!(lang, open_slot_button))
            } else {
                ("close", tr!(lang, close_slot_button))
            };
            view! {
                <section class="slot-actions">
                    <h2>{tr!(lang, slot_actions_title)}</h2>
                    <form method="post" action=format!("/dashboard/slots/{id}/{path}") class="inline">
                        <button type="submit" class="secondary">{label}</button>
                    </form>
                    <form method="post" action=format!("/dashboard/slots/{id}/cancel") class="stacked">
                        <p class="hint">{tr!(lang, cancel_slot_explained)}</p>
                        <label>
                            <input type="checkbox" name="sure" value="yes" required=true />
                            " "
                            {tr!(lang, cancel_slot_sure)}
                        </label>
                        <button type="submit" class="danger">{tr!(lang, cancel_slot_button)}</button>
                    </form>
                </section>
            }
            .into_any()
        }
    };
    view! {
        <Title text=format!("{title} — {when} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <section class="manifest">
            <nav class="crumbs" aria-label=tr!(lang, crumbs_label)>
                <a href="/dashboard/slots">{tr!(lang, my_slots_title)}</a>
            </nav>
            <h1>{title.clone()}</h1>
            <p class="lead">{when} " · " {state_label(&slot.slot, lang)}</p>
            {notice}
            <p class="tally">{tr!(lang, arrived_of_expected, arrived = arrived, expected = expected)}</p>
            <form method="post" action=format!("/dashboard/slots/{id}/check-in") class="stacked check-in">
                <FormProblem />
                <div class="field">
                    <label for="code">{tr!(lang, check_in_code_label)}</label>
                    {echo.error_of("code").map(|e| view! { <p class="field-error" role="alert">{e.message(lang)}</p> })}
                    <input
                        id="code"
                        name="code"
                        type="text"
                        autocapitalize="characters"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="7K4M-P2QX"
                        value=typed
                        required=true
                    />
                </div>
                <input type="hidden" name="action" value="check_in" />
                <button type="submit">{tr!(lang, check_in_button)}</button>
            </form>
            <table class="manifest-rows">
                <thead>
                    <tr>
                        <th scope="col">{tr!(lang, booking_name)}</th>
                        <th scope="col">{tr!(lang, booking_code)}</th>
                        <th scope="col">{tr!(lang, party)}</th>
                        <th scope="col">{tr!(lang, status)}</th>
                        <th scope="col"><span class="visually-hidden">{tr!(lang, actions)}</span></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {m.rows.is_empty().then(|| view! { <p>{tr!(lang, no_bookings_yet)}</p> })}
            {slot_actions}
        </section>
    }
}

pub fn status_label(status: BookingStatus, lang: Lang) -> String {
    match status {
        BookingStatus::Held => tr!(lang, status_held),
        BookingStatus::Confirmed => tr!(lang, status_confirmed),
        BookingStatus::CheckedIn => tr!(lang, status_checked_in),
        BookingStatus::NoShow => tr!(lang, status_no_show),
        BookingStatus::Expired => tr!(lang, status_expired),
        BookingStatus::Cancelled => tr!(lang, status_cancelled),
    }
}

fn row_view(slot_id: i32, r: &ManifestRow, lang: Lang) -> impl IntoView + use<> {
    let party = r
        .lines
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l.count,
                ticket_label(&l.ticket_code, lang).to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let button = |action: &'static str, label: String| {
        view! {
            <form method="post" action=format!("/dashboard/slots/{slot_id}/check-in") class="inline">
                <input type="hidden" name="code" value=r.code.to_string() />
                <input type="hidden" name="action" value=action />
                <button type="submit" class="secondary small">{label}</button>
            </form>
        }
    };
    let actions = match r.status {
        BookingStatus::Confirmed => view! {
            {button("check_in", tr!(lang, check_in_button))}
            {button("no_show", tr!(lang, no_show_button))}
        }
        .into_any(),
        BookingStatus::NoShow => button("check_in", tr!(lang, check_in_button)).into_any(),
        _ => ().into_any(),
    };
    view! {
        <tr class=format!("booking-{}", r.status.code())>
            <th scope="row">{r.name.clone()}</th>
            <td class="code">{r.code.to_string()}</td>
            <td>{r.places} " — " {party}</td>
            <td>{status_label(r.status, lang)}</td>
            <td>{actions}</td>
        </tr>
    }
}
