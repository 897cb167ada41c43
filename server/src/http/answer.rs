//! How a handler answers. A handler returns [`Answer`]: `Ok` with where to go next (a
//! 303, see `forms::see_other`), or one of the ways a post stops short ([`Stop`]), so
//! that it reads straight down with `?`: the store's errors become a logged 500, a
//! missing sign-in a trip to `/sign-in` and back, a refused form its page drawn again.

use app::forms::Refusal;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Lang;
use http::{StatusCode, header};

/// What every handler returns.
pub type Answer = Result<Response, Stop>;

/// Every way a post can end other than "done, go on".
#[derive(Debug)]
pub enum Stop {
    /// Something went wrong that the person cannot fix: logged where it happened
    /// ([`Stop::failed`]), a plain 500 (internals never reach the browser).
    Failed,
    /// No such thing, or none the poster may know of: 404.
    NotFound,
    /// A short answer in the person's language: 400, 403 or 409 by the refusal.
    Refused(Refusal, Lang),
    /// Someone not signed in where a sign-in is needed: to `/sign-in`, then back to
    /// the path given.
    SignInFirst(String),
    /// The page drawn again around what was typed and what was wrong
    /// (`forms::PageRenderer::redraw`), with its status (422, 409…).
    Redrawn(Box<Response>),
}

impl Stop {
    /// Logs `err` and answers a plain 500.
    pub fn failed(err: impl std::fmt::Display) -> Stop {
        tracing::error!(error = %err, "a change failed");
        Stop::Failed
    }

    /// An error of signing up, in or a password's reset, told in `lang`: too many
    /// passwords being hashed at once is "try again in a moment" (503), anything else
    /// a logged 500.
    pub fn from_auth(err: auth::flows::AuthError, lang: Lang) -> Stop {
        match err {
            auth::flows::AuthError::Password(auth::password::PasswordHashError::Busy) => {
                Stop::Refused(Refusal::Busy, lang)
            }
            other => Stop::failed(other),
        }
    }
}

impl From<store::StoreError> for Stop {
    fn from(err: store::StoreError) -> Stop {
        Stop::failed(err)
    }
}

impl From<sea_orm::DbErr> for Stop {
    fn from(err: sea_orm::DbErr) -> Stop {
        Stop::failed(err)
    }
}

impl From<auth::flows::AuthError> for Stop {
    fn from(err: auth::flows::AuthError) -> Stop {
        Stop::failed(err)
    }
}

impl From<tower_sessions::session::Error> for Stop {
    fn from(err: tower_sessions::session::Error) -> Stop {
        Stop::failed(err)
    }
}

impl IntoResponse for Stop {
    fn into_response(self) -> Response {
        match self {
            Stop::Failed => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            Stop::NotFound => StatusCode::NOT_FOUND.into_response(),
            Stop::Refused(refusal, lang) => refused(refusal, lang),
            Stop::SignInFirst(back) => Redirect::to(&format!(
                "/sign-in?next={}",
                domain::catalog::filter::percent_encode(&back)
            ))
            .into_response(),
            Stop::Redrawn(page) => *page,
        }
    }
}

/// A refusal or a failure that came with no words (a bare 404, say) gets a short
/// one in the person's language: never an empty reply.
pub fn explain_empty(response: Response, lang: Lang) -> Response {
    use axum::body::HttpBody;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.body().size_hint().exact() != Some(0)
    {
        return response;
    }
    let text = match (status, lang) {
        (StatusCode::NOT_FOUND, Lang::Es) => "No encontramos lo que buscas.".to_owned(),
        (StatusCode::NOT_FOUND, Lang::En) => "We could not find what you asked for.".to_owned(),
        (StatusCode::METHOD_NOT_ALLOWED, Lang::Es) => {
            "Esta dirección no acepta esa petición.".to_owned()
        }
        (StatusCode::METHOD_NOT_ALLOWED, Lang::En) => {
            "This address does not take that request.".to_owned()
        }
        (s, Lang::Es) if s.is_server_error() => {
            "Algo falló de nuestro lado; inténtalo de nuevo en un momento.".to_owned()
        }
        (s, Lang::En) if s.is_server_error() => {
            "Something failed on our side; please try again in a moment.".to_owned()
        }
        (s, Lang::Es) => format!("No se pudo atender la petición (código {}).", s.as_u16()),
        (s, Lang::En) => format!("The request could not be served (code {}).", s.as_u16()),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(text))
}

/// How long a person is asked to wait when the server is busy (`Retry-After`).
pub const RETRY_AFTER_SECONDS: &str = "5";

/// A short answer, in the person's language, for a post that cannot be done.
pub fn refused(refusal: Refusal, lang: Lang) -> Response {
    let status = match refusal {
        Refusal::BadForm => StatusCode::BAD_REQUEST,
        Refusal::CrossSite | Refusal::NotAllowed => StatusCode::FORBIDDEN,
        Refusal::Conflict | Refusal::NotNow => StatusCode::CONFLICT,
        Refusal::Busy => StatusCode::SERVICE_UNAVAILABLE,
        Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::BadCharacters => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        refusal.message(lang),
    )
        .into_response();
    if refusal == Refusal::Busy {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
        );
    }
    response
}
