//! `/forgot-password`'s form (a reset link by email) and `/reset-password`'s (a new
//! password; every session of the account ends).

use super::utc_now;
use crate::http::forms::{FormPost, failed, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use auth::flows::{self, ResetError};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailFields {
    email: String,
}

#[tracing::instrument(name = "forgot_password", skip_all)]
pub async fn forgot_password(
    State(state): State<AppState>,
    post: FormPost<EmailFields>,
) -> Response {
    // A malformed address gets its message; a well-formed one the same answer whether
    // or not it has an account.
    if let Err(e) = domain::Email::parse(&post.form.email) {
        let echo = FormEcho::new()
            .value("email", &post.form.email)
            .error("email", FieldError::Email(e));
        return state
            .pages
            .again(&post.parts, echo, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let link_base = format!("{}/reset-password?token=", state.public_url);
    match flows::request_password_reset(&state.db, &post.form.email, &link_base, utc_now()).await {
        Ok(()) => see_other("/forgot-password?sent=1"),
        Err(err) => failed(err),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetFields {
    token: String,
    password: String,
}

#[tracing::instrument(name = "reset_password", skip_all)]
pub async fn reset_password(
    State(state): State<AppState>,
    session: Session,
    post: FormPost<ResetFields>,
) -> Response {
    let f = &post.form;
    let problem = match flows::reset_password(&state.db, &f.token, &f.password, utc_now()).await {
        Ok(_) => {
            // Every session of the account ends with the old password (see
            // `auth::session`); this browser's too, so it signs in afresh.
            if let Err(err) = session.flush().await {
                return failed(err);
            }
            return see_other("/sign-in?done=reset");
        }
        Err(ResetError::BadLink) => (WHOLE_FORM, FieldError::BadLink),
        Err(ResetError::Password(e)) => ("password", FieldError::Password(e)),
        Err(ResetError::Auth(err)) => return failed(err),
    };
    let echo = FormEcho::new()
        .value("token", &f.token)
        .error(problem.0, problem.1);
    state
        .pages
        .again(&post.parts, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}
