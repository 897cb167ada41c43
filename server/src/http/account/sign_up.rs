//! `/sign-up`'s form: a new account, signed in at once, its address to verify.

use super::start_session;
use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho};
use app::pages::account::safe_next;
use auth::flows::{self, EmailProblem, SignUpError, SignUpForm};
use axum::extract::State;
use http::StatusCode;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
pub struct SignUpFields {
    name: String,
    email: String,
    password: String,
    /// Where to go once signed up (an invitation, say); else the account page.
    next: Option<String>,
}

#[tracing::instrument(name = "sign_up", skip_all)]
pub async fn sign_up(
    State(state): State<AppState>,
    session: Session,
    post: FormPost<SignUpFields>,
) -> Answer {
    let f = &post.form;
    let form = SignUpForm {
        email: f.email.clone(),
        name: f.name.clone(),
        password: f.password.clone(),
    };
    let link_base = format!("{}/verify-email?token=", state.public_url);
    match flows::sign_up(
        &state.db,
        &form,
        post.lang(),
        &link_base,
        domain::clock::now(),
    )
    .await
    {
        Ok(signed_in) => {
            start_session(&session, &signed_in.session).await?;
            Ok(match f.next.clone().filter(|n| !n.is_empty()) {
                Some(next) => see_other(&safe_next(Some(next))),
                None => see_other("/account?done=welcome"),
            })
        }
        Err(SignUpError::Form(problems)) => {
            let mut echo = FormEcho::new()
                .value("name", &f.name)
                .value("email", &f.email);
            if let Some(problem) = problems.name {
                echo = echo.error("name", FieldError::Name(problem));
            }
            match problems.email {
                Some(EmailProblem::Invalid(e)) => echo = echo.error("email", FieldError::Email(e)),
                Some(EmailProblem::Taken) => echo = echo.error("email", FieldError::EmailTaken),
                None => {}
            }
            if let Some(problem) = problems.password {
                echo = echo.error("password", FieldError::Password(problem));
            }
            Err(state
                .pages
                .redraw(&post.parts, echo, StatusCode::UNPROCESSABLE_ENTITY)
                .await)
        }
        Err(SignUpError::Auth(err)) => Err(Stop::from_auth(err, post.lang())),
    }
}
