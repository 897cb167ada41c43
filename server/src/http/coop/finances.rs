//! What a cooperative's admin does on its finances page: record a cash or SPEI
//! payout of everything available, record a payment to a member, put a new split
//! rule in force, and download the ledger's statement as CSV. Each checks that the
//! person administers this cooperative.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, Refusal, WHOLE_FORM};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use domain::field::FieldProblem;
use domain::money::finance_forms::{
    FinanceFieldError, FinanceProblems, SplitRuleFields, parse_amount, parse_manual,
};
use domain::money::finances::{StatementFilter, statement_csv};
use domain::{Lang, Viewer};
use http::{StatusCode, header};
use serde::{Deserialize, Serialize};
use store::money::payouts::{Manual, PayoutError};

/// The poster and their administration of cooperative `slug`; else the answer (sign
/// in, or refused).
fn administrator<'a, T>(
    post: &'a FormPost<T>,
    slug: &str,
) -> Result<(&'a Viewer, &'a domain::people::access::Membership), Stop> {
    let viewer = post.viewer()?;
    match viewer.administration_of(slug) {
        Some(membership) => Ok((viewer, membership)),
        None => Err(post.refuse(Refusal::NotAllowed)),
    }
}

/// The status of a form drawn again for what was typed wrong.
const UNFIT: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

fn page(slug: &str) -> String {
    format!("/coop/{slug}/finances")
}

/// The finances page drawn again around `post`'s form, each problem by its field.
async fn redraw_finances<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    slug: &str,
    problems: Vec<(String, FinanceFieldError)>,
    status: StatusCode,
) -> Stop {
    let echo = echo_of(
        &post.form,
        problems
            .iter()
            .map(|(f, e)| (f.as_str(), FieldError::Finance(*e))),
    );
    let uri = page(slug);
    state.pages.redraw_at(&post.parts, &uri, echo, status).await
}

/// The domain's field names, as the form names them.
fn prefixed(prefix: &str, problems: FinanceProblems) -> Vec<(String, FinanceFieldError)> {
    problems
        .into_iter()
        .map(|(f, e)| (format!("{prefix}{f}"), e))
        .collect()
}

fn whole(e: FinanceFieldError) -> Vec<(String, FinanceFieldError)> {
    vec![(WHOLE_FORM.to_owned(), e)]
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct PayoutForm {
    #[serde(default)]
    payout_method: String,
    #[serde(default)]
    payout_reference: String,
    #[serde(default)]
    payout_paid_on: String,
}

#[tracing::instrument(name = "manual_payout", skip_all, fields(coop = slug))]
pub async fn payout(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<PayoutForm>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let f = &post.form;
    let at = domain::clock::now().on_site();
    let how = match parse_manual(
        &f.payout_method,
        &f.payout_reference,
        &f.payout_paid_on,
        at.date(),
    ) {
        Ok(how) => how,
        Err(problems) => {
            let problems = prefixed("payout_", problems);
            return Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await);
        }
    };
    let manual = Manual::of(how, Some(viewer.account_id));
    match store::money::payouts::record_manual(&state.db, membership.cooperative_id, &manual, at)
        .await
    {
        Ok((id, amount)) => {
            tracing::info!(payout = id, %amount, "payout recorded");
            Ok(see_other(&format!("{}?done=payout#payouts", page(&slug))))
        }
        Err(PayoutError::NothingToPay) => {
            let problems = whole(FinanceFieldError::NothingToPay);
            Err(redraw_finances(&state, &post, &slug, problems, StatusCode::CONFLICT).await)
        }
        Err(PayoutError::AlreadyUnderWay) => {
            let problems = whole(FinanceFieldError::PayoutUnderWay);
            Err(redraw_finances(&state, &post, &slug, problems, StatusCode::CONFLICT).await)
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct MemberPaymentForm {
    #[serde(default)]
    member: String,
    #[serde(default)]
    member_amount: String,
    #[serde(default)]
    member_method: String,
    #[serde(default)]
    member_reference: String,
    #[serde(default)]
    member_paid_on: String,
}

#[tracing::instrument(name = "member_payment", skip_all, fields(coop = slug))]
pub async fn member_payment(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<MemberPaymentForm>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let f = &post.form;
    let at = domain::clock::now().on_site();
    let manual = parse_manual(
        &f.member_method,
        &f.member_reference,
        &f.member_paid_on,
        at.date(),
    );
    let mut problems = match &manual {
        Ok(_) => Vec::new(),
        Err(p) => prefixed("member_", p.clone()),
    };
    let member = f.member.trim().parse::<i32>().ok();
    if member.is_none() {
        problems.push(("member".to_owned(), FinanceFieldError::NotAMember));
    }
    let amount = parse_amount(&f.member_amount)
        .map_err(|e| problems.push(("member_amount".to_owned(), e)))
        .ok();
    let (Ok(how), Some(member), Some(amount), true) = (manual, member, amount, problems.is_empty())
    else {
        return Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await);
    };
    let manual = Manual::of(how, Some(viewer.account_id));
    let done = store::money::payouts::pay_member(
        &state.db,
        membership.cooperative_id,
        member,
        amount,
        &manual,
        at,
    )
    .await;
    let refused_with = |field: &str, e| vec![(field.to_owned(), e)];
    match done {
        Ok(_) => Ok(see_other(&format!("{}?done=member#payouts", page(&slug)))),
        Err(PayoutError::NotAMember) => {
            let problems = refused_with("member", FinanceFieldError::NotAMember);
            Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await)
        }
        Err(PayoutError::MoreThanHeld(held)) => {
            let problems = refused_with("member_amount", FinanceFieldError::MoreThanHeld { held });
            Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await)
        }
        Err(PayoutError::NotPositive) => {
            let problems = refused_with(
                "member_amount",
                FinanceFieldError::Field(FieldProblem::NotAnAmount),
            );
            Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await)
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RuleForm {
    #[serde(default)]
    producer_share: String,
    #[serde(default)]
    cooperative_share: String,
    #[serde(default)]
    fund_share: String,
    #[serde(default)]
    advance_share: String,
    #[serde(default)]
    fees_carried_by: String,
    #[serde(default)]
    release_days: String,
}

#[tracing::instrument(name = "split_rule", skip_all, fields(coop = slug))]
pub async fn split_rule(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<RuleForm>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let at = domain::clock::now().on_site();
    let id = membership.cooperative_id;
    let current = store::money::split_rules::in_force(&state.db, id, at).await?;
    let f = &post.form;
    let fields = SplitRuleFields {
        producer: f.producer_share.clone(),
        cooperative: f.cooperative_share.clone(),
        fund: f.fund_share.clone(),
        advance: f.advance_share.clone(),
        fees_carried_by: f.fees_carried_by.clone(),
        release_days: f.release_days.clone(),
    };
    match fields.parse(current.rule.platform_points) {
        Ok((rule, days)) => {
            match store::money::split_rules::set(
                &state.db,
                id,
                &rule,
                days,
                Some(viewer.account_id),
                at,
            )
            .await
            {
                Ok(v) => {
                    tracing::info!(version = v.version, "split rule set");
                    Ok(see_other(&format!("{}?done=rule#split-rule", page(&slug))))
                }
                Err(err) => Err(Stop::failed(err)),
            }
        }
        Err(problems) => {
            // The form's names end in `_share` where the rule's fields do not.
            let problems = problems
                .into_iter()
                .map(|(field, e)| {
                    let name = match field {
                        "fees_carried_by" | "release_days" => field.to_owned(),
                        other => format!("{other}_share"),
                    };
                    (name, e)
                })
                .collect();
            Err(redraw_finances(&state, &post, &slug, problems, UNFIT).await)
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct StatementQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    producer: String,
}

/// `GET /coop/{slug}/finances/statement.csv`: the ledger lines of a period (and of a
/// kind, or a member), one posting a row, for a spreadsheet or the accountant.
#[tracing::instrument(name = "statement_csv", skip_all, fields(coop = slug))]
pub async fn statement(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<StatementQuery>,
    viewer: Option<Extension<Viewer>>,
    lang: Option<Extension<Lang>>,
) -> Answer {
    let lang = lang.map(|Extension(l)| l).unwrap_or_default();
    let Some(Extension(viewer)) = viewer else {
        return Err(Stop::SignInFirst(format!("{}/statement.csv", page(&slug))));
    };
    let Some(membership) = viewer.administration_of(&slug) else {
        return Err(Stop::Refused(Refusal::NotAllowed, lang));
    };
    let filter = match StatementFilter::parse(&q.from, &q.to, &q.kind, &q.producer) {
        Ok(filter) => filter,
        Err((field, problem)) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!(
                    "{field}: {}",
                    app::forms::filter_problem_message(problem, lang)
                ),
            )
                .into_response());
        }
    };
    let lines =
        store::money::finances::statement(&state.db, membership.cooperative_id, &filter).await?;
    let name = format!(
        "tianguis-{slug}-{}-{}.csv",
        filter
            .from
            .map(|d| d.to_string())
            .unwrap_or_else(|| "inicio".into()),
        filter
            .to
            .map(|d| d.to_string())
            .unwrap_or_else(|| domain::clock::now().on_site().date().to_string()),
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        // A byte-order mark first: without it Excel reads UTF-8 as Latin-1
        // ("GutiÃ©rrez"); every other reader skips it.
        format!("\u{feff}{}", statement_csv(&lines, lang)),
    )
        .into_response())
}

/// The Stripe client, if this server takes payments through Stripe.
fn stripe_of(state: &AppState) -> Option<&payments::stripe::Stripe> {
    match state.payments.provider() {
        payments::Provider::Stripe(stripe) => Some(stripe),
        payments::Provider::Simulated(_) => None,
    }
}

/// Sends the admin to Stripe's onboarding forms for the cooperative's connected
/// account (made the first time). Stripe brings them back to the finances page.
#[tracing::instrument(name = "stripe_onboarding", skip_all, fields(coop = slug))]
pub async fn onboard(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<NoFields>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let Some(stripe) = stripe_of(&state) else {
        let problems = whole(FinanceFieldError::NoStripe);
        return Err(redraw_finances(&state, &post, &slug, problems, StatusCode::CONFLICT).await);
    };
    let id = membership.cooperative_id;
    let account = match store::money::connected_accounts::of(&state.db, id).await {
        Ok(Some(c)) => c.account_ref,
        Ok(None) => match stripe.create_account(id, Some(viewer.email.as_str())).await {
            Ok((account, status)) => {
                if let Err(err) = store::money::connected_accounts::save(
                    &state.db,
                    id,
                    &account,
                    status,
                    domain::clock::now().on_site(),
                )
                .await
                {
                    return Err(Stop::failed(err));
                }
                account
            }
            Err(err) => return Err(stripe_trouble(&state, &post, &slug, err).await),
        },
        Err(err) => return Err(Stop::failed(err)),
    };
    let back = format!("{}{}", state.public_url, page(&slug));
    match stripe
        .onboarding_link(
            &account,
            &format!("{back}?stripe=again"),
            &format!("{back}?done=stripe"),
        )
        .await
    {
        Ok(url) => Ok(see_other(&url)),
        Err(err) => Err(stripe_trouble(&state, &post, &slug, err).await),
    }
}

async fn stripe_trouble<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    slug: &str,
    err: payments::ProviderError,
) -> Stop {
    tracing::warn!(%err, "stripe refused or did not answer");
    let problems = whole(FinanceFieldError::StripeTrouble);
    redraw_finances(state, post, slug, problems, StatusCode::BAD_GATEWAY).await
}

/// What sending a payout came to, as the page's notice says it.
async fn sent(state: &AppState, payout: i32, slug: &str) -> Answer {
    match crate::tasks::payouts::send(
        &state.payments,
        &state.db,
        payout,
        domain::clock::now().on_site().naive(),
    )
    .await
    {
        Ok(crate::tasks::payouts::Sent::Failed(_)) => Ok(see_other(&format!(
            "{}?done=payout-failed#payouts",
            page(slug)
        ))),
        Ok(_) => Ok(see_other(&format!("{}?done=payout#payouts", page(slug)))),
        Err(err) => Err(Stop::failed(err)),
    }
}

/// Pays everything available by transfers to the cooperative's Stripe account.
#[tracing::instrument(name = "transfer_payout", skip_all, fields(coop = slug))]
pub async fn transfer_payout(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<NoFields>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    if stripe_of(&state).is_none() {
        let problems = whole(FinanceFieldError::NoStripe);
        return Err(redraw_finances(&state, &post, &slug, problems, StatusCode::CONFLICT).await);
    }
    let id = membership.cooperative_id;
    match store::money::payouts::start_transfer(
        &state.db,
        id,
        Some(viewer.account_id),
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(payout) => sent(&state, payout, &slug).await,
        Err(err) => Err(payout_refused(&state, &post, &slug, err).await),
    }
}

async fn payout_refused<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    slug: &str,
    err: PayoutError,
) -> Stop {
    let problem = match err {
        PayoutError::NothingToPay => FinanceFieldError::NothingToPay,
        PayoutError::AlreadyUnderWay => FinanceFieldError::PayoutUnderWay,
        PayoutError::NotConnected => FinanceFieldError::NotConnected,
        PayoutError::NotNow => FinanceFieldError::PayoutNotNow,
        PayoutError::WentThrough => FinanceFieldError::PayoutWentThrough,
        err => return Stop::failed(err),
    };
    redraw_finances(state, post, slug, whole(problem), StatusCode::CONFLICT).await
}

/// Sends a failed payout again: the transfers not yet confirmed, with their keys.
#[tracing::instrument(name = "retry_payout", skip_all, fields(coop = slug, payout = id))]
pub async fn retry_payout(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let coop = membership.cooperative_id;
    match store::money::payouts::retry(
        &state.db,
        coop,
        id,
        Some(viewer.account_id),
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => sent(&state, id, &slug).await,
        Err(err) => Err(payout_refused(&state, &post, &slug, err).await),
    }
}

/// Gives up on a failed payout: what it set aside is available again.
#[tracing::instrument(name = "cancel_payout", skip_all, fields(coop = slug, payout = id))]
pub async fn cancel_payout(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (viewer, membership) = administrator(&post, &slug)?;
    let coop = membership.cooperative_id;
    let at = domain::clock::now().on_site();
    // A transfer marked failed may have gone through: Stripe says first.
    match crate::tasks::payouts::confirm_made(&state.payments, &state.db, coop, id, at.naive())
        .await
    {
        Ok(0) => {}
        Ok(_) => {
            return Err(payout_refused(&state, &post, &slug, PayoutError::WentThrough).await);
        }
        Err(crate::tasks::payouts::CheckError::Payout(err)) => {
            return Err(payout_refused(&state, &post, &slug, err).await);
        }
        Err(crate::tasks::payouts::CheckError::Provider(err)) => {
            return Err(stripe_trouble(&state, &post, &slug, err).await);
        }
    }
    match store::money::payouts::cancel(
        &state.db,
        coop,
        id,
        Some(viewer.account_id),
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}?done=payout-cancelled#payouts",
            page(&slug)
        ))),
        Err(err) => Err(payout_refused(&state, &post, &slug, err).await),
    }
}
