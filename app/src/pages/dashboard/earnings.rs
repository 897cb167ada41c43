//! `/dashboard/earnings`: what an artisan or guide earned and received, read from the
//! ledger — their share of sales still pending (not yet delivered, or the tour not yet
//! run), available for the next payout, paid to their cooperative and held for them
//! there, and what the cooperative paid them; with every line of their statement. A
//! helper sees it for the producers entrusted to them.

use crate::components::load::after_loading;
use crate::components::table::scrolling;
use crate::error::PageError;
use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use domain::dates::{format_date, format_day};
use domain::money::Money;
use domain::money::finances::{MemberFinances, account_label, entry_label};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[server]
pub async fn load_earnings() -> Result<Vec<MemberFinances>, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    if !viewer.has_dashboard() {
        return Err(denied(PageError::Forbidden));
    }
    let db = db()?;
    let producers = viewer
        .own_producers()
        .filter_map(|m| m.producer_id)
        .chain(viewer.helps.iter().map(|h| h.producer_id));
    let mut out = Vec::new();
    for id in producers {
        if let Some(f) = store::money::finances::of_member(&db, id)
            .await
            .map_err(PageError::internal)?
        {
            out.push(f);
        }
    }
    Ok(out)
}

#[component]
pub fn EarningsPage() -> impl IntoView {
    let lang = use_lang();
    after_loading(load_earnings(), move |all: Vec<MemberFinances>| {
        let title = tr!(lang, earnings_title);
        view! {
            <Title text=format!("{title} — Tianguis") />
            <Meta name="robots" content="noindex" />
            <h1>{title}</h1>
            <p>{tr!(lang, earnings_intro)}</p>
            {all.iter().map(|f| member(f, lang)).collect_view()}
        }
    })
}

fn cell(m: Money) -> impl IntoView {
    view! { <td class="amount">{m.to_string()}</td> }
}

fn member(f: &MemberFinances, lang: Lang) -> impl IntoView + use<> {
    let s = &f.standing;
    let lines = f
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{format_date(l.at, lang)}</td>
                    <td>{entry_label(l.kind, lang)}</td>
                    <td>{l.order_code.clone().unwrap_or_default()}</td>
                    <td>{account_label(l.account, lang)}</td>
                    // Their accounts are owed to them: a credit is money for them.
                    {cell(Money::mxn(-l.centavos))}
                </tr>
            }
        })
        .collect_view();
    let payments = f
        .payments
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{format_day(m.paid_on, lang)}</td>
                    <td>{m.reference.clone().unwrap_or_default()}</td>
                    {cell(m.amount)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="earnings" id=format!("earnings-{}", s.producer_id)>
            <h2>{format!("{} — {}", s.name, f.cooperative_name)}</h2>
            {scrolling(view! {
                <table class="money-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_pending)}</th>
                            <th scope="col">{tr!(lang, finances_available)}</th>
                            <th scope="col">{tr!(lang, finances_held)}</th>
                            <th scope="col">{tr!(lang, finances_received)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>{cell(s.pending)}{cell(s.available)}{cell(s.held)}{cell(s.received)}</tr>
                    </tbody>
                </table>
            })}
            <h3>{tr!(lang, finances_member_payments)}</h3>
            {scrolling(view! {
                <table class="money-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_date)}</th>
                            <th scope="col">{tr!(lang, finances_reference)}</th>
                            <th scope="col">{tr!(lang, finances_amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{payments}</tbody>
                </table>
            })}
            <h3>{tr!(lang, earnings_lines)}</h3>
            {scrolling(view! {
                <table class="money-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_date)}</th>
                            <th scope="col">{tr!(lang, finances_kind)}</th>
                            <th scope="col">{tr!(lang, finances_order)}</th>
                            <th scope="col">{tr!(lang, finances_account)}</th>
                            <th scope="col">{tr!(lang, finances_amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{lines}</tbody>
                </table>
            })}
        </section>
    }
}
