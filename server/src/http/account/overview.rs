//! `/account`'s form: another verification email.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::see_other;
use crate::http::router::AppState;
use auth::flows;
use axum::extract::State;
use domain::Viewer;

#[tracing::instrument(name = "resend_verification", skip_all)]
pub async fn resend_verification(
    State(state): State<AppState>,
    viewer: Option<axum::Extension<Viewer>>,
) -> Answer {
    let Some(axum::Extension(viewer)) = viewer else {
        return Err(Stop::SignInFirst("/account".to_owned()));
    };
    let link_base = format!("{}/verify-email?token=", state.public_url);
    flows::resend_verification(
        &state.db,
        viewer.account_id,
        &link_base,
        domain::clock::now(),
    )
    .await?;
    Ok(see_other("/account?done=verification-sent"))
}
