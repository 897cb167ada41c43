//! `/checkout`: who is buying, how each cooperative's crafts reach them (shipped or
//! collected, with its price), the address when anything ships, and the total. The
//! form posts to `/checkout`, which keeps the stock and places and opens the order's
//! page to pay.

use crate::components::load::after_loading;
use crate::forms::{Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::pages::visit::cart::{delivery_label, load_cart};
use crate::{tr, tr_n};
use domain::Lang;
use domain::booking::code::BookingCode;
use domain::commerce::cart::{CartPart, CartView};
use domain::commerce::checkout_form::delivery_field;
use domain::dates::{SITE_ZONE, date_with_zone, time_with_zone};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let query = use_query_map();
    let done = query.with_untracked(|q| q.get("done").unwrap_or_default());
    // The booking just held, with its link's secret: its own page shows it or lets
    // its places go.
    let booked = query.with_untracked(|q| {
        let code = q.get("booking").filter(|c| BookingCode::parse(c).is_ok())?;
        Some(match q.get("k").filter(|k| !k.is_empty()) {
            Some(k) => format!("/bookings/{code}?k={k}"),
            None => format!("/bookings/{code}"),
        })
    });
    after_loading(load_cart(), move |cart| {
        checkout_view(cart, done.clone(), booked.clone())
    })
}

fn checkout_view(cart: Option<CartView>, done: String, booked: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let viewer = crate::viewer::use_viewer();
    let Some(cart) = cart.filter(|c| !c.is_empty()) else {
        return view! {
            <section class="narrow">
                <h1>{tr!(lang, checkout_title)}</h1>
                <p class="lead">{tr!(lang, cart_empty_lead)}</p>
                <p><a class="button" href="/crafts">{tr!(lang, nav_crafts)}</a></p>
            </section>
        }
        .into_any();
    };
    let ships = cart.parts.iter().any(|p| !p.crafts.is_empty());
    // Just held on a slot's page: its places wait for this form, filled in with what
    // was typed there.
    let held_until = cart
        .parts
        .iter()
        .flat_map(|p| p.bookings.iter().filter_map(|b| b.held_until))
        .min();
    let notice = (done == "booked")
        .then(|| {
            held_until.map(|until| {
                let until = time_with_zone(until, SITE_ZONE, lang);
                view! {
                    <p class="notice" role="status">
                        {tr!(lang, checkout_booked, until = until)}
                        {booked.map(|href| view! { " " <a href=href>{tr!(lang, checkout_see_booking)}</a> })}
                    </p>
                }
            })
        })
        .flatten();
    let (name, email) = match (&cart.booked_for, &viewer) {
        (Some(b), _) => (b.name.clone(), b.email.clone()),
        (None, Some(v)) => (v.name.clone(), v.email.clone()),
        (None, None) => (String::new(), String::new()),
    };
    let parts = cart
        .parts
        .iter()
        .map(|p| part_choice(p, lang))
        .collect_view();
    let address = ships.then(|| {
        view! {
            <fieldset>
                <legend>{tr!(lang, address_legend)}</legend>
                <p class="hint">{tr!(lang, address_hint)}</p>
                <Field name="street" label=tr!(lang, address_street) autocomplete="street-address" required=false />
                <Field name="city" label=tr!(lang, address_city) autocomplete="address-level2" required=false />
                <Field name="state" label=tr!(lang, address_state) autocomplete="address-level1" required=false />
                <Field name="postal_code" label=tr!(lang, address_postal_code) autocomplete="postal-code" required=false />
                <Field name="references" label=tr!(lang, address_references) hint=tr!(lang, address_references_hint) required=false />
            </fieldset>
        }
    });
    view! {
        <Title text=format!("{} — Tianguis", tr!(lang, checkout_title)) />
        <Meta name="robots" content="noindex" />
        // A booking's secret may be in this page's address: other sites never see it.
        <Meta name="referrer" content="no-referrer" />
        <section class="narrow checkout-page">
            {notice}
            <h1>{tr!(lang, checkout_title)}</h1>
            <form method="post" action="/checkout" class="stacked">
                <FormProblem />
                <fieldset>
                    <legend>{tr!(lang, checkout_who)}</legend>
                    <Field name="name" label=tr!(lang, booking_name) autocomplete="name" value=name />
                    <Field name="email" label=tr!(lang, field_email) input=Input::Email
                        hint=tr!(lang, checkout_email_hint) value=email />
                    <Field name="phone" label=tr!(lang, checkout_phone) autocomplete="tel" required=false
                        hint=tr!(lang, checkout_phone_hint) />
                </fieldset>
                {parts}
                {address}
                <p class="cart-total">
                    {tr!(lang, cart_goods_total)} " " <strong>{cart.goods.to_string()}</strong>
                </p>
                <p class="hint">{tr!(lang, checkout_next)}</p>
                <button type="submit">{tr!(lang, place_order)}</button>
            </form>
            <p><a href="/cart">{tr!(lang, back_to_cart)}</a></p>
        </section>
    }
    .into_any()
}

/// A cooperative's part: its goods, and (for crafts) a choice of delivery.
fn part_choice(part: &CartPart, lang: Lang) -> impl IntoView + use<> {
    let echo = use_form_echo();
    let field = delivery_field(part.cooperative_id);
    let chosen = echo.typed(&field).map(str::to_owned);
    let error = echo.error_of(&field).map(|e| e.message(lang));
    let first = part.deliveries.first().map(|(d, _)| d.code().to_owned());
    let options = part
        .deliveries
        .iter()
        .map(|(d, price)| {
            let code = d.code();
            let checked = chosen.as_deref().or(first.as_deref()) == Some(code);
            let id = format!("{field}-{code}");
            view! {
                <label for=id.clone() class="choice">
                    <input type="radio" id=id.clone() name=field.clone() value=code checked=checked />
                    {delivery_label(*d, *price, lang)}
                </label>
            }
        })
        .collect_view();
    let items: Vec<String> = part
        .crafts
        .iter()
        .map(|c| format!("{} × {}", c.quantity, c.title))
        .chain(part.bookings.iter().map(|b| {
            let places = tr_n!(
                lang,
                b.places,
                cart_places_one | cart_places,
                places = b.places
            );
            format!(
                "{} ({}, {places})",
                b.title,
                date_with_zone(b.starts_at, &b.zone, lang)
            )
        }))
        .collect();
    view! {
        <fieldset class="checkout-part" class:field-invalid=error.is_some()>
            <legend>{part.cooperative.clone()}</legend>
            <p>{items.join(", ")} " — " {part.goods.to_string()}</p>
            {error.clone().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {(!part.crafts.is_empty()).then(|| view! { <div class="choices">{options}</div> })}
        </fieldset>
    }
}
