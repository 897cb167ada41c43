//! `/forgot-password`'s form (a reset link by email) and `/reset-password`'s (a new
//! password; every session of the account ends).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use auth::flows::{self, ResetError};
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailFields {
    email: String,
}

#[tracing::instrument(name = "forgot_password", skip_all)]
pub async fn forgot_password(State(state): State<AppState>, post: FormPost<EmailFields>) -> Answer {
    // A malformed address gets its message; a well-formed one the same answer whether
    // or not it has an account.
    if let Err(e) = domain::Email::parse(&post.form.email) {
        let echo = FormEcho::new()
            .value("email", &post.form.email)
            .error("email", FieldError::Email(e));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Err(state.pages.redraw(&post.parts, echo, status).await);
    }
    let link_base = format!("{}/reset-password?token=", state.public_url);
    flows::request_password_reset(
        &state.db,
        &post.form.email,
        &link_base,
        domain::clock::now(),
    )
    .await?;
    Ok(see_other("/forgot-password?sent=1"))
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
) -> Answer {
    let f = &post.form;
    let (field, problem) =
        match flows::reset_password(&state.db, &f.token, &f.password, domain::clock::now()).await {
            Ok(_) => {
                // Every session of the account ends with the old password (see
                // `auth::session`); this browser's too, so it signs in afresh.
                session.flush().await?;
                return Ok(see_other("/sign-in?done=reset"));
            }
            Err(ResetError::BadLink) => (WHOLE_FORM, FieldError::BadLink),
            Err(ResetError::Password(e)) => ("password", FieldError::Password(e)),
            Err(ResetError::Auth(err)) => return Err(Stop::from_auth(err, post.lang())),
        };
    let echo = FormEcho::new()
        .value("token", &f.token)
        .error(field, problem);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    Err(state.pages.redraw(&post.parts, echo, status).await)
}
