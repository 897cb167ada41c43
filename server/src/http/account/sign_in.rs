//! `/sign-in`'s form, and `/sign-out`.

use super::start_session;
use crate::http::answer::{Answer, Stop};
use crate::http::client::ClientAddress;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use app::pages::account::safe_next;
use auth::flows::{self, SignInError};
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SignInFields {
    email: String,
    password: String,
    next: Option<String>,
}

#[tracing::instrument(name = "sign_in", skip_all)]
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    session: Session,
    post: FormPost<SignInFields>,
) -> Answer {
    let f = &post.form;
    let address = client.to_string();
    let problem = match flows::sign_in(
        &state.db,
        &f.email,
        &f.password,
        &address,
        domain::clock::now(),
    )
    .await
    {
        Ok(signed_in) => {
            start_session(&session, &signed_in.session).await?;
            return Ok(see_other(&safe_next(f.next.clone())));
        }
        Err(SignInError::WrongCredentials) => (
            FieldError::WrongCredentials,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(SignInError::Throttled { retry_after }) => (
            FieldError::Throttled {
                minutes: retry_after.num_minutes(),
            },
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(SignInError::Auth(err)) => return Err(Stop::from_auth(err, post.lang())),
    };
    let echo = FormEcho::new()
        .value("email", &f.email)
        .error(WHOLE_FORM, problem.0);
    Err(state.pages.redraw(&post.parts, echo, problem.1).await)
}

#[tracing::instrument(name = "sign_out", skip_all)]
pub async fn sign_out(session: Session) -> Answer {
    session.flush().await?;
    Ok(see_other("/sign-in?done=signed-out"))
}
