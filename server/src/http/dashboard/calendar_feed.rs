//! `GET /calendar/{secret}.ics`: a guide's or a tour's calendar feed (see
//! `store::booking::calendar_feeds`). Calendar apps fetch it every so often; the secret in
//! the address is its only key, so an unknown one is simply "not found".

use crate::http::answer::{Answer, Stop};
use crate::http::router::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use http::header;

#[tracing::instrument(name = "calendar_feed", skip_all)]
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Answer {
    let Some(token) = file.strip_suffix(".ics") else {
        return Err(Stop::NotFound);
    };
    match store::booking::calendar_feeds::by_token(&state.db, token, domain::clock::now().on_site())
        .await
    {
        Ok(Some(feed)) => Ok((
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                // Calendar apps poll; a few minutes old is fresh enough.
                (header::CACHE_CONTROL, "private, max-age=300"),
                (header::HeaderName::from_static("x-robots-tag"), "noindex"),
            ],
            domain::booking::ical::feed(&feed.name, &feed.events, domain::clock::now().instant()),
        )
            .into_response()),
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}
