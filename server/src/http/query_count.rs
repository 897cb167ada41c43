//! `x-queries`: how many database statements an answer took, when the server was
//! asked to count them (`TIANGUIS_COUNT_QUERIES=yes`, for `bench/` and the test that
//! a page's count does not grow with the data).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;

/// Middleware: reads the answer whole (a page's parts may query while it streams),
/// then says how many statements the server sent meanwhile. Exact for one request
/// at a time; background work in the same moment adds its own.
pub async fn count_per_answer(
    State(count): State<store::QueryCount>,
    req: Request,
    next: Next,
) -> Response {
    let before = count.so_far();
    let (mut parts, body) = next.run(req).await.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => Body::from(bytes),
        Err(err) => {
            tracing::warn!(%err, "an answer could not be read whole to count its queries");
            Body::empty()
        }
    };
    let queries = count.so_far() - before;
    parts
        .headers
        .insert("x-queries", HeaderValue::from(queries));
    Response::from_parts(parts, body)
}
