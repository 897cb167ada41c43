//! `/slots/{id}`: one date of a tour or event, and the form to book it. The party
//! picks how many of each ticket type; the server holds the places (see the
//! server's `http::visit::slot`). A full slot offers its waiting list instead.

use crate::components::calendar::state_label;
use crate::components::load::after_loading;
use crate::components::text::{localized, plain};
use crate::error::PageError;
use crate::forms::{Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::pages::visit::listing::ticket_label;
use crate::viewer::use_viewer;
use crate::{tr, tr_n};
use domain::Lang;
use domain::booking::CancellationPolicy;
use domain::booking::calendar::SlotState;
use domain::booking::form::count_field;
use domain::booking::slot::SlotView;
use domain::dates::date_with_zone;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[server]
pub async fn load_slot(id: i32) -> Result<SlotView, PageError> {
    use crate::error::ssr::db;
    store::booking::slots::view(&db()?, id, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)
}

/// What the listing's cancellation policy gives, in a sentence.
pub fn policy_sentence(policy: CancellationPolicy, lang: Lang) -> String {
    match policy {
        CancellationPolicy::Flexible => tr!(lang, policy_flexible),
        CancellationPolicy::Moderate => tr!(lang, policy_moderate),
        CancellationPolicy::Strict => tr!(lang, policy_strict),
    }
}

#[component]
pub fn SlotPage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or_default()
    });
    let query = leptos_router::hooks::use_query_map();
    let done = query.with_untracked(|q| match q.get("done").as_deref() {
        Some("waitlisted") => Some(Done::Waitlisted(q.get("place").unwrap_or_default())),
        Some("check-email") => Some(Done::CheckEmail),
        _ => None,
    });
    after_loading(load_slot(id), move |v| slot_view(v, done.clone()))
}

/// What the visitor just did, for the notice at the top.
#[derive(Clone)]
enum Done {
    /// Joined the waiting list at this place.
    Waitlisted(String),
    /// Took free places that wait for the emailed link to be confirmed.
    CheckEmail,
}

fn slot_view(v: SlotView, done: Option<Done>) -> impl IntoView {
    let lang = use_lang();
    let notice = done.map(|done| {
        let text = match done {
            Done::Waitlisted(place) => tr!(lang, waitlisted_notice, place = place),
            Done::CheckEmail => tr!(lang, booking_done_check_email),
        };
        view! { <p class="notice" role="status">{text}</p> }
    });
    let l = &v.listing;
    let title = plain(&l.title, lang);
    let when = date_with_zone(v.slot.starts_at, &v.listing.timezone, lang);
    let left = match v.slot.state {
        SlotState::Open => tr_n!(
            lang,
            v.slot.left,
            places_left_of_one | places_left_of,
            left = v.slot.left,
            capacity = v.slot.capacity
        ),
        _ => state_label(&v.slot, lang),
    };
    let duration = l.duration_minutes.map(|m| {
        view! {
            <dt>{tr!(lang, duration)}</dt>
            <dd>{crate::components::card::duration_label(m)}</dd>
        }
    });
    let party = tr!(
        lang,
        party_limits,
        min = l.rules.party.min,
        max = l.rules.party.max
    );
    let action = match v.slot.state {
        SlotState::Open => booking_form(&v, lang, false).into_any(),
        SlotState::Full => view! {
            <p class="notice">{tr!(lang, slot_full_waitlist, waiting = v.waiting)}</p>
            {booking_form(&v, lang, true)}
        }
        .into_any(),
        SlotState::TooLate => view! {
            <p class="notice">{tr!(lang, err_slot_too_late)}</p>
        }
        .into_any(),
        SlotState::Closed => {
            view! { <p class="notice">{tr!(lang, err_slot_closed)}</p> }.into_any()
        }
        SlotState::Cancelled => {
            view! { <p class="notice">{tr!(lang, err_slot_cancelled)}</p> }.into_any()
        }
    };
    view! {
        <Title text=format!("{title} — {when} — Tianguis") />
        <Meta name="robots" content="noindex" />
        <section class="narrow slot-page">
            <nav class="crumbs" aria-label=tr!(lang, crumbs_label)>
                <a href=format!("{}#dates", l.href())>{title.clone()}</a>
            </nav>
            {notice}
            <h1>{when.clone()}</h1>
            <p class="lead">{localized(&l.title, lang)} " · " {l.community.name.clone()}</p>
            <dl class="details">
                <dt>{tr!(lang, places)}</dt>
                <dd>{left}</dd>
                <dt>{if l.kind == domain::ListingKind::Tour { tr!(lang, meeting_point) } else { tr!(lang, venue) }}</dt>
                <dd>{localized(&l.place, lang)}</dd>
                {duration}
                <dt>{tr!(lang, group_size)}</dt>
                <dd>{party}</dd>
                <dt>{tr!(lang, cancellation)}</dt>
                <dd>{policy_sentence(l.rules.policy, lang)}</dd>
            </dl>
            {action}
        </section>
    }
}

/// The party's form: a count per ticket type, a name and an email. `waitlist`
/// posts it to the slot's waiting list instead of holding places.
fn booking_form(v: &SlotView, lang: Lang, waitlist: bool) -> impl IntoView + use<> {
    let viewer = use_viewer();
    let echo = use_form_echo();
    let choices = v.listing.ticket_choices();
    let free = v.listing.tickets.is_empty();
    let only_one = choices.len() == 1;
    let counts = choices
        .into_iter()
        .map(|t| {
            let field = count_field(&t.code);
            let label = if free {
                tr!(lang, rsvp_places)
            } else {
                tr!(
                    lang,
                    ticket_count_label,
                    ticket = ticket_label(&t.code, lang),
                    price = t.price.to_string()
                )
            };
            let label = match v.left_of(&t.code) {
                Some(left) => format!(
                    "{label} — {}",
                    tr_n!(
                        lang,
                        left,
                        ticket_places_left_one | ticket_places_left,
                        left = left
                    )
                ),
                None => label,
            };
            let error = echo.error_of(&field).map(|e| e.message(lang));
            let typed = echo.typed(&field).map(str::to_owned).unwrap_or_else(|| {
                if only_one {
                    "1".to_owned()
                } else {
                    "0".to_owned()
                }
            });
            let invalid = error.is_some();
            view! {
                <div class="field ticket-count" class:field-invalid=invalid>
                    <label for=field.clone()>{label}</label>
                    {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    <input
                        id=field.clone()
                        name=field
                        type="number"
                        inputmode="numeric"
                        min="0"
                        max=domain::booking::form::MAX_PER_TICKET
                        value=typed
                    />
                </div>
            }
        })
        .collect_view();
    let (action, button) = if waitlist {
        (
            format!("/slots/{}/waitlist", v.slot.id),
            tr!(lang, join_waitlist),
        )
    } else if free {
        (format!("/slots/{}/book", v.slot.id), tr!(lang, rsvp_button))
    } else {
        (
            format!("/slots/{}/book", v.slot.id),
            tr!(lang, hold_places_button),
        )
    };
    let name = viewer.as_ref().map(|v| v.name.clone());
    let email = viewer.as_ref().map(|v| v.email.clone());
    view! {
        <form method="post" action=action class="stacked booking-form">
            <FormProblem />
            <fieldset>
                <legend>{tr!(lang, who_is_coming)}</legend>
                {counts}
            </fieldset>
            <Field name="name" label=tr!(lang, booking_name) autocomplete="name" value=name.unwrap_or_default() />
            <Field
                name="email"
                label=tr!(lang, field_email)
                input=Input::Email
                hint=tr!(lang, booking_email_hint)
                value=email.unwrap_or_default()
            />
            <button type="submit">{button}</button>
            {(!waitlist && !free).then(|| view! { <p class="hint">{tr!(lang, hold_explained)}</p> })}
        </form>
    }
}
