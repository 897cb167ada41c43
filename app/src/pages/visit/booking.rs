//! `/bookings/{code}`: a booking as its holder sees it. A hold shows until when its
//! places are kept and how to confirm it; a confirmed booking its code, a QR code of
//! it for the guide, where to go and what to bring, and how to cancel, with the
//! refund the policy gives now shown before anything is cancelled.
//!
//! Who may open it: the account that booked, whoever has the link with its secret
//! (`?k=…`, emailed to guests), and the people who run its slot. Anyone else gets
//! "not found", so a guessed code says nothing.

use crate::components::load::after_loading;
use crate::components::text::{localized, plain};
use crate::error::PageError;
use crate::forms::{FormProblem, keyed_action};
use crate::lang::use_lang;
use crate::pages::visit::listing::ticket_label;
use crate::pages::visit::slot::policy_sentence;
use crate::tr;
use domain::Lang;
use domain::booking::BookingStatus;
use domain::booking::view::{BookedLine, BookingView};
use domain::dates::{SITE_ZONE, date_with_zone};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingPage {
    pub booking: BookingView,
    /// The secret the page was opened with, for its forms to carry on.
    pub key: String,
    /// The QR code of the booking's check-in link, as SVG.
    pub qr_svg: Option<String>,
}

#[server]
pub async fn load_booking(code: String, key: String) -> Result<BookingPage, PageError> {
    use crate::error::ssr::db;
    let code = domain::booking::code::BookingCode::parse(&code).map_err(|_| PageError::NotFound)?;
    let found = store::booking::bookings::by_code(&db()?, &code, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    let viewer = crate::viewer::use_viewer();
    let key_hash = (!key.is_empty()).then(|| auth::token::hash_token(&key));
    let by_link = found.held_by(None, key_hash.as_deref());
    let holder = found.held_by(viewer.as_ref().map(|v| v.account_id), key_hash.as_deref());
    let l = &found.view.slot.listing;
    let runs = viewer
        .as_ref()
        .is_some_and(|v| v.runs_slots_of(l.producer_id, l.cooperative_id));
    if !(holder || runs) {
        return Err(PageError::NotFound);
    }
    let base = leptos::prelude::use_context::<crate::PublicUrl>()
        .map(|u| u.0)
        .unwrap_or_default();
    let check_in = format!(
        "{base}/dashboard/slots/{}?code={}",
        found.slot_id, found.view.code
    );
    let qr_svg = matches!(found.view.status, BookingStatus::Confirmed)
        .then(|| qr_code_svg(&check_in))
        .flatten();
    Ok(BookingPage {
        booking: found.view,
        key: if by_link { key } else { String::new() },
        qr_svg,
    })
}

/// `text` as a QR code, in SVG (medium error correction: a scratched phone screen
/// still scans).
#[cfg(feature = "ssr")]
fn qr_code_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let query = use_query_map();
    let key = query.with_untracked(|q| q.get("k").unwrap_or_default());
    let cancelling = query.with_untracked(|q| q.get("cancel").is_some());
    let done = query.with_untracked(|q| q.get("done").unwrap_or_default());
    after_loading(load_booking(code, key), move |p| {
        booking_view(p, cancelling, done)
    })
}

fn booking_view(p: BookingPage, cancelling: bool, done: String) -> impl IntoView {
    let lang = use_lang();
    let b = &p.booking;
    let l = &b.slot.listing;
    let title = plain(&l.title, lang);
    let here = format!("/bookings/{}", b.code);
    let with_key = |path: &str| {
        if p.key.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?k={}", p.key)
        }
    };
    let key_field =
        (!p.key.is_empty()).then(|| view! { <input type="hidden" name="k" value=p.key.clone() /> });
    let notice = match done.as_str() {
        "confirmed" => Some(tr!(lang, booking_done_confirmed)),
        "cancelled" => Some(tr!(lang, booking_done_cancelled)),
        _ => None,
    }
    .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let heading = match b.status {
        BookingStatus::Held => tr!(lang, booking_held_title),
        BookingStatus::Confirmed => tr!(lang, booking_confirmed_title),
        BookingStatus::CheckedIn => tr!(lang, booking_checked_in_title),
        BookingStatus::NoShow => tr!(lang, booking_no_show_title),
        BookingStatus::Expired => tr!(lang, booking_expired_title),
        BookingStatus::Cancelled => tr!(lang, booking_cancelled_title),
    };
    let status_part = match b.status {
        BookingStatus::Held => {
            let until = b
                .held_until
                .map(|t| date_with_zone(t, SITE_ZONE, lang))
                .unwrap_or_default();
            let free = b.total.centavos() == 0;
            view! {
                <p class="lead">{tr!(lang, booking_held_until, until = until)}</p>
                <form method="post" action=keyed_action(&here, "confirm", &p.key) class="stacked">
                    <FormProblem />
                    {key_field.clone()}
                    <button type="submit">
                        {if free { tr!(lang, confirm_free_button) } else { tr!(lang, pay_booking_button) }}
                    </button>
                    {(!free).then(|| view! { <p class="hint">{tr!(lang, pay_booking_explained)}</p> })}
                </form>
                <form method="post" action=keyed_action(&here, "cancel", &p.key) class="inline">
                    {key_field.clone()}
                    <button type="submit" class="secondary">{tr!(lang, release_hold_button)}</button>
                </form>
            }
            .into_any()
        }
        BookingStatus::Confirmed => {
            let cancel = if cancelling {
                view! {
                    <section class="cancel-booking" id="cancel">
                        <h2>{tr!(lang, cancel_booking_title)}</h2>
                        <p>{policy_sentence(l.rules.policy, lang)}</p>
                        <p class="lead">
                            {tr!(lang, cancel_refund_now, refund = b.refund_if_cancelled_now.to_string(), total = b.total.to_string())}
                        </p>
                        <form method="post" action=keyed_action(&here, "cancel", &p.key) class="stacked">
                            <FormProblem />
                            {key_field.clone()}
                            <button type="submit" class="danger">{tr!(lang, cancel_booking_button)}</button>
                        </form>
                        <p><a href=with_key(&here)>{tr!(lang, keep_booking)}</a></p>
                    </section>
                }
                .into_any()
            } else {
                let link = if p.key.is_empty() {
                    format!("{here}?cancel=1#cancel")
                } else {
                    format!("{here}?k={}&cancel=1#cancel", p.key)
                };
                view! { <p><a href=link>{tr!(lang, cancel_booking_link)}</a></p> }.into_any()
            };
            view! {
                <p class="booking-code">
                    {tr!(lang, booking_code)} " " <strong class="code">{b.code.to_string()}</strong>
                </p>
                {p.qr_svg.clone().map(|svg| view! {
                    <figure class="qr">
                        <div inner_html=svg></div>
                        <figcaption>{tr!(lang, qr_caption)}</figcaption>
                    </figure>
                })}
                {cancel}
            }
            .into_any()
        }
        BookingStatus::Cancelled => {
            let refund = b.refund.map(|r| r.to_string()).unwrap_or_default();
            view! { <p class="lead">{tr!(lang, booking_refund_recorded, refund = refund)}</p> }
                .into_any()
        }
        BookingStatus::Expired => view! {
            <p class="lead">{tr!(lang, booking_expired_lead)}</p>
            <p><a class="button" href=b.slot.slot.href()>{tr!(lang, try_again)}</a></p>
        }
        .into_any(),
        BookingStatus::CheckedIn | BookingStatus::NoShow => {
            view! { <p class="booking-code">{tr!(lang, booking_code)} " " <strong class="code">{b.code.to_string()}</strong></p> }.into_any()
        }
    };
    let bring = l
        .rules
        .bring
        .get(lang)
        .or_else(|| l.rules.bring.get(lang.other()))
        .map(|_| {
            view! {
                <dt>{tr!(lang, what_to_bring)}</dt>
                <dd>{localized(&l.rules.bring, lang)}</dd>
            }
        });
    view! {
        <Title text=format!("{heading} — {title} — Tianguis") />
        <Meta name="robots" content="noindex" />
        // The secret is in this page's address: other sites never see it.
        <Meta name="referrer" content="no-referrer" />
        <section class="narrow booking-page">
            {notice}
            <h1>{heading}</h1>
            {status_part}
            <dl class="details">
                <dt>{tr!(lang, booking_what)}</dt>
                <dd><a href=l.href()>{localized(&l.title, lang)}</a></dd>
                <dt>{tr!(lang, when)}</dt>
                <dd>{date_with_zone(b.slot.slot.starts_at, &l.timezone, lang)}</dd>
                <dt>{if l.kind == domain::ListingKind::Tour { tr!(lang, meeting_point) } else { tr!(lang, venue) }}</dt>
                <dd>{localized(&l.place, lang)}</dd>
                {bring}
                <dt>{tr!(lang, booking_name)}</dt>
                <dd>{b.name.clone()}</dd>
            </dl>
            {lines_table(&b.lines, b.total, lang)}
        </section>
    }
}

/// The party's tickets and what they cost.
pub fn lines_table(
    lines: &[BookedLine],
    total: domain::Money,
    lang: Lang,
) -> impl IntoView + use<> {
    let rows = lines
        .iter()
        .map(|line| {
            let subtotal = domain::Money::from_centavos(
                line.unit_price.centavos() * i64::from(line.count),
                line.unit_price.currency(),
            );
            view! {
                <tr>
                    <th scope="row">{ticket_label(&line.ticket_code, lang)}</th>
                    <td>{line.count}</td>
                    <td>{line.unit_price.to_string()}</td>
                    <td>{subtotal.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="tickets booking-lines">
            <thead>
                <tr>
                    <th scope="col">{tr!(lang, ticket)}</th>
                    <th scope="col">{tr!(lang, how_many)}</th>
                    <th scope="col">{tr!(lang, price_each)}</th>
                    <th scope="col">{tr!(lang, subtotal)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="3">{tr!(lang, total)}</th>
                    <td>{total.to_string()}</td>
                </tr>
            </tfoot>
        </table>
    }
}
