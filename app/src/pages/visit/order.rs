//! `/orders/{code}`: an order as its buyer sees it — how to pay while it waits (the
//! simulated provider's clearly labelled test page, or Stripe: an OXXO voucher, or a
//! card through Stripe.js), the voucher once issued, each cooperative's part with its
//! state and tracking, refunds, and the history of every move.
//!
//! Who may open it: the account that placed it and whoever has its link's secret
//! (`?k=…`, emailed). Anyone else gets "not found", so a guessed code says nothing.

use crate::components::load::after_loading;
use crate::components::table::scrolling;
use crate::error::PageError;
use crate::forms::{FormProblem, keyed_action};
use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use domain::commerce::order::{Delivery, OrderStatus, PartStatus};
use domain::commerce::order_view::{OrderView, PartView, PaymentView};
use domain::commerce::payment::{RefundStatus, Voucher};
use domain::dates::{SITE_ZONE, date_with_zone, format_date};
use domain::money::receipt::Receipt;
use domain::money::split::LineSplit;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    pub order: OrderView,
    /// The secret the page was opened with, for its forms to carry on.
    pub key: String,
    /// `stripe` or `simulated`.
    pub provider: String,
    /// Whether a cash voucher can still be paid and known before the first booking.
    pub oxxo_offered: bool,
    pub publishable_key: Option<String>,
    /// Where each centavo of the paid order went (none before it is paid).
    pub receipt: Option<Receipt>,
}

#[server]
pub async fn load_order(code: String, key: String) -> Result<OrderPage, PageError> {
    use crate::error::ssr::db;
    let code = domain::commerce::order::OrderCode::parse(&code).map_err(|_| PageError::NotFound)?;
    let db = db()?;
    let found = store::commerce::orders::by_code(&db, &code)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    let viewer = crate::viewer::use_viewer();
    let by_link = found.held_by(None, Some(key.as_str()).filter(|k| !k.is_empty()));
    let own = found.held_by(viewer.as_ref().map(|v| v.account_id), None);
    if !(by_link || own) {
        return Err(PageError::NotFound);
    }
    let settings = use_context::<crate::SiteSettings>()
        .ok_or_else(|| PageError::internal("no payment settings"))?;
    // The payments service's own rule, so the page offers what it will accept.
    let first = store::commerce::orders::earliest_start(&db, found.id)
        .await
        .map_err(PageError::internal)?;
    let oxxo_offered = domain::commerce::payment::voucher_days(
        settings.oxxo_days,
        first,
        domain::clock::now().on_site().naive(),
    ) > 0;
    let receipt = store::money::revenue::receipt(&db, found.id)
        .await
        .map_err(PageError::internal)?;
    Ok(OrderPage {
        order: found.view,
        key: if by_link { key } else { String::new() },
        provider: settings.provider.to_owned(),
        oxxo_offered,
        publishable_key: settings.publishable_key,
        receipt,
    })
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let query = use_query_map();
    let key = query.with_untracked(|q| q.get("k").unwrap_or_default());
    after_loading(load_order(code, key), order_view)
}

pub fn order_status_label(status: OrderStatus, lang: Lang) -> String {
    match status {
        OrderStatus::AwaitingPayment => tr!(lang, order_awaiting_payment),
        OrderStatus::Paid => tr!(lang, order_paid),
        OrderStatus::PartlyRefunded => tr!(lang, order_partly_refunded),
        OrderStatus::Refunded => tr!(lang, order_refunded),
        OrderStatus::Expired => tr!(lang, order_expired),
        OrderStatus::Cancelled => tr!(lang, order_cancelled),
    }
}

pub fn part_status_label(status: PartStatus, lang: Lang) -> String {
    match status {
        PartStatus::AwaitingPayment => tr!(lang, order_awaiting_payment),
        PartStatus::Paid => tr!(lang, part_paid),
        PartStatus::Preparing => tr!(lang, part_preparing),
        PartStatus::Shipped => tr!(lang, part_shipped),
        PartStatus::ReadyForPickup => tr!(lang, part_ready_for_pickup),
        PartStatus::Delivered => tr!(lang, part_delivered),
        PartStatus::Refunded => tr!(lang, order_refunded),
        PartStatus::Expired => tr!(lang, order_expired),
        PartStatus::Cancelled => tr!(lang, order_cancelled),
    }
}

fn order_view(p: OrderPage) -> impl IntoView {
    let lang = use_lang();
    let o = &p.order;
    let here = format!("/orders/{}", o.code);
    let key_field =
        (!p.key.is_empty()).then(|| view! { <input type="hidden" name="k" value=p.key.clone() /> });
    let pay = (o.status == OrderStatus::AwaitingPayment).then(|| pay_box(&p, &here, lang));
    let parts = o
        .parts
        .iter()
        .map(|part| part_view(part, &p.key, lang))
        .collect_view();
    let refunds = (!o.refunds.is_empty()).then(|| {
        let rows = o
            .refunds
            .iter()
            .map(|r| {
                let state = match r.status {
                    RefundStatus::Pending => tr!(lang, refund_pending),
                    RefundStatus::Succeeded => tr!(lang, refund_succeeded),
                    RefundStatus::Failed => tr!(lang, refund_failed),
                    RefundStatus::OwedManually => tr!(lang, refund_owed),
                    RefundStatus::SettledManually => tr!(lang, refund_settled),
                };
                view! {
                    <tr>
                        <td>{format_date(r.created_at, lang)}</td>
                        <td>{r.amount.to_string()}</td>
                        <td>{state}</td>
                        <td>{r.reason.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section>
                <h2>{tr!(lang, refunds_title)}</h2>
                <table class="refunds"><tbody>{rows}</tbody></table>
            </section>
        }
    });
    let history = o
        .events
        .iter()
        .map(|e| {
            view! {
                <li><time>{format_date(e.at, lang)}</time> " · " {e.action.clone()} " → " {e.to.clone()}</li>
            }
        })
        .collect_view();
    let heading = order_status_label(o.status, lang);
    view! {
        <Title text=format!("{} {} — Tianguis", tr!(lang, order_title), o.code) />
        <Meta name="robots" content="noindex" />
        // The secret is in this page's address: other sites never see it.
        <Meta name="referrer" content="no-referrer" />
        <section class="narrow order-page">
            <p class="booking-code">{tr!(lang, order_title)} " " <strong class="code">{o.code.to_string()}</strong></p>
            <h1>{heading}</h1>
            <FormProblem />
            {pay}
            {parts}
            <table class="totals">
                <tbody>
                    <tr><th scope="row">{tr!(lang, goods)}</th><td>{o.goods.to_string()}</td></tr>
                    <tr><th scope="row">{tr!(lang, delivery_ship)}</th><td>{o.shipping.to_string()}</td></tr>
                    <tr><th scope="row">{tr!(lang, total)}</th><td><strong>{o.total.to_string()}</strong></td></tr>
                    {(o.refunded.centavos() > 0).then(|| view! {
                        <tr><th scope="row">{tr!(lang, refunded)}</th><td>{o.refunded.to_string()}</td></tr>
                    })}
                </tbody>
            </table>
            {p.receipt.as_ref().map(|r| receipt_view(r, lang))}
            {refunds}
            {(o.status == OrderStatus::AwaitingPayment).then(|| view! {
                <form method="post" action=keyed_action(&here, "cancel", &p.key) class="inline">
                    {key_field.clone()}
                    <button type="submit" class="secondary">{tr!(lang, cancel_order_button)}</button>
                </form>
            })}
            <details>
                <summary>{tr!(lang, order_history)}</summary>
                <ul class="history">{history}</ul>
            </details>
        </section>
    }
}

fn voucher_view(v: &Voucher, total: domain::Money, lang: Lang) -> impl IntoView + use<> {
    let until = date_with_zone(domain::clock::site_time_of(v.expires_at), SITE_ZONE, lang);
    view! {
        <div class="voucher" role="status">
            <h2>{tr!(lang, voucher_title)}</h2>
            <p>{tr!(lang, voucher_how, total = total.to_string(), until = until)}</p>
            <p class="voucher-number"><strong class="code">{v.number.clone()}</strong></p>
            {v.url.clone().map(|url| view! { <p><a href=url rel="noopener">{tr!(lang, voucher_print)}</a></p> })}
        </div>
    }
}

/// How to pay an order that waits for its money.
fn pay_box(p: &OrderPage, here: &str, lang: Lang) -> impl IntoView + use<> {
    let o = &p.order;
    let key_field =
        (!p.key.is_empty()).then(|| view! { <input type="hidden" name="k" value=p.key.clone() /> });
    let payment: Option<PaymentView> = o.payment.clone();
    let voucher = payment.as_ref().and_then(|pay| pay.voucher.clone());
    let declined = payment
        .as_ref()
        .and_then(|pay| pay.last_error.clone())
        .filter(|_| voucher.is_none())
        .map(|_| view! { <p class="form-error" role="alert">{tr!(lang, card_declined)}</p> });
    // One deadline: a voucher's expiry once one is issued (the order waits a day
    // more for a cash payment to be known, which the buyer need not count on).
    let deadline = voucher
        .as_ref()
        .map_or(o.pay_by, |v| domain::clock::site_time_of(v.expires_at));
    let until = date_with_zone(deadline, SITE_ZONE, lang);
    let kept = view! { <p class="lead">{tr!(lang, order_kept_until, until = until)}</p> };
    let check = view! {
        <form method="post" action=keyed_action(here, "check", &p.key) class="inline">
            {key_field.clone()}
            <button type="submit" class="secondary">{tr!(lang, check_payment_button)}</button>
        </form>
    };
    if p.provider == "simulated" {
        let choice = move |value: &'static str, label: String| {
            view! {
                <form method="post" action=keyed_action(here, "simulate", &p.key) class="inline">
                    {key_field.clone()}
                    <input type="hidden" name="choice" value=value />
                    <button type="submit">{label}</button>
                </form>
            }
        };
        let choices = match &voucher {
            Some(v) => view! {
                {voucher_view(v, o.total, lang)}
                <div class="choices">
                    {choice("pay_voucher", tr!(lang, simulate_pay_voucher))}
                    {choice("voucher_expires", tr!(lang, simulate_voucher_expires))}
                </div>
            }
            .into_any(),
            None => view! {
                <div class="choices">
                    {choice("card_succeeds", tr!(lang, simulate_card_succeeds))}
                    {choice("card_declined", tr!(lang, simulate_card_declined))}
                    {p.oxxo_offered.then(|| choice("oxxo_paid_later", tr!(lang, simulate_oxxo_paid_later)))}
                    {p.oxxo_offered.then(|| choice("voucher_expires", tr!(lang, simulate_voucher_expires_now)))}
                </div>
            }
            .into_any(),
        };
        return view! {
            <section class="pay test-payment" aria-labelledby="pay-title">
                <h2 id="pay-title">{tr!(lang, test_payment_title)}</h2>
                <p class="test-banner">{tr!(lang, test_payment_banner)}</p>
                {kept}
                {declined}
                {choices}
            </section>
        }
        .into_any();
    }
    // Stripe has the money but has not confirmed it yet (or not said its fee): nothing
    // more to pay, only to wait.
    let processing = payment
        .as_ref()
        .is_some_and(|pay| pay.status == "processing");
    let body = match &voucher {
        _ if processing => view! {
            <p class="notice" role="status">{tr!(lang, payment_processing)}</p>
            {check}
        }
        .into_any(),
        Some(v) => view! { {voucher_view(v, o.total, lang)} {check} }.into_any(),
        None => {
            let oxxo = p.oxxo_offered.then(|| {
                view! {
                    <form method="post" action=keyed_action(here, "oxxo", &p.key) class="stacked">
                        {key_field.clone()}
                        <button type="submit">{tr!(lang, pay_oxxo_button)}</button>
                        <p class="hint">{tr!(lang, pay_oxxo_hint)}</p>
                    </form>
                }
            });
            let card = match (
                &p.publishable_key,
                payment.as_ref().and_then(|pay| pay.client_secret.clone()),
            ) {
                (Some(key), Some(secret)) => {
                    let return_to = format!("{here}?k={}", p.key);
                    view! {
                        <div class="card-pay">
                            <h3>{tr!(lang, pay_card_title)}</h3>
                            <noscript><p class="hint">{tr!(lang, pay_card_needs_js)}</p></noscript>
                            <div id="card-element" data-key=key.clone() data-secret=secret data-return=return_to></div>
                            <p id="card-errors" class="form-error" role="alert"></p>
                            <button type="button" id="card-pay" hidden>{tr!(lang, pay_card_button)}</button>
                        </div>
                        // Card details go to Stripe only, through Stripe.js (its terms
                        // require loading it from Stripe): this page never sees them.
                        <script src="https://js.stripe.com/v3/" defer></script>
                        <script src="/stripe-card.js" defer></script>
                    }
                    .into_any()
                }
                _ => view! { <p class="hint">{tr!(lang, pay_card_unavailable)}</p> }.into_any(),
            };
            view! { {declined} {oxxo} {card} {check} }.into_any()
        }
    };
    view! {
        <section class="pay" aria-labelledby="pay-title">
            <h2 id="pay-title">{tr!(lang, pay_title)}</h2>
            {kept}
            {body}
        </section>
    }
    .into_any()
}

fn part_view(part: &PartView, key: &str, lang: Lang) -> impl IntoView + use<> {
    let lines = part
        .lines
        .iter()
        .map(|l| {
            let title = match &l.booking {
                // The order's link opens its bookings too.
                Some(code) if key.is_empty() => {
                    view! { <a href=format!("/bookings/{code}")>{l.title.clone()}</a> }.into_any()
                }
                Some(code) => {
                    view! { <a href=format!("/bookings/{code}?k={key}")>{l.title.clone()}</a> }
                        .into_any()
                }
                None => view! { {l.title.clone()} }.into_any(),
            };
            let total = if l.withdrawn {
                view! { <s>{l.total.to_string()}</s><br /><small>{tr!(lang, line_withdrawn)}</small> }
                    .into_any()
            } else {
                view! { {l.total.to_string()} }.into_any()
            };
            view! { <tr><td>{l.quantity}</td><td>{title}</td><td>{total}</td></tr> }
        })
        .collect_view();
    let delivery = match part.delivery {
        Delivery::Ship => Some(tr!(lang, delivery_ship)),
        Delivery::Pickup => Some(tr!(lang, delivery_pickup)),
        Delivery::None => None,
    };
    let tracking = part.tracking.clone().map(|number| {
        let carrier = part.carrier.clone().unwrap_or_default();
        view! { <p>{tr!(lang, tracking_line, carrier = carrier, number = number)}</p> }
    });
    view! {
        <section class="order-part">
            <h2>{part.cooperative.clone()}</h2>
            <p class="status">{part_status_label(part.status, lang)} {delivery.map(|d| format!(" · {d}"))}</p>
            {tracking}
            <table class="order-lines"><tbody>{lines}</tbody></table>
            {(part.shipping.centavos() > 0).then(|| view! { <p>{tr!(lang, delivery_ship)} ": " {part.shipping.to_string()}</p> })}
        </section>
    }
}

/// Where the money went: for each line, the exact centavos that reach the artisan or
/// guide (by name), their cooperative, the community fund, the platform and the
/// payment provider. Tianguis's promise to every buyer.
pub fn receipt_view(r: &Receipt, lang: Lang) -> impl IntoView + use<> {
    // Each amount carries its column's name: on a phone the table becomes one card
    // per line, each amount on its own row with its name beside it.
    let labels = [
        tr!(lang, receipt_producer),
        tr!(lang, receipt_cooperative),
        tr!(lang, receipt_fund),
        tr!(lang, receipt_platform),
        tr!(lang, receipt_fees),
    ];
    let total_label = tr!(lang, total);
    let amounts = |s: &LineSplit| {
        [
            s.net.producer,
            s.net.cooperative,
            s.net.fund,
            s.net.platform,
            s.fee,
        ]
        .into_iter()
        .zip(labels.clone())
        .map(|(m, label)| view! { <td class="amount" data-label=label>{m.to_string()}</td> })
        .collect_view()
    };
    let rows = r
        .lines
        .iter()
        .map(|l| {
            let what = match &l.title {
                Some(t) => t.clone(),
                None => tr!(lang, delivery_ship),
            };
            let who = l
                .producer
                .clone()
                .map(|p| view! { <br /><small>{tr!(lang, receipt_made_by, name = p)}</small> });
            view! {
                <tr>
                    <th scope="row">{what} {who} <br /><small>{l.cooperative.clone()} " · " {l.community.clone()}</small></th>
                    {amounts(&l.split)}
                    <td class="amount" data-label=total_label.clone()><strong>{l.split.total().to_string()}</strong></td>
                </tr>
            }
        })
        .collect_view();
    let total = r.total().map(|t| {
        view! {
            <tr class="total">
                <th scope="row">{tr!(lang, total)}</th>
                {amounts(&t)}
                <td class="amount" data-label=total_label.clone()><strong>{t.total().to_string()}</strong></td>
            </tr>
        }
    });
    view! {
        <section class="receipt" id="receipt">
            <h2>{tr!(lang, receipt_title)}</h2>
            <p>{tr!(lang, receipt_intro)}</p>
            {scrolling(view! {
                <table class="receipt-lines cards-on-phone">
                    <thead>
                        <tr>
                            <td></td>
                            <th scope="col">{tr!(lang, receipt_producer)}</th>
                            <th scope="col">{tr!(lang, receipt_cooperative)}</th>
                            <th scope="col">{tr!(lang, receipt_fund)}</th>
                            <th scope="col">{tr!(lang, receipt_platform)}</th>
                            <th scope="col">{tr!(lang, receipt_fees)}</th>
                            <th scope="col">{tr!(lang, total)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}{total}</tbody>
                </table>
            })}
        </section>
    }
}
