//! `/verify-email`'s form: the emailed link's button marks the address verified.

use crate::http::answer::Answer;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use auth::flows;
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenFields {
    token: String,
}

#[tracing::instrument(name = "verify_email", skip_all)]
pub async fn verify_email(State(state): State<AppState>, post: FormPost<TokenFields>) -> Answer {
    if flows::verify_email(&state.db, &post.form.token, domain::clock::now())
        .await?
        .is_none()
    {
        let echo = FormEcho::new()
            .value("token", &post.form.token)
            .error(WHOLE_FORM, FieldError::BadLink);
        let status = StatusCode::BAD_REQUEST;
        return Err(state.pages.redraw(&post.parts, echo, status).await);
    }
    Ok(see_other("/account?done=verified"))
}
