//! `/cart`: what the visitor is about to buy, by cooperative — crafts with their
//! quantity (changed with a plain form each), held tour and event bookings with
//! until when they are held, and what each way of delivery costs. Works with
//! JavaScript off: every change is a form post.

use crate::components::load::after_loading;
use crate::error::PageError;
use crate::forms::{FormProblem, use_form_echo};
use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::Lang;
use domain::commerce::cart::{CartPart, CartView, MAX_QUANTITY};
use domain::commerce::order::Delivery;
use domain::dates::{SITE_ZONE, date_with_zone, time_with_zone};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[server]
pub async fn load_cart() -> Result<Option<CartView>, PageError> {
    use crate::error::ssr::db;
    let Some(crate::cart::CartKey(hash)) = crate::cart::use_cart_key() else {
        return Ok(None);
    };
    let db = db()?;
    let Some(cart) = store::commerce::carts::find(&db, &hash)
        .await
        .map_err(PageError::internal)?
    else {
        return Ok(None);
    };
    let lang = crate::lang::use_lang();
    store::commerce::carts::view(&db, cart, lang, domain::clock::now().on_site())
        .await
        .map(Some)
        .map_err(PageError::internal)
}

/// "Shipping: $180.00 MXN" / "Pickup at the cooperative: free".
pub fn delivery_label(delivery: Delivery, price: domain::Money, lang: Lang) -> String {
    let way = match delivery {
        Delivery::Ship => tr!(lang, delivery_ship),
        Delivery::Pickup => tr!(lang, delivery_pickup),
        Delivery::None => tr!(lang, delivery_none),
    };
    if price.centavos() == 0 {
        format!("{way}: {}", tr!(lang, free_of_charge))
    } else {
        format!("{way}: {price}")
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let done = use_query_map().with_untracked(|q| q.get("done").unwrap_or_default());
    after_loading(load_cart(), move |cart| cart_view(cart, done))
}

fn cart_view(cart: Option<CartView>, done: String) -> impl IntoView {
    let lang = use_lang();
    let notice = match done.as_str() {
        "added" => Some(tr!(lang, cart_added)),
        "booked" => Some(tr!(lang, cart_booked)),
        _ => None,
    }
    .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let body = match cart.filter(|c| !c.is_empty()) {
        None => view! {
            <p class="lead">{tr!(lang, cart_empty_lead)}</p>
            <p><a class="button" href="/crafts">{tr!(lang, nav_crafts)}</a> " "
               <a class="button secondary" href="/tours">{tr!(lang, nav_tours)}</a></p>
        }
        .into_any(),
        Some(cart) => {
            let blocked = cart
                .parts
                .iter()
                .any(|p| p.crafts.iter().any(|c| c.unavailable));
            view! {
                {cart.parts.iter().map(|p| part_view(p, lang)).collect_view()}
                <p class="cart-total">
                    {tr!(lang, cart_goods_total)} " " <strong>{cart.goods.to_string()}</strong>
                </p>
                <p class="hint">{tr!(lang, cart_shipping_at_checkout)}</p>
                {if blocked {
                    view! { <p class="form-error" role="alert">{tr!(lang, cart_fix_first)}</p> }.into_any()
                } else {
                    view! { <p><a class="button" href="/checkout">{tr!(lang, go_to_checkout)}</a></p> }.into_any()
                }}
            }
            .into_any()
        }
    };
    view! {
        <Title text=format!("{} — Tianguis", tr!(lang, cart_title)) />
        <Meta name="robots" content="noindex" />
        <section class="narrow cart-page">
            {notice}
            <h1>{tr!(lang, cart_title)}</h1>
            <FormProblem />
            {body}
            <p class="hint">
                <a href="/order-links">{tr!(lang, cart_lost_order_link)}</a>
            </p>
        </section>
    }
}

fn part_view(part: &CartPart, lang: Lang) -> impl IntoView + use<> {
    let echo = use_form_echo();
    let crafts = part
        .crafts
        .iter()
        .map(|c| {
            let field = format!("quantity_{}", c.listing_id);
            let error = echo.error_of(&field).map(|e| e.message(lang));
            let typed = echo
                .typed(&field)
                .map(str::to_owned)
                .unwrap_or_else(|| c.quantity.to_string());
            let stock = match (c.in_stock, c.lead_days) {
                (Some(left), _) => tr_n!(lang, left, cart_in_stock_one | cart_in_stock, left = left),
                (None, Some(days)) => tr_n!(lang, days, made_to_order_one | made_to_order, days = days),
                (None, None) => tr!(lang, made_to_order_no_days),
            };
            let action = format!("/cart/items/{}", c.listing_id);
            view! {
                <li class="cart-line" class:unavailable=c.unavailable>
                    <div class="cart-item">
                        <a href=format!("/crafts/{}", c.slug)>{c.title.clone()}</a>
                        <span class="hint">{c.unit_price.to_string()} " · " {stock}</span>
                        {c.unavailable.then(|| view! { <span class="field-error">{tr!(lang, err_no_longer_for_sale)}</span> })}
                        {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    </div>
                    <span class="subtotal">{c.total().to_string()}</span>
                    <div class="cart-actions">
                        <form method="post" action=action.clone() class="inline">
                            <label for=field.clone()>{tr!(lang, quantity)}</label>
                            <input id=field.clone() name="quantity" type="number" min="0" max=MAX_QUANTITY value=typed inputmode="numeric" />
                            <button type="submit" class="secondary">{tr!(lang, update_quantity)}</button>
                        </form>
                        <form method="post" action=action class="inline">
                            <input type="hidden" name="quantity" value="0" />
                            <button type="submit" class="link">{tr!(lang, remove)}</button>
                        </form>
                    </div>
                </li>
            }
        })
        .collect_view();
    let bookings = part
        .bookings
        .iter()
        .map(|b| {
            let until = b
                .held_until
                .map(|t| time_with_zone(t, SITE_ZONE, lang))
                .unwrap_or_default();
            view! {
                <li class="cart-line">
                    <div class="cart-item">
                        <a href=format!("/bookings/{}", b.code)>{b.title.clone()}</a>
                        <span>{date_with_zone(b.starts_at, &b.zone, lang)} " · " {tr_n!(lang, b.places, cart_places_one | cart_places, places = b.places)}</span>
                        <span class="hint">{tr!(lang, cart_held_until, until = until)}</span>
                    </div>
                    <span class="subtotal">{b.total.to_string()}</span>
                    <div class="cart-actions">
                        <form method="post" action=format!("/cart/bookings/{}/remove", b.code) class="inline">
                            <button type="submit" class="link">{tr!(lang, remove)}</button>
                        </form>
                    </div>
                </li>
            }
        })
        .collect_view();
    let deliveries = (!part.deliveries.is_empty()).then(|| {
        view! {
            <p class="hint">
                {part
                    .deliveries
                    .iter()
                    .map(|(d, price)| delivery_label(*d, *price, lang))
                    .collect::<Vec<_>>()
                    .join(" · ")}
            </p>
        }
    });
    view! {
        <section class="cart-part">
            <h2>{part.cooperative.clone()}</h2>
            <ul class="cart-lines">{crafts}{bookings}</ul>
            {deliveries}
        </section>
    }
}
