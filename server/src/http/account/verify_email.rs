//! `/verify-email`'s form: the emailed link's button marks the address verified.

use super::utc_now;
use crate::http::forms::{FormPost, failed, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use auth::flows::{self};
use axum::extract::State;
use axum::response::Response;
use http::StatusCode;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenFields {
    token: String,
}

#[tracing::instrument(name = "verify_email", skip_all)]
pub async fn verify_email(State(state): State<AppState>, post: FormPost<TokenFields>) -> Response {
    match flows::verify_email(&state.db, &post.form.token, utc_now()).await {
        Ok(Some(_)) => see_other("/account?done=verified"),
        Ok(None) => {
            let echo = FormEcho::new()
                .value("token", &post.form.token)
                .error(WHOLE_FORM, FieldError::BadLink);
            state
                .pages
                .again(&post.parts, echo, StatusCode::BAD_REQUEST)
                .await
        }
        Err(err) => failed(err),
    }
}
