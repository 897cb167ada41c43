//! `/communities/{slug}/fund`: a community fund, in public — its balance, what each
//! cooperative's sales gave it, the projects its members proposed with their votes,
//! and what was spent, with receipts. Members of the community's cooperatives
//! propose and vote here; their admins record spending on approved projects. The
//! forms post to the server's `http::visit::fund`.

use crate::components::load::after_loading;
use crate::components::seo::Seo;
use crate::components::table::scrolling;
use crate::components::text::paragraphs;
use crate::error::PageError;
use crate::forms::{Field, FormProblem, Input, use_form_echo};
use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use domain::dates::{format_date, format_day};
use domain::money::fund::{
    FundView, ProposalStatus, ProposalView, SpendingView, free_to_approve, vote_is_open,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundPage {
    pub fund: FundView,
    pub now: chrono::NaiveDateTime,
}

#[server]
pub async fn load_fund(slug: String) -> Result<FundPage, PageError> {
    use crate::error::ssr::db;
    let viewer = crate::viewer::use_viewer();
    let fund = store::money::fund::page(&db()?, &slug, viewer.as_ref())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    Ok(FundPage {
        fund,
        now: domain::clock::now().on_site().naive(),
    })
}

#[component]
pub fn FundPage() -> impl IntoView {
    let lang = use_lang();
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    let done = use_query_map().with_untracked(|q| q.get("done"));
    after_loading(load_fund(slug), move |p: FundPage| {
        let f = &p.fund;
        let s = &f.standing;
        let title = tr!(lang, fund_title, community = s.community_name.clone());
        let base = format!("/communities/{}/fund", s.community_slug);
        let notice = done.clone().map(|d| match d.as_str() {
            "proposed" => tr!(lang, fund_done_proposed),
            "voted" => tr!(lang, fund_done_voted),
            _ => tr!(lang, fund_done_spent),
        });
        let inflows = f
            .inflows
            .iter()
            .map(|(name, m)| view! { <tr><th scope="row">{name.clone()}</th><td class="amount">{m.to_string()}</td></tr> })
            .collect_view();
        let proposals = f
            .proposals
            .iter()
            .map(|pr| proposal(pr, f, &base, p.now, lang))
            .collect_view();
        let spending = f.spending.iter().map(|sp| spent(sp, lang)).collect_view();
        let free = free_to_approve(s.available, f.promised);
        view! {
            <Seo
                title=format!("{title} — Tianguis")
                description=tr!(lang, fund_intro)
                path=format!("/communities/{}/fund", s.community_slug)
            />
            <h1>{title}</h1>
            <p>{tr!(lang, fund_intro)}</p>
            <p><a href=format!("/communities/{}", s.community_slug)>{s.community_name.clone()}</a></p>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <section id="fund-balance">
                <h2>{tr!(lang, fund_balance)}</h2>
                <dl class="totals">
                    <dt>{tr!(lang, finances_available)}</dt><dd>{s.available.to_string()}</dd>
                    <dt>{tr!(lang, fund_promised)}</dt><dd>{f.promised.to_string()}</dd>
                    <dt>{tr!(lang, fund_free)}</dt><dd>{free.to_string()}</dd>
                    <dt>{tr!(lang, fund_pending)}</dt><dd>{s.pending.to_string()}</dd>
                    <dt>{tr!(lang, finances_spent)}</dt><dd>{s.spent.to_string()}</dd>
                </dl>
                <h3>{tr!(lang, fund_inflows)}</h3>
                {scrolling(view! {
                    <table class="money-table" id="fund-inflows"><tbody>{inflows}</tbody></table>
                })}
            </section>
            <section id="proposals">
                <h2>{tr!(lang, fund_proposals)}</h2>
                <p>{tr!(lang, fund_how_counted)}</p>
                {proposals}
                {f.proposals.is_empty().then(|| view! { <p>{tr!(lang, fund_no_proposals)}</p> })}
            </section>
            {f.can_vote.then(|| propose_form(&base, lang))}
            <section id="spending">
                <h2>{tr!(lang, fund_spending)}</h2>
                <ul class="spending-list">{spending}</ul>
                {f.spending.is_empty().then(|| view! { <p>{tr!(lang, fund_nothing_spent)}</p> })}
            </section>
        }
    })
}

fn status_label(s: ProposalStatus, lang: Lang) -> String {
    match s {
        ProposalStatus::Voting => tr!(lang, fund_status_voting),
        ProposalStatus::Approved => tr!(lang, fund_status_approved),
        ProposalStatus::NotApproved => tr!(lang, fund_status_not_approved),
        ProposalStatus::Done => tr!(lang, fund_status_done),
    }
}

fn proposal(
    p: &ProposalView,
    f: &FundView,
    base: &str,
    now: chrono::NaiveDateTime,
    lang: Lang,
) -> impl IntoView + use<> {
    let open =
        p.status == ProposalStatus::Voting && vote_is_open(p.voting_opens, p.voting_closes, now);
    let title = p.title.show(lang).text.to_owned();
    let window = if p.status == ProposalStatus::Voting {
        tr!(
            lang,
            fund_vote_until,
            date = format_date(p.voting_closes, lang)
        )
    } else {
        tr!(
            lang,
            fund_vote_closed_on,
            date = format_date(p.voting_closes, lang)
        )
    };
    let mine = p.my_vote.map(|yes| {
        let said = if yes {
            tr!(lang, fund_vote_for)
        } else {
            tr!(lang, fund_vote_against)
        };
        view! { <p class="my-vote">{tr!(lang, fund_you_voted, vote = said)}</p> }
    });
    let vote = (open && f.can_vote).then(|| {
        let action = format!("{base}/proposals/{}/vote", p.id);
        view! {
            <form method="post" action=action class="vote">
                <button type="submit" name="vote" value="for">{tr!(lang, fund_vote_for)}</button>
                " "
                <button type="submit" name="vote" value="against" class="secondary">{tr!(lang, fund_vote_against)}</button>
            </form>
        }
    });
    let spend = (p.status == ProposalStatus::Approved && f.can_record_spending)
        .then(|| spend_form(p, base, now, lang));
    view! {
        <article class="proposal" id=format!("proposal-{}", p.id)>
            <h3>{title}</h3>
            <p class="meta">
                {status_label(p.status, lang)} " · " {p.amount.to_string()} " · "
                {tr!(lang, fund_proposed_by, name = p.proposed_by.clone())}
            </p>
            {paragraphs(&p.description, lang)}
            <p class="tally">{tr!(lang, fund_tally, yes = p.votes_for, no = p.votes_against)} " · " {window}</p>
            {(p.spent.centavos() > 0).then(|| view! { <p>{tr!(lang, fund_spent_so_far, amount = p.spent.to_string())}</p> })}
            {mine}
            {vote}
            {spend}
        </article>
    }
}

fn propose_form(base: &str, lang: Lang) -> impl IntoView + use<> {
    view! {
        <section id="propose">
            <h2>{tr!(lang, fund_propose)}</h2>
            <form method="post" action=format!("{base}/proposals") class="stacked narrow">
                <FormProblem />
                <Field name="title_es" label=tr!(lang, fund_title_es) text_lang="es" />
                <Field name="title_en" label=tr!(lang, fund_title_en) text_lang="en" />
                <Field name="description_es" label=tr!(lang, fund_description_es) input=Input::LongText text_lang="es" />
                <Field name="description_en" label=tr!(lang, fund_description_en) input=Input::LongText text_lang="en" />
                <Field name="amount" label=tr!(lang, fund_amount) />
                <Field name="days" label=tr!(lang, fund_days) input=Input::Number required=false
                    hint=tr!(lang, fund_days_hint) />
                <button type="submit">{tr!(lang, fund_propose_button)}</button>
            </form>
        </section>
    }
}

fn spend_form(
    p: &ProposalView,
    base: &str,
    now: chrono::NaiveDateTime,
    lang: Lang,
) -> impl IntoView + use<> {
    let echo = use_form_echo();
    // Only the form that was refused shows its problems.
    let this_one = echo.typed("proposal") == Some(p.id.to_string().as_str());
    let photo_error = this_one
        .then(|| echo.error_of("photo").map(|e| e.message(lang)))
        .flatten();
    let left = p.amount.centavos() - p.spent.centavos();
    view! {
        <form method="post" action=format!("{base}/proposals/{}/spending", p.id)
            enctype="multipart/form-data" class="stacked narrow spend">
            <h4>{tr!(lang, fund_record_spending)}</h4>
            <input type="hidden" name="proposal" value=p.id.to_string() />
            {this_one.then(|| view! { <FormProblem /> })}
            <Field name="spend_amount" label=tr!(lang, finances_amount)
                value=domain::money::finances::plain_amount(left) />
            <Field name="spend_note" label=tr!(lang, fund_spend_note) />
            <Field name="spend_on" label=tr!(lang, finances_paid_on) input=Input::Date value=now.date().to_string() />
            <label for=format!("receipt-{}", p.id)>{tr!(lang, fund_receipt_photo)}</label>
            {photo_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            <input type="file" id=format!("receipt-{}", p.id) name="photo" accept="image/*" required />
            <button type="submit">{tr!(lang, fund_record_spending)}</button>
        </form>
    }
}

fn spent(s: &SpendingView, lang: Lang) -> impl IntoView + use<> {
    let receipt = s.receipt_photo.as_ref().map(|key| {
        let alt = tr!(lang, fund_receipt_alt, what = s.proposal.show(lang).text.to_owned());
        view! {
            <a href=domain::catalog::media_url(&format!("{key}-1280.webp"))>
                <img src=domain::catalog::media_url(&format!("{key}-320.webp")) width=160 alt=alt loading="lazy" decoding="async" />
            </a>
        }
    });
    view! {
        <li>
            <strong>{s.amount.to_string()}</strong> " · " {format_day(s.spent_on, lang)} " · "
            <a href=format!("#proposal-{}", s.proposal_id)>{s.proposal.show(lang).text.to_owned()}</a>
            <br />{s.note.clone()}
            {receipt}
        </li>
    }
}
