//! Form posts: refusing cross-site ones, reading the fields, and answering either
//! with a redirect (303, so a reload does not post again) or with the page drawn
//! again around what was typed and what was wrong (`app::forms::FormEcho`); every
//! other way a post ends is a `Stop` (see `answer`).

use super::answer::{Stop, refused};
use super::router::AppState;
use app::forms::{FieldError, FormEcho, Refusal};
use app::shell;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::{Lang, Viewer};
use http::request::Parts;
use http::{HeaderValue, Method, StatusCode, header};
use leptos::prelude::LeptosOptions;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type Render = dyn Fn(Request<Body>) -> Pin<Box<dyn Future<Output = Response> + Send>> + Send + Sync;

/// Draws any page of the site for a request, the way a GET of it would.
#[derive(Clone)]
pub struct PageRenderer(Arc<Render>);

impl PageRenderer {
    /// Pages drawn with `context` (`router::page_context`), as the router draws them.
    pub fn new(options: LeptosOptions, context: impl Fn() + Clone + Send + Sync + 'static) -> Self {
        let handler =
            leptos_axum::render_app_async_with_context(context, move || shell(options.clone()));
        PageRenderer(Arc::new(handler))
    }

    /// The page the form was posted to, drawn again with `echo`, answered `status`.
    pub async fn redraw(&self, parts: &Parts, echo: FormEcho, status: StatusCode) -> Stop {
        Stop::Redrawn(Box::new(
            self.draw(parts, parts.uri.clone(), echo, status).await,
        ))
    }

    /// Page `page` drawn with `echo`: for a form that sits on another page than its
    /// address (a button in a list, say).
    pub async fn redraw_at(
        &self,
        parts: &Parts,
        page: &str,
        echo: FormEcho,
        status: StatusCode,
    ) -> Stop {
        let uri = page.parse().unwrap_or_default();
        Stop::Redrawn(Box::new(self.draw(parts, uri, echo, status).await))
    }

    async fn draw(
        &self,
        parts: &Parts,
        uri: http::Uri,
        echo: FormEcho,
        status: StatusCode,
    ) -> Response {
        let mut req = Request::new(Body::empty());
        *req.method_mut() = Method::GET;
        *req.uri_mut() = uri;
        *req.version_mut() = parts.version;
        *req.headers_mut() = parts.headers.clone();
        req.headers_mut().remove(header::CONTENT_TYPE);
        req.headers_mut().remove(header::CONTENT_LENGTH);
        *req.extensions_mut() = parts.extensions.clone();
        req.extensions_mut().insert(echo);
        let mut response = (self.0)(req).await;
        // A page that redirects (say, to sign in) keeps its redirect.
        if !response.status().is_redirection() {
            *response.status_mut() = status;
        }
        response
    }
}

/// A button-only form: nothing to read but who posted it.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct NoFields {}

/// A posted form of fields `T`, with the request it came in (its language, viewer
/// and session are in the extensions).
pub struct FormPost<T> {
    pub parts: Parts,
    pub form: T,
}

impl<T> FormPost<T> {
    pub fn lang(&self) -> Lang {
        self.parts
            .extensions
            .get::<Lang>()
            .copied()
            .unwrap_or_default()
    }

    /// The signed-in person; else a visitor, sent to sign in and come back to the
    /// page the form was on.
    pub fn viewer(&self) -> Result<&Viewer, Stop> {
        self.parts.extensions.get::<Viewer>().ok_or_else(|| {
            let back = self
                .parts
                .headers
                .get(header::REFERER)
                .and_then(|r| r.to_str().ok())
                .and_then(|r| r.split_once("://"))
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()))
                .unwrap_or_else(|| "/account".to_owned());
            Stop::SignInFirst(back)
        })
    }

    /// The account of whoever posted, if signed in.
    pub fn account_id(&self) -> Option<i32> {
        self.parts.extensions.get::<Viewer>().map(|v| v.account_id)
    }

    /// `refusal`, in the poster's language.
    pub fn refuse(&self, refusal: Refusal) -> Stop {
        Stop::Refused(refusal, self.lang())
    }
}

impl<S, T> FromRequest<S> for FormPost<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Response> {
        let (parts, body) = req.into_parts();
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        // Bounded before anything is parsed: no form of the site comes near these.
        // Read first, whatever it is, so that a refusal is not sent while the client
        // is still sending (the connection would close under it, the answer lost).
        let Ok(bytes) = axum::body::to_bytes(body, FORM_BYTES_MOST).await else {
            tracing::info!("a form over {FORM_BYTES_MOST} bytes");
            return Err(refused(Refusal::TooLarge, lang));
        };
        // A button-only form from a client that sent no body at all.
        if !parts.headers.contains_key(header::CONTENT_TYPE)
            && bytes.is_empty()
            && let Ok(form) = serde_urlencoded::from_str::<T>("")
        {
            return Ok(FormPost { parts, form });
        }
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(refused(Refusal::BadForm, lang));
        }
        if let Err(refusal) = fields_fit(&bytes) {
            tracing::info!(?refusal, "a form refused before it was read");
            return Err(refused(refusal, lang));
        }
        match serde_urlencoded::from_bytes::<T>(&bytes) {
            Ok(form) => Ok(FormPost { parts, form }),
            Err(err) => {
                tracing::info!(%err, "unreadable form");
                Err(refused(Refusal::BadForm, lang))
            }
        }
    }
}

/// The most bytes a form post may carry (uploads are multipart, read elsewhere).
pub const FORM_BYTES_MOST: usize = 64 * 1024;

/// The most fields a form post may carry.
pub const FORM_FIELDS_MOST: usize = 200;

/// The most characters one field may carry: twice the longest text any form takes
/// (a description of 5,000).
pub const FIELD_CHARS_MOST: usize = 10_000;

/// The longest address a redirect sends a person to: no page's address comes near.
pub const LOCATION_BYTES_MOST: usize = 2048;

/// Whether a form's fields are few enough and hold only characters text may hold: no
/// NUL and no other control character but a line break and a tab (a text area's).
fn fields_fit(bytes: &[u8]) -> Result<(), Refusal> {
    let mut fields = 0;
    for (name, value) in form_urlencoded::parse(bytes) {
        fields += 1;
        if fields > FORM_FIELDS_MOST {
            return Err(Refusal::TooLarge);
        }
        if name.len() > FIELD_CHARS_MOST || value.chars().nth(FIELD_CHARS_MOST).is_some() {
            return Err(Refusal::TooLarge);
        }
        let bad = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        if name.chars().any(bad) || value.chars().any(bad) {
            return Err(Refusal::BadCharacters);
        }
    }
    Ok(())
}

/// "Go on to `to`" after a post that worked. An address no header can carry (a
/// newline, say, or one longer than [`LOCATION_BYTES_MOST`]: a key pasted a
/// million times) sends the person home instead of failing the request.
pub fn see_other(to: &str) -> Response {
    let carried = (to.len() <= LOCATION_BYTES_MOST)
        .then(|| HeaderValue::try_from(to).ok())
        .flatten();
    let location = carried.unwrap_or_else(|| {
        let start: String = to.chars().take(80).collect();
        tracing::warn!(
            to = start,
            len = to.len(),
            "a redirect no header can carry: sent home instead"
        );
        HeaderValue::from_static("/")
    });
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// Reads a request's body whole before its handler, refusing (413, in the person's
/// language) one over [`FORM_BYTES_MOST`]: for the server functions, which would
/// read theirs without a bound, and for every form (`endpoints::Endpoints::post`),
/// so that no refusal is sent while the client is still sending.
pub async fn bounded_body(req: Request, next: Next) -> Response {
    read_whole(axum::extract::State(FORM_BYTES_MOST), req, next).await
}

/// [`bounded_body`] with a bound of `most` bytes (an upload's, a provider event's).
pub async fn read_whole(
    axum::extract::State(most): axum::extract::State<usize>,
    req: Request,
    next: Next,
) -> Response {
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, most).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => {
            tracing::info!("a body over {most} bytes");
            refused(Refusal::TooLarge, lang)
        }
    }
}

/// Refuses (404, in the person's language) an address whose path holds a control
/// character once decoded (`%00`, say): no page has one, and a database refuses
/// a NUL in text, so a path parameter must never carry one to a query.
pub async fn plain_paths_only(req: Request, next: Next) -> Response {
    if has_control_character(req.uri().path()) {
        let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
        tracing::info!("a path with a control character");
        return super::answer::explain_empty(StatusCode::NOT_FOUND.into_response(), lang);
    }
    next.run(req).await
}

/// Whether `path`, percent-decoded, holds a control character.
fn has_control_character(path: &str) -> bool {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .chars()
        .any(char::is_control)
}

/// Refuses changes posted from other sites' pages. Session cookies are `SameSite=Lax`
/// already, so a browser does not send them with such a post; this also stops posts
/// that need no session (sign-up, sign-in) from being made in a visitor's name.
/// Browsers say where a post comes from in `Sec-Fetch-Site` or `Origin`; a client
/// that sends neither is not a browser, and has no visitor's cookies to abuse. Only
/// this very origin is believed: `same-site` (another subdomain, which someone else
/// may run) is refused like `cross-site`.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if req.method().is_safe() {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let cross_site = match (text("sec-fetch-site"), text(header::ORIGIN.as_str())) {
        (Some(site), _) => site != "same-origin" && site != "none",
        (None, Some(origin)) => {
            let origin_host = origin.split_once("://").map(|(_, host)| host);
            origin_host != text(header::HOST.as_str())
        }
        (None, None) => false,
    };
    if cross_site {
        let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
        return refused(Refusal::CrossSite, lang);
    }
    next.run(req).await
}

/// What was typed in each (text) field of `form`, and each problem next to its field.
pub fn echo_of<'a, T: serde::Serialize>(
    form: &T,
    problems: impl IntoIterator<Item = (&'a str, FieldError)>,
) -> FormEcho {
    let mut echo = FormEcho::new();
    if let Ok(serde_json::Value::Object(values)) = serde_json::to_value(form) {
        for (field, value) in values {
            if let serde_json::Value::String(text) = value {
                echo = echo.value(&field, &text);
            }
        }
    }
    for (field, problem) in problems {
        echo = echo.error(field, problem);
    }
    echo
}

/// Page `page` drawn again for form `post`: what was typed in each field, and each
/// problem next to its field.
pub async fn redraw_with_problems<T: serde::Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    page: &str,
    problems: domain::people::members::MemberProblems,
    status: StatusCode,
) -> Stop {
    let problems = problems
        .into_iter()
        .map(|(field, problem)| (field, FieldError::Member(problem)));
    let echo = echo_of(&post.form, problems);
    state.pages.redraw_at(&post.parts, page, echo, status).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, middleware, routing::post};
    use tower::ServiceExt;

    async fn status_of(headers: &[(&str, &str)]) -> StatusCode {
        let app = Router::new()
            .route("/sign-in", post(|| async { "ok" }))
            .layer(middleware::from_fn(same_origin_only));
        let mut req = Request::post("/sign-in").header("host", "tianguis.mx");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        app.oneshot(req.body(Body::empty()).unwrap())
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn posts_from_other_sites_are_refused() {
        assert_eq!(
            status_of(&[("sec-fetch-site", "cross-site")]).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status_of(&[("origin", "https://evil.example")]).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status_of(&[("origin", "null")]).await,
            StatusCode::FORBIDDEN
        );
    }

    #[tokio::test]
    async fn posts_from_the_site_itself_go_through() {
        assert_eq!(
            status_of(&[("sec-fetch-site", "same-origin")]).await,
            StatusCode::OK
        );
        assert_eq!(
            status_of(&[("origin", "https://tianguis.mx")]).await,
            StatusCode::OK
        );
        assert_eq!(status_of(&[]).await, StatusCode::OK);
    }

    #[test]
    fn a_path_with_an_encoded_control_character_is_told_apart() {
        assert!(has_control_character("/communities/a%00b/fund"));
        assert!(has_control_character("/x/%1b[31m"));
        assert!(has_control_character("/x/%C2%85"));
        assert!(!has_control_character(
            "/crafts/tapete-greca-de-mitla-grana"
        ));
        assert!(!has_control_character("/x/%C3%B1and%C3%BA/%2F%"));
    }
}
