//! Reads what an answer left unread of a request's body before the answer goes out, so
//! that the client hears it instead of a reset connection.
//!
//! A refusal given before the body is read (a path with a control character, an
//! unknown address, a form over its bound) would otherwise close the connection with
//! the body's rest still in the server's socket, and the kernel then resets the
//! connection: a client still sending sees "connection reset" and never reads the
//! 4xx written for it (the junk-input test saw it now and then, on both backends).

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

/// The most bytes read past what the answer read: a form's bound a few times over. A
/// client sending more than that after being refused may see the connection closed.
const UNREAD_BYTES_MOST: usize = 1024 * 1024;

/// The longest the answer waits for the rest of the body.
const UNREAD_WAIT_MOST: Duration = Duration::from_secs(5);

/// Middleware: hands the request on with its body, then reads (and drops) whatever of
/// the body the answer did not read, within [`UNREAD_BYTES_MOST`] and
/// [`UNREAD_WAIT_MOST`], before answering.
pub async fn read_before_answering(req: Request, next: Next) -> Response {
    // A request without a body (every page's GET) has nothing to leave unread.
    if req.body().is_end_stream() {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let body = Shared(Arc::new(Mutex::new(Some(body))));
    let left = body.0.clone();
    let response = next.run(Request::from_parts(parts, Body::new(body))).await;
    let rest = left.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(rest) = rest
        && !rest.is_end_stream()
        && tokio::time::timeout(UNREAD_WAIT_MOST, read_to_end(rest))
            .await
            .is_err()
    {
        tracing::info!("a request body still coming after the answer's wait");
    }
    response
}

/// Reads `body` to its end or to [`UNREAD_BYTES_MOST`] bytes, whichever is first.
async fn read_to_end(body: Body) {
    let mut stream = body.into_data_stream();
    let mut read = 0;
    while let Some(Ok(chunk)) = futures_util::StreamExt::next(&mut stream).await {
        read += chunk.len();
        if read > UNREAD_BYTES_MOST {
            tracing::info!("a request body over {UNREAD_BYTES_MOST} bytes left unread");
            return;
        }
    }
}

/// A request's body, shared between the answer (which may read some or all of it, or
/// drop it) and [`read_before_answering`] (which reads the rest).
struct Shared(Arc<Mutex<Option<Body>>>);

impl Shared {
    fn with<T>(&self, read: impl FnOnce(Option<&mut Body>) -> T) -> T {
        read(
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_mut(),
        )
    }
}

impl HttpBody for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        self.with(|body| match body {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        })
    }

    fn is_end_stream(&self) -> bool {
        self.with(|body| body.is_none_or(|body| body.is_end_stream()))
    }

    fn size_hint(&self) -> SizeHint {
        self.with(|body| body.map_or_else(|| SizeHint::with_exact(0), |body| body.size_hint()))
    }
}
