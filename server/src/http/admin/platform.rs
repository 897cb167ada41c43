//! A platform admin's changes (`/admin`): add a community, add a cooperative (with
//! its first admin, if named), appoint another cooperative admin. Each checks that
//! the signed-in person runs the platform (`Viewer::runs_platform`).

use crate::http::forms::{FormPost, again_with_problems, failed, see_other};
use crate::http::router::AppState;
use app::error::ssr::now;
use app::forms::Refusal;
use axum::extract::State;
use axum::response::Response;
use domain::people::members::{MemberFieldError, MemberProblems};
use domain::people::platform::{AppointFields, CommunityFields, CooperativeFields};
use http::StatusCode;
use serde::Serialize;
use store::people::platform::{self, AppointError, CreateError};

const PAGE: &str = "/admin";

/// The platform admin's account id; else the answer: sign in first, or refused.
#[allow(clippy::result_large_err)]
fn platform_admin<T>(post: &FormPost<T>) -> Result<i32, Response> {
    let viewer = post.viewer()?;
    if viewer.runs_platform() {
        Ok(viewer.account_id)
    } else {
        Err(post.refuse(Refusal::NotAllowed))
    }
}

/// The admin page drawn again around the form: 422 for mistakes in what was typed,
/// 409 for a clash with what exists.
async fn again<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    problems: MemberProblems,
    status: StatusCode,
) -> Response {
    again_with_problems(state, post, PAGE, problems, status).await
}

#[tracing::instrument(name = "create_community", skip_all)]
pub async fn create_community(
    State(state): State<AppState>,
    post: FormPost<CommunityFields>,
) -> Response {
    if let Err(response) = platform_admin(&post) {
        return response;
    }
    let new = match post.form.parse() {
        Ok(new) => new,
        Err(problems) => {
            return again(&state, &post, problems, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match platform::create_community(&state.db, &new).await {
        Ok(slug) => {
            tracing::info!(%slug, "community created");
            see_other(&format!("{PAGE}?done=community"))
        }
        Err(CreateError::NameTaken) => {
            let problems = vec![("name", MemberFieldError::NameTaken)];
            again(&state, &post, problems, StatusCode::CONFLICT).await
        }
        Err(err) => failed(err),
    }
}

#[tracing::instrument(name = "create_cooperative", skip_all)]
pub async fn create_cooperative(
    State(state): State<AppState>,
    post: FormPost<CooperativeFields>,
) -> Response {
    let by = match platform_admin(&post) {
        Ok(by) => by,
        Err(response) => return response,
    };
    let new = match post.form.parse() {
        Ok(new) => new,
        Err(problems) => {
            return again(&state, &post, problems, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (field, problem, status) =
        match platform::create_cooperative(&state.db, &new, by, now()).await {
            Ok(slug) => {
                tracing::info!(%slug, "cooperative created");
                return see_other(&format!("{PAGE}?done=cooperative"));
            }
            Err(CreateError::NameTaken) => (
                "coop_name",
                MemberFieldError::NameTaken,
                StatusCode::CONFLICT,
            ),
            Err(CreateError::NoSuchCommunity) => (
                "community",
                MemberFieldError::NotAChoice,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(CreateError::NoSuchAccount) => (
                "admin_email",
                MemberFieldError::NoSuchAccount,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(CreateError::Store(err)) => return failed(err),
        };
    again(&state, &post, vec![(field, problem)], status).await
}

#[tracing::instrument(name = "appoint_cooperative_admin", skip_all)]
pub async fn appoint_admin(
    State(state): State<AppState>,
    post: FormPost<AppointFields>,
) -> Response {
    let by = match platform_admin(&post) {
        Ok(by) => by,
        Err(response) => return response,
    };
    let (coop, email) = match post.form.parse() {
        Ok(parsed) => parsed,
        Err(problems) => {
            return again(&state, &post, problems, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (field, problem, status) =
        match platform::appoint_admin(&state.db, coop.as_str(), &email, by, now()).await {
            Ok(()) => {
                tracing::info!(cooperative = %coop, "cooperative admin appointed");
                return see_other(&format!("{PAGE}?done=admin"));
            }
            Err(AppointError::NoSuchCooperative) => (
                "appoint_cooperative",
                MemberFieldError::NotAChoice,
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
            Err(AppointError::Store(err)) => return failed(err),
        };
    again(&state, &post, vec![(field, problem)], status).await
}
