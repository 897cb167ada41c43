//! The community fund's forms: a member proposes a project, votes for or against
//! one (again to change the vote), and a cooperative admin records spending on an
//! approved one with the receipt's photo. `store::money::fund` checks who may, inside its
//! transactions; here the answers are drawn.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use crate::http::uploads::{self, Refused};
use app::forms::{FieldError, FormEcho, Refusal, WHOLE_FORM};
use axum::extract::{Multipart, Path, State};
use domain::field::FieldProblem;
use domain::money::finance_forms::FinanceFieldError;
use domain::money::fund::{parse_proposal, parse_spending};
use domain::{Lang, Viewer};
use http::StatusCode;
use http::request::Parts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::money::fund::{FundError, Spending};

fn page(slug: &str) -> String {
    format!("/communities/{slug}/fund")
}

async fn redraw_fund(
    state: &AppState,
    parts: &Parts,
    slug: &str,
    echo: FormEcho,
    status: StatusCode,
) -> Stop {
    let uri = page(slug);
    state.pages.redraw_at(parts, &uri, echo, status).await
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
        FundError::NotPositive => f(FinanceFieldError::Field(FieldProblem::NotAnAmount)),
        FundError::NoSuchProposal | FundError::Store(_) => None,
    }
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
) -> Answer {
    let viewer = post.viewer()?;
    let community = store::money::fund::community_id(&state.db, &slug)
        .await?
        .ok_or(Stop::NotFound)?;
    match store::money::fund::is_member(&state.db, community, viewer.account_id).await {
        Ok(true) => {}
        Ok(false) => return Err(post.refuse(Refusal::NotAllowed)),
        Err(err) => return Err(Stop::failed(err)),
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
    let at = domain::clock::now().on_site();
    let new = match parse_proposal(&fields, at.naive()) {
        Ok(new) => new,
        Err(problems) => {
            let echo = echo_of(
                &post.form,
                problems
                    .iter()
                    .map(|(field, e)| (field.as_str(), FieldError::Finance(*e))),
            );
            return Err(redraw_fund(
                &state,
                &post.parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    match store::money::fund::propose(&state.db, community, viewer.account_id, &new, at).await {
        Ok(id) => Ok(see_other(&format!(
            "{}?done=proposed#proposal-{id}",
            page(&slug)
        ))),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = echo_of(&post.form, [(WHOLE_FORM, problem)]);
                Err(redraw_fund(&state, &post.parts, &slug, echo, status).await)
            }
            None => Err(Stop::failed(err)),
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
) -> Answer {
    let viewer = post.viewer()?;
    match store::money::fund::proposal(&state.db, id).await {
        Ok(Some(p))
            if store::money::fund::community_id(&state.db, &slug)
                .await
                .ok()
                .flatten()
                == Some(p.community_id) => {}
        Ok(_) => return Err(Stop::NotFound),
        Err(err) => return Err(Stop::failed(err)),
    }
    let in_favour = match post.form.vote.as_str() {
        "for" => true,
        "against" => false,
        _ => return Err(post.refuse(Refusal::BadForm)),
    };
    match store::money::fund::vote(
        &state.db,
        id,
        viewer.account_id,
        in_favour,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}?done=voted#proposal-{id}",
            page(&slug)
        ))),
        Err(FundError::NotAMember) => Err(post.refuse(Refusal::NotAllowed)),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = FormEcho::new().error(WHOLE_FORM, problem);
                Err(redraw_fund(&state, &post.parts, &slug, echo, status).await)
            }
            None => Err(Stop::failed(err)),
        },
    }
}

#[tracing::instrument(name = "fund_spend", skip_all, fields(community = slug, proposal = id))]
pub async fn spend(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    parts: Parts,
    mut multipart: Multipart,
) -> Answer {
    let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
    let Some(viewer) = parts.extensions.get::<Viewer>().cloned() else {
        let back = domain::catalog::filter::percent_encode(&page(&slug));
        return Ok(see_other(&format!("/sign-in?next={back}")));
    };
    let proposal = store::money::fund::proposal(&state.db, id)
        .await?
        .ok_or(Stop::NotFound)?;
    match store::money::fund::community_id(&state.db, &slug).await {
        Ok(Some(c)) if c == proposal.community_id => {}
        Ok(_) => return Err(Stop::NotFound),
        Err(err) => return Err(Stop::failed(err)),
    }
    // Refused before the upload is read: an outsider's photo is never decoded.
    match store::money::fund::may_record_spending(&state.db, proposal.community_id, &viewer).await {
        Ok(true) => {}
        Ok(false) => return Err(Stop::Refused(Refusal::NotAllowed, lang)),
        Err(err) => return Err(Stop::failed(err)),
    }
    let (bytes, fields) = match uploads::read(&mut multipart).await {
        Ok(upload) => (upload.bytes, upload.fields),
        Err((_, problem)) => {
            let echo = FormEcho::new()
                .value("proposal", &id.to_string())
                .error("photo", problem);
            return Err(redraw_fund(
                &state,
                &parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    let text = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let mut echo = FormEcho::new().value("proposal", &id.to_string());
    for k in ["spend_amount", "spend_note", "spend_on"] {
        echo = echo.value(k, &text(k));
    }
    let photo_missing = bytes.is_none();
    let (typed, bytes) = match (
        parse_spending(&fields, domain::clock::now().on_site().date()),
        bytes,
    ) {
        (Ok(typed), Some(bytes)) => (typed, bytes),
        (parsed, _) => {
            let mut problems: Vec<(String, FieldError)> = parsed
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|(field, e)| (field, FieldError::Finance(e)))
                .collect();
            if photo_missing {
                problems.push(("photo".to_owned(), FieldError::PhotoMissing));
            }
            let echo = problems
                .into_iter()
                .fold(echo, |echo, (field, e)| echo.error(&field, e));
            return Err(redraw_fund(
                &state,
                &parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    let (key, _) = match uploads::ingest(&state, bytes, &format!("fund-spending:{id}")).await {
        Ok(done) => done,
        Err(Refused::Problem(problem)) => {
            let echo = echo.error("photo", problem);
            return Err(redraw_fund(
                &state,
                &parts,
                &slug,
                echo,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
        Err(Refused::Failed(stop)) => return Err(stop),
    };
    let spending = Spending {
        amount: typed.amount,
        note: typed.note,
        receipt_photo: Some(key),
        spent_on: typed.spent_on,
    };
    match store::money::fund::spend(
        &state.db,
        id,
        &spending,
        &viewer,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("{}?done=spent#spending", page(&slug)))),
        Err(FundError::NotAnAdmin) => Err(Stop::Refused(Refusal::NotAllowed, lang)),
        Err(err) => match problem_of(&err) {
            Some((problem, status)) => {
                let echo = echo.error(WHOLE_FORM, problem);
                Err(redraw_fund(&state, &parts, &slug, echo, status).await)
            }
            None => Err(Stop::failed(err)),
        },
    }
}
