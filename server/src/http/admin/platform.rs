//! A platform admin's changes (`/admin`): add a community, add a cooperative (with
//! its first admin, if named), appoint another cooperative admin. Each checks that
//! the signed-in person runs the platform (`Viewer::runs_platform`).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, redraw_with_problems, see_other};
use crate::http::router::AppState;
use app::forms::Refusal;
use axum::extract::State;
use domain::field::FieldProblem;
use domain::people::members::{Given, MemberFieldError, MemberProblems};
use domain::people::platform::{AppointFields, CommunityFields, CooperativeFields};
use http::StatusCode;
use serde::Serialize;
use store::people::platform::{self, AppointError, CreateError};

const PAGE: &str = "/admin";

/// The platform admin's account id; else sign in first, or refused.
fn platform_admin<T>(post: &FormPost<T>) -> Result<i32, Stop> {
    let viewer = post.viewer()?;
    if viewer.runs_platform() {
        Ok(viewer.account_id)
    } else {
        Err(post.refuse(Refusal::NotAllowed))
    }
}

/// The admin page drawn again around the form: 422 for mistakes in what was typed,
/// 409 for a clash with what exists.
async fn redraw<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    problems: MemberProblems,
    status: StatusCode,
) -> Stop {
    redraw_with_problems(state, post, PAGE, problems, status).await
}

/// What the platform admin typed, parsed; else the page drawn again with the problems.
async fn parsed<T: Serialize, P>(
    state: &AppState,
    post: &FormPost<T>,
    parse: impl FnOnce(&T) -> Result<P, MemberProblems>,
) -> Result<P, Stop> {
    match parse(&post.form) {
        Ok(parsed) => Ok(parsed),
        Err(problems) => Err(redraw(state, post, problems, StatusCode::UNPROCESSABLE_ENTITY).await),
    }
}

#[tracing::instrument(name = "create_community", skip_all)]
pub async fn create_community(
    State(state): State<AppState>,
    post: FormPost<CommunityFields>,
) -> Answer {
    platform_admin(&post)?;
    let new = parsed(&state, &post, CommunityFields::parse).await?;
    match platform::create_community(&state.db, &new).await {
        Ok(slug) => {
            tracing::info!(%slug, "community created");
            Ok(see_other(&format!("{PAGE}?done=community")))
        }
        Err(CreateError::NameTaken) => {
            let problems = vec![("name", MemberFieldError::NameTaken)];
            Err(redraw(&state, &post, problems, StatusCode::CONFLICT).await)
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "create_cooperative", skip_all)]
pub async fn create_cooperative(
    State(state): State<AppState>,
    post: FormPost<CooperativeFields>,
) -> Answer {
    let by = platform_admin(&post)?;
    let new = parsed(&state, &post, CooperativeFields::parse).await?;
    let (field, problem, status) =
        match platform::create_cooperative(&state.db, &new, by, domain::clock::now().on_site())
            .await
        {
            Ok((slug, given)) => {
                tracing::info!(%slug, "cooperative created");
                let done = match given {
                    Some(Given::Waits) => "cooperative-waits",
                    _ => "cooperative",
                };
                return Ok(see_other(&format!("{PAGE}?done={done}")));
            }
            Err(CreateError::NameTaken) => (
                "coop_name",
                MemberFieldError::NameTaken,
                StatusCode::CONFLICT,
            ),
            Err(CreateError::NoSuchCommunity) => (
                "community",
                MemberFieldError::Field(FieldProblem::NotAChoice),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(CreateError::NoSuchAccount) => (
                "admin_email",
                MemberFieldError::NoSuchAccount,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(CreateError::Store(err)) => return Err(err.into()),
        };
    Err(redraw(&state, &post, vec![(field, problem)], status).await)
}

#[tracing::instrument(name = "appoint_cooperative_admin", skip_all)]
pub async fn appoint_admin(State(state): State<AppState>, post: FormPost<AppointFields>) -> Answer {
    let by = platform_admin(&post)?;
    let (coop, email) = parsed(&state, &post, AppointFields::parse).await?;
    let (field, problem, status) = match platform::appoint_admin(
        &state.db,
        coop.as_str(),
        &email,
        by,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Given::Now) => {
            tracing::info!(cooperative = %coop, "cooperative admin appointed");
            return Ok(see_other(&format!("{PAGE}?done=admin")));
        }
        Ok(Given::Waits) => {
            tracing::info!(cooperative = %coop, "cooperative admin waits for a verified email");
            return Ok(see_other(&format!("{PAGE}?done=admin-waits")));
        }
        Err(AppointError::NoSuchCooperative) => (
            "appoint_cooperative",
            MemberFieldError::Field(FieldProblem::NotAChoice),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(AppointError::NoSuchAccount) => (
            "appoint_email",
            MemberFieldError::NoSuchAccount,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(AppointError::AlreadyAdmin) => (
            "appoint_email",
            MemberFieldError::AlreadyAdmin,
            StatusCode::CONFLICT,
        ),
        Err(AppointError::AlreadyWaiting) => (
            "appoint_email",
            MemberFieldError::AlreadyWaiting,
            StatusCode::CONFLICT,
        ),
        Err(AppointError::Store(err)) => return Err(err.into()),
    };
    Err(redraw(&state, &post, vec![(field, problem)], status).await)
}
