//! `/coop/{slug}/finances`: a cooperative admin's view of its money, read from the
//! ledger — what is pending, available and paid out for each member, for the
//! cooperative and for its community fund; the payouts and the payments to members;
//! the ledger itself, filtered by period, kind and member, with its CSV statement;
//! and the split rule. Its forms post to the server's `http::coop::finances`.

use crate::components::load::after_loading;
use crate::components::table::scrolling;
use crate::error::PageError;
use crate::forms::{Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::pages::coop::listings::CoopNav;
use crate::tr;
use domain::Lang;
use domain::dates::{format_date, format_day};
use domain::money::Money;
use domain::money::finance_forms::{SplitRuleFields, percent};
use domain::money::finances::{
    CoopFinances, FilterProblem, StatementFilter, StatementLine, account_label, entry_label,
};
use domain::money::ledger::EntryKind;
use domain::money::split::SplitRule;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// At most this many ledger lines are drawn; the CSV has them all.
pub const LINES_SHOWN: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleShown {
    pub version: i32,
    pub rule: SplitRule,
    pub release_days: u32,
    pub since: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinancesPage {
    pub slug: String,
    pub name: String,
    pub finances: CoopFinances,
    /// The newest lines the filter selects, newest first.
    pub lines: Vec<StatementLine>,
    pub lines_total: usize,
    pub filter: StatementFilter,
    pub filter_problem: Option<(String, FilterProblem)>,
    pub rules: Vec<RuleShown>,
    pub today: chrono::NaiveDate,
    /// The site pays through Stripe Connect.
    pub stripe: bool,
    /// The cooperative's connected account's state (`onboarding`, `enabled`,
    /// `restricted`), if it has one.
    pub connected: Option<String>,
}

#[server]
pub async fn load_coop_finances(
    slug: String,
    from: String,
    to: String,
    kind: String,
    producer: String,
) -> Result<FinancesPage, PageError> {
    use crate::error::ssr::db;
    let coop = crate::pages::coop::listings::ssr::administered(&slug)?;
    let db = db()?;
    let id = coop.cooperative_id;
    let finances = store::money::finances::of_cooperative(&db, id)
        .await
        .map_err(PageError::internal)?;
    let (filter, filter_problem) = match StatementFilter::parse(&from, &to, &kind, &producer) {
        Ok(f) => (f, None),
        Err((field, problem)) => (
            StatementFilter::default(),
            Some((field.to_owned(), problem)),
        ),
    };
    let mut lines = store::money::finances::statement(&db, id, &filter)
        .await
        .map_err(PageError::internal)?;
    let lines_total = lines.len();
    lines.reverse();
    lines.truncate(LINES_SHOWN);
    // Reading the rule in force writes the default as version 1 if there is none.
    store::money::split_rules::in_force(&db, id, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?;
    let rules = store::money::split_rules::history(&db, id)
        .await
        .map_err(PageError::internal)?
        .into_iter()
        .map(|v| RuleShown {
            version: v.version,
            rule: v.rule,
            release_days: v.release_days_after_shipping,
            since: v.created_at,
        })
        .collect();
    let stripe = use_context::<crate::SiteSettings>().is_some_and(|s| s.provider == "stripe");
    let connected = store::money::connected_accounts::of(&db, id)
        .await
        .map_err(PageError::internal)?
        .map(|c| c.status.code().to_owned());
    Ok(FinancesPage {
        stripe,
        connected,
        slug: coop.cooperative_slug.to_string(),
        name: coop.cooperative_name.clone(),
        finances,
        lines,
        lines_total,
        filter,
        filter_problem,
        rules,
        today: domain::clock::now().on_site().date(),
    })
}

fn money_cell(m: Money) -> impl IntoView {
    view! { <td class="amount">{m.to_string()}</td> }
}

#[component]
pub fn FinancesPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let (from, to, kind, producer, done) = use_query_map().with_untracked(|q| {
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            get("from"),
            get("to"),
            get("kind"),
            get("producer"),
            q.get("done"),
        )
    });
    after_loading(
        load_coop_finances(slug.clone(), from, to, kind, producer),
        move |p: FinancesPage| {
            let title = tr!(lang, finances_title, name = p.name.clone());
            let notice = done.clone().map(|d| match d.as_str() {
                "payout" => tr!(lang, finances_done_payout),
                "member" => tr!(lang, finances_done_member),
                "stripe" => tr!(lang, finances_done_stripe),
                "payout-failed" => tr!(lang, finances_done_payout_failed),
                "payout-cancelled" => tr!(lang, finances_done_payout_cancelled),
                _ => tr!(lang, finances_done_rule),
            });
            let slug = p.slug.clone();
            view! {
                <Title text=format!("{title} — Tianguis") />
                <Meta name="robots" content="noindex" />
                <h1>{title}</h1>
                <CoopNav slug=slug.clone() />
                {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <FormProblem />
                {balances(&p, lang)}
                {payout_form(&p, lang)}
                {member_payment_form(&p, lang)}
                {history(&p, lang)}
                {ledger(&p, lang)}
                {rule_form(&p, lang)}
            }
        },
    )
}

fn balances(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let f = &p.finances;
    let c = &f.cooperative;
    let members = f
        .members
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <th scope="row">{m.name.clone()}</th>
                    {money_cell(m.pending)}
                    {money_cell(m.available)}
                    {money_cell(m.held)}
                    {money_cell(m.received)}
                </tr>
            }
        })
        .collect_view();
    let fund = &f.fund;
    view! {
        <section id="balances">
            <h2>{tr!(lang, finances_balances)}</h2>
            <p>{tr!(lang, finances_balances_intro)}</p>
            {scrolling(view! {
                <table class="money-table" id="cooperative-balance">
                    <thead>
                        <tr>
                            <td></td>
                            <th scope="col">{tr!(lang, finances_pending)}</th>
                            <th scope="col">{tr!(lang, finances_available)}</th>
                            <th scope="col">{tr!(lang, finances_in_transit)}</th>
                            <th scope="col">{tr!(lang, finances_paid_out)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            <th scope="row">{p.name.clone()}</th>
                            {money_cell(c.pending)}
                            {money_cell(c.available)}
                            {money_cell(c.in_transit)}
                            {money_cell(c.paid_out)}
                        </tr>
                    </tbody>
                </table>
            })}
            <h3>{tr!(lang, finances_members)}</h3>
            {scrolling(view! {
                <table class="money-table" id="member-balances">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_member)}</th>
                            <th scope="col">{tr!(lang, finances_pending)}</th>
                            <th scope="col">{tr!(lang, finances_available)}</th>
                            <th scope="col">{tr!(lang, finances_held)}</th>
                            <th scope="col">{tr!(lang, finances_received)}</th>
                        </tr>
                    </thead>
                    <tbody>{members}</tbody>
                </table>
            })}
            <h3>
                <a href=format!("/communities/{}/fund", fund.community_slug)>
                    {tr!(lang, finances_fund, community = fund.community_name.clone())}
                </a>
            </h3>
            {scrolling(view! {
                <table class="money-table" id="fund-balance">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_pending)}</th>
                            <th scope="col">{tr!(lang, finances_available)}</th>
                            <th scope="col">{tr!(lang, finances_spent)}</th>
                            <th scope="col">{tr!(lang, finances_from_us)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        <tr>
                            {money_cell(fund.pending)}
                            {money_cell(fund.available)}
                            {money_cell(fund.spent)}
                            {money_cell(fund.from_this_cooperative)}
                        </tr>
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// Cash or SPEI, as two choices.
fn method_choice(name: &'static str, lang: Lang) -> impl IntoView {
    let echo = use_form_echo();
    let typed = echo.typed(name).map(str::to_owned);
    let error = echo.error_of(name).map(|e| e.message(lang));
    let is = move |m: &str| typed.as_deref() == Some(m);
    view! {
        <fieldset>
            <legend>{tr!(lang, finances_method)}</legend>
            {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <label class="choice"><input type="radio" name=name value="spei" checked=is("spei") /> {tr!(lang, finances_method_spei)}</label>
            <label class="choice"><input type="radio" name=name value="cash" checked=is("cash") /> {tr!(lang, finances_method_cash)}</label>
        </fieldset>
    }
}

fn payout_form(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let f = &p.finances;
    let payable = f.cooperative.available.centavos()
        + f.members
            .iter()
            .map(|m| m.available.centavos())
            .sum::<i64>();
    let pending = f.cooperative.pending.centavos()
        + f.members.iter().map(|m| m.pending.centavos()).sum::<i64>();
    let today = p.today.to_string();
    let form = (payable > 0).then(|| {
        view! {
            <form method="post" action=format!("/coop/{}/finances/payouts", p.slug) class="stacked narrow">
                {method_choice("payout_method", lang)}
                <Field name="payout_reference" label=tr!(lang, finances_reference)
                    hint=tr!(lang, finances_reference_hint) />
                <Field name="payout_paid_on" label=tr!(lang, finances_paid_on) input=Input::Date
                    value=today.clone() />
                <button type="submit">{tr!(lang, finances_record_payout)}</button>
            </form>
        }
    });
    let connect = p.stripe.then(|| {
        let action = format!("/coop/{}/finances", p.slug);
        match p.connected.as_deref() {
            Some("enabled") => (payable > 0)
                .then(|| {
                    view! {
                        <form method="post" action=format!("{action}/payouts/transfer")>
                            <button type="submit">{tr!(lang, finances_pay_by_stripe)}</button>
                        </form>
                    }
                })
                .into_any(),
            other => {
                let (text, button) = match other {
                    None => (
                        tr!(lang, finances_stripe_none),
                        tr!(lang, finances_stripe_connect),
                    ),
                    Some("restricted") => (
                        tr!(lang, finances_stripe_restricted),
                        tr!(lang, finances_stripe_finish),
                    ),
                    _ => (
                        tr!(lang, finances_stripe_onboarding),
                        tr!(lang, finances_stripe_finish),
                    ),
                };
                view! {
                    <p>{text}</p>
                    <form method="post" action=format!("{action}/stripe")>
                        <button type="submit">{button}</button>
                    </form>
                }
                .into_any()
            }
        }
    });
    view! {
        <section id="payout">
            <h2>{tr!(lang, finances_payout)}</h2>
            <p>{tr!(lang, finances_payable, amount = Money::mxn(payable).to_string())}</p>
            {(payable == 0).then(|| view! { <p class="hint">{tr!(lang, finances_nothing_payable, pending = Money::mxn(pending).to_string())}</p> })}
            {connect}
            {p.stripe.then(|| view! { <h3>{tr!(lang, finances_record_manual)}</h3> })}
            {form}
        </section>
    }
}

fn member_payment_form(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let echo = use_form_echo();
    let chosen = echo.typed("member").map(str::to_owned);
    let error = echo.error_of("member").map(|e| e.message(lang));
    let mut owed: Vec<_> = p
        .finances
        .members
        .iter()
        .filter(|m| m.held.centavos() > 0)
        .collect();
    // A refused payment is drawn again with its form, to say what was wrong.
    let refused = echo.typed("member").is_some();
    if owed.is_empty() && refused {
        owed = p.finances.members.iter().collect();
    }
    if owed.is_empty() {
        return view! {
            <section id="member-payment">
                <h2>{tr!(lang, finances_pay_member)}</h2>
                <p>{tr!(lang, finances_nobody_held)}</p>
            </section>
        }
        .into_any();
    }
    let options = owed
        .iter()
        .map(|m| {
            let id = m.producer_id.to_string();
            let selected = chosen.as_deref() == Some(id.as_str());
            view! {
                <option value=id selected=selected>
                    {format!("{} — {}", m.name, tr!(lang, finances_holds, amount = m.held.to_string()))}
                </option>
            }
        })
        .collect_view();
    view! {
        <section id="member-payment">
            <h2>{tr!(lang, finances_pay_member)}</h2>
            <form method="post" action=format!("/coop/{}/finances/member-payments", p.slug) class="stacked narrow">
                <label for="member">{tr!(lang, finances_member)}</label>
                {error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <select id="member" name="member">{options}</select>
                <Field name="member_amount" label=tr!(lang, finances_amount) />
                {method_choice("member_method", lang)}
                <Field name="member_reference" label=tr!(lang, finances_reference)
                    hint=tr!(lang, finances_reference_hint) />
                <Field name="member_paid_on" label=tr!(lang, finances_paid_on) input=Input::Date
                    value=p.today.to_string() />
                <button type="submit">{tr!(lang, finances_record_member)}</button>
            </form>
        </section>
    }
    .into_any()
}

fn method_name(code: &str, lang: Lang) -> String {
    match code {
        "cash" => tr!(lang, finances_method_cash),
        "spei" => tr!(lang, finances_method_spei),
        _ => tr!(lang, finances_method_transfer),
    }
}

fn history(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let f = &p.finances;
    let slug = p.slug.clone();
    let payouts = f
        .payouts
        .iter()
        .map(|o| {
            let status = match o.status.as_str() {
                "paid" => tr!(lang, finances_status_paid),
                "sending" => tr!(lang, finances_status_sending),
                "failed" => tr!(lang, finances_status_failed),
                _ => tr!(lang, finances_status_cancelled),
            };
            view! {
                <tr>
                    <td>{o.paid_on.map(|d| format_day(d, lang)).unwrap_or_else(|| format_date(o.started, lang))}</td>
                    <td>{method_name(&o.method, lang)}</td>
                    <td>{o.reference.clone().unwrap_or_default()}</td>
                    <td>
                        {status}
                        {o.last_error.clone().map(|e| view! { <br /><small>{e}</small> })}
                        {(o.status == "failed").then(|| view! {
                            <form method="post" action=format!("/coop/{}/finances/payouts/{}/retry", slug, o.id)>
                                <button type="submit">{tr!(lang, finances_retry)}</button>
                            </form>
                            <form method="post" action=format!("/coop/{}/finances/payouts/{}/cancel", slug, o.id)>
                                <button type="submit" class="secondary">{tr!(lang, finances_cancel_payout)}</button>
                            </form>
                        })}
                    </td>
                    {money_cell(o.amount)}
                </tr>
            }
        })
        .collect_view();
    let paid = f
        .member_payments
        .iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{format_day(m.paid_on, lang)}</td>
                    <td>{m.producer.clone()}</td>
                    <td>{method_name(&m.method, lang)}</td>
                    <td>{m.reference.clone().unwrap_or_default()}</td>
                    {money_cell(m.amount)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section id="payouts">
            <h2>{tr!(lang, finances_history)}</h2>
            {scrolling(view! {
                <table class="money-table" id="payout-list">
                    <caption>{tr!(lang, finances_payouts)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_date)}</th>
                            <th scope="col">{tr!(lang, finances_method)}</th>
                            <th scope="col">{tr!(lang, finances_reference)}</th>
                            <th scope="col">{tr!(lang, finances_status)}</th>
                            <th scope="col">{tr!(lang, finances_amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{payouts}</tbody>
                </table>
            })}
            {scrolling(view! {
                <table class="money-table" id="member-payment-list">
                    <caption>{tr!(lang, finances_member_payments)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_date)}</th>
                            <th scope="col">{tr!(lang, finances_member)}</th>
                            <th scope="col">{tr!(lang, finances_method)}</th>
                            <th scope="col">{tr!(lang, finances_reference)}</th>
                            <th scope="col">{tr!(lang, finances_amount)}</th>
                        </tr>
                    </thead>
                    <tbody>{paid}</tbody>
                </table>
            })}
        </section>
    }
}

fn ledger(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let f = &p.filter;
    let problem = p
        .filter_problem
        .as_ref()
        .map(|(field, e)| view! { <p class="field-error" role="alert">{format!("{field}: {}", crate::forms::filter_problem_message(*e, lang))}</p> });
    let kinds = EntryKind::ALL
        .into_iter()
        .map(|k| {
            view! { <option value=k.code() selected=f.kind == Some(k)>{entry_label(k, lang)}</option> }
        })
        .collect_view();
    let members = p
        .finances
        .members
        .iter()
        .map(|m| {
            view! {
                <option value=m.producer_id.to_string() selected=f.producer == Some(m.producer_id)>
                    {m.name.clone()}
                </option>
            }
        })
        .collect_view();
    let query = f.query();
    let csv = if query.is_empty() {
        format!("/coop/{}/finances/statement.csv", p.slug)
    } else {
        format!("/coop/{}/finances/statement.csv?{query}", p.slug)
    };
    let rows = p
        .lines
        .iter()
        .map(|l| {
            let (debit, credit) = if l.centavos >= 0 {
                (Money::mxn(l.centavos).to_string(), String::new())
            } else {
                (String::new(), Money::mxn(-l.centavos).to_string())
            };
            view! {
                <tr>
                    <td>{format_date(l.at, lang)}</td>
                    <td>{entry_label(l.kind, lang)}</td>
                    <td>{l.order_code.clone().unwrap_or_default()}</td>
                    <td>{account_label(l.account, lang)} {l.holder.clone().map(|h| view! { <br /><small>{h}</small> })}</td>
                    <td class="amount">{debit}</td>
                    <td class="amount">{credit}</td>
                    <td>{l.memo.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let more = (p.lines_total > p.lines.len())
        .then(|| view! { <p>{tr!(lang, finances_more_in_csv, shown = p.lines.len(), total = p.lines_total)}</p> });
    view! {
        <section id="ledger">
            <h2>{tr!(lang, finances_ledger)}</h2>
            <form method="get" action=format!("/coop/{}/finances", p.slug) class="filters">
                {problem}
                <label>{tr!(lang, finances_from)} <input type="date" name="from" value=f.from.map(|d| d.to_string()) /></label>
                <label>{tr!(lang, finances_to)} <input type="date" name="to" value=f.to.map(|d| d.to_string()) /></label>
                <label>
                    {tr!(lang, finances_kind)}
                    <select name="kind"><option value="">{tr!(lang, finances_any)}</option>{kinds}</select>
                </label>
                <label>
                    {tr!(lang, finances_member)}
                    <select name="producer"><option value="">{tr!(lang, finances_any)}</option>{members}</select>
                </label>
                <button type="submit">{tr!(lang, finances_filter)}</button>
            </form>
            <p><a href=csv download="" id="statement-csv">{tr!(lang, finances_download_csv)}</a></p>
            {scrolling(view! {
                <table class="money-table" id="ledger-lines">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(lang, finances_date)}</th>
                            <th scope="col">{tr!(lang, finances_kind)}</th>
                            <th scope="col">{tr!(lang, finances_order)}</th>
                            <th scope="col">{tr!(lang, finances_account)}</th>
                            <th scope="col">{tr!(lang, finances_debit)}</th>
                            <th scope="col">{tr!(lang, finances_credit)}</th>
                            <th scope="col">{tr!(lang, finances_memo)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            {more}
        </section>
    }
}

fn rule_form(p: &FinancesPage, lang: Lang) -> impl IntoView + use<> {
    let Some(current) = p.rules.first() else {
        return view! { <section id="split-rule"></section> }.into_any();
    };
    let echo = use_form_echo();
    let fields = SplitRuleFields::of(&current.rule, current.release_days);
    let carrier = echo
        .typed("fees_carried_by")
        .map(str::to_owned)
        .unwrap_or(fields.fees_carried_by.clone());
    let carrier_option = move |code: &'static str, label: String| {
        view! { <option value=code selected=carrier == code>{label}</option> }
    };
    let versions = p
        .rules
        .iter()
        .map(|v| {
            let r = &v.rule;
            view! {
                <li>
                    {tr!(lang, finances_rule_version, version = v.version, since = format_date(v.since, lang))}
                    ": "
                    {format!(
                        "{} % / {} % / {} % / {} %",
                        percent(r.producer_points),
                        percent(r.cooperative_points),
                        percent(r.fund_points),
                        percent(r.platform_points),
                    )}
                </li>
            }
        })
        .collect_view();
    view! {
        <section id="split-rule">
            <h2>{tr!(lang, finances_rule)}</h2>
            <p>{tr!(lang, finances_rule_intro, platform = percent(current.rule.platform_points))}</p>
            <form method="post" action=format!("/coop/{}/finances/split-rule", p.slug) class="stacked narrow">
                <Field name="producer_share" label=tr!(lang, finances_rule_producer) value=fields.producer.clone() />
                <Field name="cooperative_share" label=tr!(lang, finances_rule_cooperative) value=fields.cooperative.clone() />
                <Field name="fund_share" label=tr!(lang, finances_rule_fund) value=fields.fund.clone() />
                <Field name="advance_share" label=tr!(lang, finances_rule_advance) value=fields.advance.clone()
                    hint=tr!(lang, finances_rule_advance_hint) />
                <label for="fees_carried_by">{tr!(lang, finances_rule_fees)}</label>
                <select id="fees_carried_by" name="fees_carried_by">
                    {carrier_option("platform", tr!(lang, receipt_platform))}
                    {carrier_option("cooperative", tr!(lang, receipt_cooperative))}
                    {carrier_option("producer", tr!(lang, receipt_producer))}
                    {carrier_option("fund", tr!(lang, receipt_fund))}
                </select>
                <Field name="release_days" label=tr!(lang, finances_rule_days) value=fields.release_days.clone()
                    input=Input::Number hint=tr!(lang, finances_rule_days_hint) />
                <button type="submit">{tr!(lang, finances_rule_save)}</button>
            </form>
            <h3>{tr!(lang, finances_rule_history)}</h3>
            <ul>{versions}</ul>
        </section>
    }
    .into_any()
}
