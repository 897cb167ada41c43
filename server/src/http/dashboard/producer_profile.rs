//! A producer's public profile, from the dashboard: its texts, and its one photo
//! (uploaded, replaced, removed). The producer or a helper entrusted with them may
//! change it (`Viewer::acting_for`); the record keeps who did.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, redraw_with_problems, see_other};
use crate::http::router::AppState;
use crate::http::uploads::{self, Refused};
use app::forms::{FieldError, FormEcho, Refusal};
use axum::extract::{Multipart, Path, State};
use domain::people::producer_profile::ProducerProfileFields;
use domain::{Lang, Viewer};
use http::StatusCode;
use http::request::Parts;

fn page(id: i32) -> String {
    format!("/dashboard/producers/{id}/profile")
}

/// The account acting, if `viewer` may change producer `id`'s profile; else the
/// answer: sign in first, or refused.
fn may_change(viewer: Option<&Viewer>, lang: Lang, id: i32) -> Result<i32, Stop> {
    let Some(viewer) = viewer else {
        return Err(Stop::SignInFirst(page(id)));
    };
    match viewer.acting_for(id) {
        Some(_) => Ok(viewer.account_id),
        None => Err(Stop::Refused(Refusal::NotAllowed, lang)),
    }
}

#[tracing::instrument(name = "edit_producer_profile", skip_all, fields(id))]
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<ProducerProfileFields>,
) -> Answer {
    let by = may_change(post.parts.extensions.get::<Viewer>(), post.lang(), id)?;
    let profile = match post.form.parse() {
        Ok(profile) => profile,
        Err(problems) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Err(redraw_with_problems(&state, &post, &page(id), problems, status).await);
        }
    };
    store::people::producers::update_profile(
        &state.db,
        id,
        &profile,
        by,
        domain::clock::now().on_site(),
    )
    .await?;
    Ok(see_other(&format!("{}?done=saved", page(id))))
}

#[tracing::instrument(name = "upload_producer_photo", skip_all, fields(id))]
pub async fn upload_photo(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    parts: Parts,
    mut multipart: Multipart,
) -> Answer {
    let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
    let by = may_change(parts.extensions.get::<Viewer>(), lang, id)?;
    let bytes = match uploads::read(&mut multipart).await {
        Ok(uploads::Upload {
            bytes: Some(bytes), ..
        }) => bytes,
        Ok(_) => {
            return Err(redraw_profile_photo(&state, &parts, id, FieldError::PhotoMissing).await);
        }
        Err((_, problem)) => return Err(redraw_profile_photo(&state, &parts, id, problem).await),
    };
    let (key, size) = match uploads::ingest(&state, bytes, &format!("producer:{id}")).await {
        Ok(done) => done,
        Err(Refused::Problem(problem)) => {
            return Err(redraw_profile_photo(&state, &parts, id, problem).await);
        }
        Err(Refused::Failed(stop)) => return Err(stop),
    };
    store::people::producers::set_photo(
        &state.db,
        id,
        Some((&key, size)),
        by,
        domain::clock::now().on_site(),
    )
    .await?;
    Ok(see_other(&format!("{}?done=photo", page(id))))
}

/// The profile page again, with what is wrong with the photo next to its field.
async fn redraw_profile_photo(
    state: &AppState,
    parts: &Parts,
    id: i32,
    problem: FieldError,
) -> Stop {
    let echo = FormEcho::new().error("photo", problem);
    let uri = page(id);
    state
        .pages
        .redraw_at(parts, &uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

#[tracing::instrument(name = "remove_producer_photo", skip_all, fields(id))]
pub async fn remove_photo(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    let by = may_change(post.parts.extensions.get::<Viewer>(), post.lang(), id)?;
    store::people::producers::set_photo(&state.db, id, None, by, domain::clock::now().on_site())
        .await?;
    Ok(see_other(&page(id)))
}
