//! `/account`'s form: another verification email.

use super::utc_now;
use crate::http::forms::{failed, see_other};
use crate::http::router::AppState;
use auth::flows::{self};
use axum::extract::State;
use axum::response::Response;
use domain::Viewer;

#[tracing::instrument(name = "resend_verification", skip_all)]
pub async fn resend_verification(
    State(state): State<AppState>,
    viewer: Option<axum::Extension<Viewer>>,
) -> Response {
    let Some(axum::Extension(viewer)) = viewer else {
        return see_other("/sign-in?next=/account");
    };
    let link_base = format!("{}/verify-email?token=", state.public_url);
    match flows::resend_verification(&state.db, viewer.account_id, &link_base, utc_now()).await {
        Ok(()) => see_other("/account?done=verification-sent"),
        Err(err) => failed(err),
    }
}
