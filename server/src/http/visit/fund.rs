//! The community fund's forms: a member proposes a project, votes for or against
//! one (again to change the vote), and a cooperative admin records spending on an
//! approved one with the receipt's photo. `store::money::fund` checks who may, inside its
//! transactions; here the answers are drawn.

use crate::http::forms::{FormPost, echo_of, failed, see_other};
use crate::http::router::AppState;
use crate::http::uploads::{self, Refused};
use app::error::ssr::now;
use app::forms::{FieldError, FormEcho, Refusal, WHOLE_FORM};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};
use domain::money::finance_forms::{FinanceFieldError, parse_amount};
use domain::money::fund::{ProposalFieldError, parse_proposal};
use domain::{Lang, Viewer};
use http::StatusCode;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::money::fund::{FundError, Spending};

fn page(slug: &str) -> String {
    format!("/communities/{slug}/fund")
}

async fn again(
    state: &AppState,
    parts: &Parts,
    slug: &str,
    echo: FormEcho,
    status: StatusCode,
) -> Response {
    let uri = page(slug).parse().unwrap_or_default();
    state.pages.again_at(parts, uri, echo, status).await
}

/// A refusal from the store as the problem the page shows, and its status; `None`
/// for our own failures.
fn problem_of(err: &FundError) -> Option<(FieldError, StatusCode)> {
    let f = |e| Some((FieldError::Finance(e), StatusCode::UNPROCESSABLE_ENTITY));
    match err {
        FundError::NotAMember => Some((
            FieldError::Finance(FinanceFieldError::NotACommunityMember),
            StatusCode::FORBIDDEN,
        )),
        FundError::NotAnAdmin => Some((
            FieldError::Finance(FinanceFieldError::NotACommunityMember),
            StatusCode::FORBIDDEN,
        )),
        FundError::VoteClosed => Some((
            FieldError::Finance(FinanceFieldError::VoteClosed),
            StatusCode::CONFLICT,
        )),
        FundError::NotApproved => Some((
            FieldError::Finance(FinanceFieldError::NotApproved),
            StatusCode::CONFLICT,
        )),
        FundError::MoreThanProposed { left } => {
            f(FinanceFieldError::MoreThanProposed { left: *left })
        }
        FundError::MoreThanAvailable { available } => f(FinanceFieldError::FundHasOnly {
            available: *available,
        }),
        FundError::NotPositive => f(FinanceFieldError::NotAnAmount),
        FundError::NoSuchProposal | FundError::Store(_) => None,
    }
}

fn proposal_problem(e: ProposalFieldError, field: &str) -> FieldError {
    FieldError::Finance(match e {
        ProposalFieldError::Required => FinanceFieldError::Required,
        ProposalFieldError::TooLong => FinanceFieldError::TooLong {
            max: if field.starts_with("title") {
                120
            } else {
                4_000
            },
        },
        ProposalFieldError::Amount => FinanceFieldError::NotAnAmount,
        ProposalFieldError::Window => FinanceFieldError::VoteDays,
    })
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ProposalForm {
    #[serde(default)]
    title_es: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    description_es: String,
    #[serde(default)]
    description_en: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    days: String,
}

#[tracing::instrument(name = "fund_propose", skip_all, fields(community = slug))]
pub async fn propose(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<ProposalForm>,
) -> Response {
    let viewer = match post.viewer() {
        Ok(viewer) => viewer,
        Err(answer) => return answer,
    };
    let community = match store::money::fund::community_id(&state.db, &slug).await {
        Ok(Some(id)) => id,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => return failed(err),
    };
    match store::money::fund::is_member(&state.db, community, viewer.account_id).await {
        Ok(true) => {}
        Ok(false) => return post.refuse(Refusal::NotAllowed),
        Err(err) => return failed(err),
    }
    let f = &post.form;
    let fields: BTreeMap<String, String> = [
        ("title_es", &f.title_es),
        ("title_en", &f.title_en),
        ("description_es", &f.description_es),
        ("description_en", &f.description_en),
        ("amount", &f.amount),
        ("days", &f.days),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let at = now();
    let new = match parse_proposal(&fields, at) {
        Ok(new) => new,
        Err(problems) => {
            let echo = echo_of(
                &post.form,
                problems
                    .iter()
                    .map(|(field, e)| (field.as_str(), proposal_problem(*e, field))),
            );
            return again(
                &state,
                &post.parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match store::money::fund::propose(&state.db, community, viewer.account_id, &new, at).await {
        Ok(id) => see_other(&format!("{}?done=proposed#proposal-{id}", page(&slug))),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = echo_of(&post.form, [(WHOLE_FORM, problem)]);
                again(&state, &post.parts, &slug, echo, status).await
            }
            None => failed(err),
        },
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct VoteForm {
    #[serde(default)]
    vote: String,
}

#[tracing::instrument(name = "fund_vote", skip_all, fields(community = slug, proposal = id))]
pub async fn vote(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<VoteForm>,
) -> Response {
    let viewer = match post.viewer() {
        Ok(viewer) => viewer,
        Err(answer) => return answer,
    };
    match store::money::fund::proposal(&state.db, id).await {
        Ok(Some(p))
            if store::money::fund::community_id(&state.db, &slug)
                .await
                .ok()
                .flatten()
                == Some(p.community_id) => {}
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => return failed(err),
    }
    let in_favour = match post.form.vote.as_str() {
        "for" => true,
        "against" => false,
        _ => return post.refuse(Refusal::BadForm),
    };
    match store::money::fund::vote(&state.db, id, viewer.account_id, in_favour, now()).await {
        Ok(()) => see_other(&format!("{}?done=voted#proposal-{id}", page(&slug))),
        Err(FundError::NotAMember) => post.refuse(Refusal::NotAllowed),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = FormEcho::new().error(WHOLE_FORM, problem);
                again(&state, &post.parts, &slug, echo, status).await
            }
            None => failed(err),
        },
    }
}

#[tracing::instrument(name = "fund_spend", skip_all, fields(community = slug, proposal = id))]
pub async fn spend(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    parts: Parts,
    mut multipart: Multipart,
) -> Response {
    let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
    let Some(viewer) = parts.extensions.get::<Viewer>().cloned() else {
        let back = domain::catalog::filter::percent_encode(&page(&slug));
        return see_other(&format!("/sign-in?next={back}"));
    };
    let proposal = match store::money::fund::proposal(&state.db, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => return failed(err),
    };
    match store::money::fund::community_id(&state.db, &slug).await {
        Ok(Some(c)) if c == proposal.community_id => {}
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => return failed(err),
    }
    // Refused before the upload is read: an outsider's photo is never decoded.
    match store::money::fund::may_record_spending(&state.db, proposal.community_id, &viewer).await {
        Ok(true) => {}
        Ok(false) => return crate::http::forms::refused(Refusal::NotAllowed, lang),
        Err(err) => return failed(err),
    }
    let (bytes, fields) = match uploads::read(&mut multipart).await {
        Ok(upload) => (upload.bytes, upload.fields),
        Err((_, problem)) => {
            let echo = FormEcho::new()
                .value("proposal", &id.to_string())
                .error("photo", problem);
            return again(
                &state,
                &parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let text = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let mut echo = FormEcho::new().value("proposal", &id.to_string());
    for k in ["spend_amount", "spend_note", "spend_on"] {
        echo = echo.value(k, &text(k));
    }
    let mut problems: Vec<(&str, FieldError)> = Vec::new();
    let amount = parse_amount(&text("spend_amount"))
        .map_err(|e| problems.push(("spend_amount", FieldError::Finance(e))))
        .ok();
    let note = text("spend_note");
    if note.is_empty() {
        problems.push((
            "spend_note",
            FieldError::Finance(FinanceFieldError::Required),
        ));
    } else if note.chars().count() > 500 {
        let e = FinanceFieldError::TooLong { max: 500 };
        problems.push(("spend_note", FieldError::Finance(e)));
    }
    let spent_on = match chrono::NaiveDate::parse_from_str(&text("spend_on"), "%Y-%m-%d") {
        Ok(d) if d > now().date() => {
            let e = FieldError::Finance(FinanceFieldError::InTheFuture);
            problems.push(("spend_on", e));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            let e = FieldError::Finance(FinanceFieldError::NotADate);
            problems.push(("spend_on", e));
            None
        }
    };
    if bytes.is_none() {
        problems.push(("photo", FieldError::PhotoMissing));
    }
    let (Some(amount), Some(spent_on), Some(bytes), true) =
        (amount, spent_on, bytes, problems.is_empty())
    else {
        let echo = problems
            .into_iter()
            .fold(echo, |echo, (field, e)| echo.error(field, e));
        return again(
            &state,
            &parts,
            &slug,
            echo,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let (key, _) = match uploads::ingest(&state, bytes, &format!("fund-spending:{id}")).await {
        Ok(done) => done,
        Err(Refused::Problem(problem)) => {
            let echo = echo.error("photo", problem);
            return again(
                &state,
                &parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(Refused::Failed(response)) => return response,
    };
    let spending = Spending {
        amount,
        note,
        receipt_photo: Some(key),
        spent_on,
    };
    match store::money::fund::spend(&state.db, id, &spending, &viewer, now()).await {
        Ok(_) => see_other(&format!("{}?done=spent#spending", page(&slug))),
        Err(FundError::NotAnAdmin) => crate::http::forms::refused(Refusal::NotAllowed, lang),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = echo.error(WHOLE_FORM, problem);
                again(&state, &parts, &slug, echo, status).await
            }
            None => failed(err),
        },
    }
}
