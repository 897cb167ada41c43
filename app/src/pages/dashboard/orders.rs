//! `/dashboard/orders`: the paid orders a cooperative sold in, newest first, for its
//! admins (platform admins see every cooperative's); `/dashboard/orders/{code}`: one
//! order with the buyer's contact and address, each of the cooperative's parts with
//! its fulfilment buttons (preparing, shipped with carrier and tracking number, ready
//! for pickup, delivered), a refund form, and owed OXXO refunds to settle.

use crate::components::load::after_loading;
use crate::components::table::scrolling;
use crate::error::PageError;
use crate::forms::{Field, FormProblem};
use crate::lang::use_lang;
use crate::pages::visit::order::{order_status_label, part_status_label};
use crate::tr;
use domain::Lang;
use domain::commerce::order::{Delivery, OrderCode, PartAction, PartStatus};
use domain::commerce::order_view::{OrderView, PartView};
use domain::commerce::payment::RefundStatus;
use domain::dates::format_date;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoldRow {
    pub code: OrderCode,
    pub cooperative: String,
    pub status: PartStatus,
    pub delivery: Delivery,
    pub total: domain::Money,
    pub buyer: String,
    pub created_at: chrono::NaiveDateTime,
}

#[server]
pub async fn load_sold_orders() -> Result<Vec<SoldRow>, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let db = db()?;
    let cooperatives: Vec<(i32, String)> = if viewer.runs_platform() {
        store::commerce::orders::selling_cooperatives(&db)
            .await
            .map_err(PageError::internal)?
    } else {
        viewer
            .administered()
            .map(|m| (m.cooperative_id, m.cooperative_name.clone()))
            .collect()
    };
    if cooperatives.is_empty() && !viewer.runs_platform() {
        return Err(denied(PageError::Forbidden));
    }
    let mut rows = Vec::new();
    for (id, name) in cooperatives {
        for p in store::commerce::orders::parts_sold_by(&db, id)
            .await
            .map_err(PageError::internal)?
        {
            rows.push(SoldRow {
                code: p.order_code,
                cooperative: name.clone(),
                status: p.status,
                delivery: p.delivery,
                total: p.total,
                buyer: p.buyer,
                created_at: p.created_at,
            });
        }
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.created_at));
    Ok(rows)
}

#[component]
pub fn SoldOrdersPage() -> impl IntoView {
    after_loading(load_sold_orders(), |rows| {
        let lang = use_lang();
        let body = if rows.is_empty() {
            view! { <p class="lead">{tr!(lang, sold_none)}</p> }.into_any()
        } else {
            let rows = rows
                .into_iter()
                .map(|r| {
                    view! {
                        <tr>
                            <td><a href=format!("/dashboard/orders/{}", r.code)>{r.code.to_string()}</a></td>
                            <td>{format_date(r.created_at, lang)}</td>
                            <td>{r.cooperative}</td>
                            <td>{r.buyer}</td>
                            <td>{part_status_label(r.status, lang)}</td>
                            <td>{r.total.to_string()}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                {scrolling(view! {
                <table class="sold-orders money-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, order_title)}</th>
                            <th scope="col">{tr!(lang, when)}</th>
                            <th scope="col">{tr!(lang, cooperative)}</th>
                            <th scope="col">{tr!(lang, buyer)}</th>
                            <th scope="col">{tr!(lang, status)}</th>
                            <th scope="col">{tr!(lang, total)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                })}
            }
            .into_any()
        };
        view! {
            <Title text=format!("{} — Tianguis", tr!(lang, sold_title)) />
            <Meta name="robots" content="noindex" />
            <section class="sold-orders-page">
                <h1>{tr!(lang, sold_title)}</h1>
                {body}
            </section>
        }
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoldOrder {
    pub order: OrderView,
    /// The parts this viewer may act on.
    pub mine: Vec<i32>,
}

#[server]
pub async fn load_sold_order(code: String) -> Result<SoldOrder, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let code = OrderCode::parse(&code).map_err(|_| PageError::NotFound)?;
    let found = store::commerce::orders::by_code(&db()?, &code)
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    let mine: Vec<i32> = found
        .view
        .parts
        .iter()
        .filter(|p| viewer.runs_platform() || viewer.administers(p.cooperative_id))
        .map(|p| p.id)
        .collect();
    if mine.is_empty() {
        return Err(denied(PageError::Forbidden));
    }
    // Only what this viewer sells travels to the browser: never another
    // cooperative's part, nor the payment's client secret.
    Ok(SoldOrder {
        order: found.view.for_sellers_of(&mine),
        mine,
    })
}

#[component]
pub fn SoldOrderPage() -> impl IntoView {
    let code = use_params_map().with_untracked(|p| p.get("code").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done").unwrap_or_default());
    after_loading(load_sold_order(code), move |s| sold_order_view(s, done))
}

fn action_label(action: PartAction, lang: Lang) -> String {
    match action {
        PartAction::Prepare => tr!(lang, fulfil_prepare),
        PartAction::Ship => tr!(lang, fulfil_ship),
        PartAction::ReadyForPickup => tr!(lang, fulfil_ready),
        PartAction::Deliver => tr!(lang, fulfil_deliver),
        _ => String::new(),
    }
}

fn sold_order_view(s: SoldOrder, done: String) -> impl IntoView {
    let lang = use_lang();
    let o = &s.order;
    let notice = (!done.is_empty())
        .then(|| view! { <p class="notice" role="status">{tr!(lang, saved)}</p> });
    let address = o.address.as_ref().map(|a| {
        view! {
            <dt>{tr!(lang, address_legend)}</dt>
            <dd>{format!("{}, {}, {}, CP {}", a.street, a.city, a.state, a.postal_code)}
                {(!a.references.is_empty()).then(|| view! { <br/> {a.references.clone()} })}</dd>
        }
    });
    let parts = o
        .parts
        .iter()
        .filter(|p| s.mine.contains(&p.id))
        .map(|p| part_admin(o, p, lang))
        .collect_view();
    view! {
        <Title text=format!("{} {} — Tianguis", tr!(lang, order_title), o.code) />
        <Meta name="robots" content="noindex" />
        <section class="narrow sold-order-page">
            {notice}
            <p><a href="/dashboard/orders">{tr!(lang, sold_title)}</a></p>
            <h1>{tr!(lang, order_title)} " " {o.code.to_string()}</h1>
            <p class="status">{order_status_label(o.status, lang)}</p>
            <FormProblem />
            <dl class="details">
                <dt>{tr!(lang, buyer)}</dt>
                <dd>{o.name.clone()} " · " {o.email.clone()} {o.phone.clone().map(|p| format!(" · {p}"))}</dd>
                {address}
            </dl>
            {parts}
        </section>
    }
}

fn part_admin(o: &OrderView, part: &PartView, lang: Lang) -> impl IntoView + use<> {
    let action = format!("/dashboard/orders/parts/{}/fulfil", part.id);
    let buttons = part
        .next_fulfilment()
        .into_iter()
        .map(|a| {
            if a == PartAction::Ship {
                view! {
                    <form method="post" action=action.clone() class="stacked">
                        <input type="hidden" name="action" value=a.code() />
                        <Field name="carrier" label=tr!(lang, carrier) />
                        <Field name="tracking" label=tr!(lang, tracking_number) />
                        <button type="submit">{action_label(a, lang)}</button>
                    </form>
                }
                .into_any()
            } else {
                view! {
                    <form method="post" action=action.clone() class="inline">
                        <input type="hidden" name="action" value=a.code() />
                        <button type="submit">{action_label(a, lang)}</button>
                    </form>
                }
                .into_any()
            }
        })
        .collect_view();
    let lines = part
        .lines
        .iter()
        .map(
            |l| view! { <li>{l.quantity} " × " {l.title.clone()} " — " {l.total.to_string()} {l.withdrawn.then(|| format!(" ({})", tr!(lang, line_withdrawn)))}</li> },
        )
        .collect_view();
    let paid = o.status.was_paid();
    let left = part
        .total()
        .checked_sub(part.refunded)
        .unwrap_or(part.refunded);
    let refund = (paid && left.centavos() > 0).then(|| {
        view! {
            <details>
                <summary>{tr!(lang, refund_part_title)}</summary>
                <form method="post" action=format!("/dashboard/orders/parts/{}/refund", part.id) class="stacked">
                    <Field name="amount" label=tr!(lang, refund_amount) hint=tr!(lang, refund_left, left = left.to_string()) />
                    <Field name="reason" label=tr!(lang, refund_reason) />
                    <button type="submit" class="danger">{tr!(lang, refund_button)}</button>
                </form>
            </details>
        }
    });
    let owed = o
        .refunds
        .iter()
        .filter(|r| r.part_id == Some(part.id) && r.status == RefundStatus::OwedManually)
        .map(|r| {
            view! {
                <form method="post" action=format!("/dashboard/orders/refunds/{}/settle", r.id) class="stacked owed-refund">
                    <p>{tr!(lang, refund_owed_line, amount = r.amount.to_string())}</p>
                    <Field name="reference" label=tr!(lang, transfer_reference) />
                    <button type="submit">{tr!(lang, settle_refund_button)}</button>
                </form>
            }
        })
        .collect_view();
    view! {
        <section class="order-part">
            <h2>{part.cooperative.clone()}</h2>
            <p class="status">{part_status_label(part.status, lang)}</p>
            <ul>{lines}</ul>
            <p>{tr!(lang, total)} ": " {part.total().to_string()}
               {(part.refunded.centavos() > 0).then(|| format!(" · {} {}", tr!(lang, refunded), part.refunded))}</p>
            {part.tracking.clone().map(|t| view! { <p>{tr!(lang, tracking_line, carrier = part.carrier.clone().unwrap_or_default(), number = t)}</p> })}
            <div class="actions">{buttons}</div>
            {refund}
            {owed}
        </section>
    }
}
