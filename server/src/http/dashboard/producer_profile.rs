//! A producer's public profile, from the dashboard: its texts, and its one photo
//! (uploaded, replaced, removed). The producer or a helper entrusted with them may
//! change it (`Viewer::acting_for`); the record keeps who did.

use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, again_with_problems, failed, refused, see_other};
use crate::http::router::AppState;
use crate::http::uploads::{self, Refused};
use app::error::ssr::now;
use app::forms::{FieldError, FormEcho, Refusal};
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use domain::people::producer_profile::ProducerProfileFields;
use domain::{Lang, Viewer};
use http::StatusCode;
use http::request::Parts;

fn page(id: i32) -> String {
    format!("/dashboard/producers/{id}/profile")
}

/// The account acting, if `viewer` may change producer `id`'s profile; else the
/// answer: sign in first, or refused.
#[allow(clippy::result_large_err)]
fn may_change(viewer: Option<&Viewer>, lang: Lang, id: i32) -> Result<i32, Response> {
    let Some(viewer) = viewer else {
        let next = domain::catalog::filter::percent_encode(&page(id));
        return Err(see_other(&format!("/sign-in?next={next}")));
    };
    match viewer.acting_for(id) {
        Some(_) => Ok(viewer.account_id),
        None => Err(refused(Refusal::NotAllowed, lang)),
    }
}

#[tracing::instrument(name = "edit_producer_profile", skip_all, fields(id))]
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<ProducerProfileFields>,
) -> Response {
    let by = match may_change(post.parts.extensions.get::<Viewer>(), post.lang(), id) {
        Ok(by) => by,
        Err(response) => return response,
    };
    let profile = match post.form.parse() {
        Ok(profile) => profile,
        Err(problems) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return again_with_problems(&state, &post, &page(id), problems, status).await;
        }
    };
    match store::people::producers::update_profile(&state.db, id, &profile, by, now()).await {
        Ok(()) => see_other(&format!("{}?done=saved", page(id))),
        Err(err) => failed(err),
    }
}

#[tracing::instrument(name = "upload_producer_photo", skip_all, fields(id))]
pub async fn upload_photo(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    parts: Parts,
    mut multipart: Multipart,
) -> Response {
    let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
    let by = match may_change(parts.extensions.get::<Viewer>(), lang, id) {
        Ok(by) => by,
        Err(response) => return response,
    };
    let bytes = match uploads::read(&mut multipart).await {
        Ok(uploads::Upload {
            bytes: Some(bytes), ..
        }) => bytes,
        Ok(_) => return photo_again(&state, &parts, id, FieldError::PhotoMissing).await,
        Err((_, problem)) => return photo_again(&state, &parts, id, problem).await,
    };
    let (key, size) = match uploads::ingest(&state, bytes, &format!("producer:{id}")).await {
        Ok(done) => done,
        Err(Refused::Problem(problem)) => return photo_again(&state, &parts, id, problem).await,
        Err(Refused::Failed(response)) => return response,
    };
    match store::people::producers::set_photo(&state.db, id, Some((&key, size)), by, now()).await {
        Ok(_) => see_other(&format!("{}?done=photo", page(id))),
        Err(err) => failed(err),
    }
}

/// The profile page again, with what is wrong with the photo next to its field.
async fn photo_again(state: &AppState, parts: &Parts, id: i32, problem: FieldError) -> Response {
    let echo = FormEcho::new().error("photo", problem);
    let uri = page(id).parse().unwrap_or_default();
    state
        .pages
        .again_at(parts, uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

#[tracing::instrument(name = "remove_producer_photo", skip_all, fields(id))]
pub async fn remove_photo(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Response {
    let by = match may_change(post.parts.extensions.get::<Viewer>(), post.lang(), id) {
        Ok(by) => by,
        Err(response) => return response,
    };
    match store::people::producers::set_photo(&state.db, id, None, by, now()).await {
        Ok(_) => see_other(&page(id)),
        Err(err) => failed(err),
    }
}
