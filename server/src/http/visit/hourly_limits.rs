//! The hourly limits on what visitors start (`domain::people::hourly_limits`), as
//! the handlers that hold places, take free places, join a waiting list or place an
//! order use them: [`check`] before the start, [`record`] once it is made.

use crate::http::answer::Stop;
use crate::http::router::AppState;
use domain::Email;
use domain::people::hourly_limits::{self, Started, TooMany};
use std::net::IpAddr;

/// How long a refused visitor is asked to wait (`Retry-After`): the hour the limits
/// count over.
const RETRY_AFTER_SECONDS: &str = "3600";

/// Whether `email`, from `client`, may start one more `kind` now; the reason not.
pub async fn check(
    state: &AppState,
    kind: Started,
    email: &Email,
    client: IpAddr,
) -> Result<Result<(), TooMany>, Stop> {
    let last_hour = store::people::visitor_starts::last_hour(
        &state.db,
        kind,
        email,
        &client.to_string(),
        domain::clock::now(),
    )
    .await
    .map_err(Stop::failed)?;
    let verdict = hourly_limits::check(last_hour, state.hourly_limits);
    if let Err(too_many) = verdict {
        tracing::info!(
            kind = kind.code(),
            ?too_many,
            "a visitor's start refused for the hour"
        );
    }
    Ok(verdict)
}

/// Counts a start that was made. The start stands even if counting it fails (it is
/// logged): a limit missed once is better than a booking or order refused after it
/// was made.
pub async fn record(state: &AppState, kind: Started, email: &Email, client: IpAddr) {
    let recorded = store::people::visitor_starts::record(
        &state.db,
        kind,
        email,
        &client.to_string(),
        domain::clock::now(),
    )
    .await;
    if let Err(err) = recorded {
        tracing::warn!(%err, kind = kind.code(), "a visitor's start was not counted");
    }
}

/// A page drawn again for a start refused for the hour, telling the browser when to
/// try again.
pub fn try_again_later(stop: Stop) -> Stop {
    match stop {
        Stop::Redrawn(mut page) => {
            page.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
            Stop::Redrawn(page)
        }
        other => other,
    }
}
