//! The account forms' handlers: sign-up, sign-in, sign-out, email verification and
//! password reset. The pages are `app::pages::account`; each form posts back to its
//! own page's address, handled here.

use super::endpoints::Endpoints;
use super::forms::{FormPost, failed, see_other};
use super::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use app::pages::account::safe_next;
use auth::flows::{self, EmailProblem, ResetError, SignInError, SignUpError, SignUpForm};
use axum::extract::{ConnectInfo, State};
use axum::response::Response;
use domain::Viewer;
use http::StatusCode;
use serde::Deserialize;
use std::net::SocketAddr;
use tower_sessions::Session;

/// Adds the account forms to the site's changes.
pub fn endpoints(e: Endpoints) -> Endpoints {
    e.post("/sign-up", sign_up)
        .post("/sign-in", sign_in)
        .post("/sign-out", sign_out)
        .post("/verify-email", verify_email)
        .post("/account/verification", resend_verification)
        .post("/forgot-password", forgot_password)
        .post("/reset-password", reset_password)
}

fn utc_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Remembers the sign-in in a session with a new id: an id somebody planted in the
/// browser before (session fixation) never becomes a signed-in session.
async fn start_session(
    session: &Session,
    auth: &auth::session::SessionAuth,
) -> Result<(), Response> {
    session.cycle_id().await.map_err(failed)?;
    session
        .insert(auth::session::KEY, auth)
        .await
        .map_err(failed)
}

#[derive(Deserialize)]
#[serde(default)]
#[derive(Default)]
struct SignUpFields {
    name: String,
    email: String,
    password: String,
    /// Where to go once signed up (an invitation, say); else the account page.
    next: Option<String>,
}

#[tracing::instrument(name = "sign_up", skip_all)]
async fn sign_up(
    State(state): State<AppState>,
    session: Session,
    post: FormPost<SignUpFields>,
) -> Response {
    let f = &post.form;
    let form = SignUpForm {
        email: f.email.clone(),
        name: f.name.clone(),
        password: f.password.clone(),
    };
    let link_base = format!("{}/verify-email?token=", state.public_url);
    match flows::sign_up(&state.db, &form, post.lang(), &link_base, utc_now()).await {
        Ok(signed_in) => {
            if let Err(response) = start_session(&session, &signed_in.session).await {
                return response;
            }
            match f.next.clone().filter(|n| !n.is_empty()) {
                Some(next) => see_other(&safe_next(Some(next))),
                None => see_other("/account?done=welcome"),
            }
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
            state
                .pages
                .again(&post.parts, echo, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(SignUpError::Auth(err)) => failed(err),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInFields {
    email: String,
    password: String,
    next: Option<String>,
}

#[tracing::instrument(name = "sign_in", skip_all)]
async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    post: FormPost<SignInFields>,
) -> Response {
    let f = &post.form;
    let address = peer.ip().to_string();
    let problem = match flows::sign_in(&state.db, &f.email, &f.password, &address, utc_now()).await
    {
        Ok(signed_in) => {
            if let Err(response) = start_session(&session, &signed_in.session).await {
                return response;
            }
            return see_other(&safe_next(f.next.clone()));
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
        Err(SignInError::Auth(err)) => return failed(err),
    };
    let echo = FormEcho::new()
        .value("email", &f.email)
        .error(WHOLE_FORM, problem.0);
    state.pages.again(&post.parts, echo, problem.1).await
}

#[tracing::instrument(name = "sign_out", skip_all)]
async fn sign_out(session: Session) -> Response {
    if let Err(err) = session.flush().await {
        return failed(err);
    }
    see_other("/sign-in?done=signed-out")
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenFields {
    token: String,
}

#[tracing::instrument(name = "verify_email", skip_all)]
async fn verify_email(State(state): State<AppState>, post: FormPost<TokenFields>) -> Response {
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

#[tracing::instrument(name = "resend_verification", skip_all)]
async fn resend_verification(
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

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailFields {
    email: String,
}

#[tracing::instrument(name = "forgot_password", skip_all)]
async fn forgot_password(State(state): State<AppState>, post: FormPost<EmailFields>) -> Response {
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
struct ResetFields {
    token: String,
    password: String,
}

#[tracing::instrument(name = "reset_password", skip_all)]
async fn reset_password(
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
