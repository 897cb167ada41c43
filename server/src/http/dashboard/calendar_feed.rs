//! `GET /calendar/{secret}.ics`: a guide's or a tour's calendar feed (see
//! `store::booking::calendar_feeds`). Calendar apps fetch it every so often; the secret in
//! the address is its only key, so an unknown one is simply "not found", and a new
//! one can be asked for (`new_addresses`).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, NoFields, see_other};
use crate::http::router::AppState;
use app::forms::Refusal;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use http::header;
use store::booking::calendar_feeds::Rotation;

/// `POST /dashboard/calendar/new-addresses`: every feed on the person's "my slots"
/// page gets a new secret (their own guide feeds, the feeds of the tours and events
/// they run); the old addresses stop working, for one that got where it should not.
#[tracing::instrument(name = "new_calendar_addresses", skip_all)]
pub async fn new_addresses(State(state): State<AppState>, post: FormPost<NoFields>) -> Answer {
    let viewer = post.viewer()?;
    let own: Vec<i32> = viewer
        .own_producers()
        .filter_map(|m| m.producer_id)
        .collect();
    let rotation = Rotation {
        cooperatives: viewer.administered().map(|m| m.cooperative_id).collect(),
        listings_of: own
            .iter()
            .copied()
            .chain(viewer.helps.iter().map(|h| h.producer_id))
            .collect(),
        guides: own,
    };
    if rotation.cooperatives.is_empty() && rotation.listings_of.is_empty() {
        return Err(post.refuse(Refusal::NotAllowed));
    }
    store::booking::calendar_feeds::rotate(&state.db, &rotation, &|| auth::token::new_token().0)
        .await?;
    Ok(see_other("/dashboard/slots?done=new-addresses"))
}

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
