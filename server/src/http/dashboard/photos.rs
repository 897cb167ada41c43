//! Uploading a listing's photos, and reordering or removing them, from its edit page.
//! An upload is checked and turned into sized files by `http::uploads`.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use crate::http::uploads::{self, Refused};
use app::forms::{FieldError, FormEcho, Refusal};
use axum::extract::{Multipart, Path, State};
use domain::{Lang, ListingAction, ListingStatus, LocalizedText, Viewer};
use http::StatusCode;
use http::request::Parts;
use store::catalog::listings::{self, Actor};
use store::catalog::photos::PhotoRowError;

/// The listing `id` if `viewer` may change it, and as whom; else the answer.
async fn may_change(
    state: &AppState,
    viewer: Option<&Viewer>,
    lang: Lang,
    id: i32,
) -> Result<Actor, Stop> {
    let Some(viewer) = viewer else {
        return Err(Stop::SignInFirst(format!("/dashboard/listings/{id}/edit")));
    };
    let owned = listings::owner(&state.db, id)
        .await?
        .ok_or(Stop::NotFound)?;
    if owned.status == ListingStatus::Deleted {
        return Err(Stop::Refused(Refusal::NotNow, lang));
    }
    let acting = owned
        .producer_id
        .and_then(|p| viewer.acting_for(p))
        .ok_or(Stop::Refused(Refusal::NotAllowed, lang))?;
    Ok(crate::http::dashboard::listings::actor(
        viewer.account_id,
        acting,
    ))
}

/// A photo change is an edit: a published listing goes back for approval.
async fn record_edit(state: &AppState, id: i32, who: Actor) -> Result<(), Stop> {
    listings::transition(
        &state.db,
        id,
        ListingAction::Edit,
        None,
        who,
        domain::clock::now().on_site(),
    )
    .await
    .map(|_| ())
    .map_err(Stop::failed)
}

#[tracing::instrument(name = "upload_photo", skip_all, fields(id))]
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    parts: Parts,
    mut multipart: Multipart,
) -> Answer {
    let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
    let who = may_change(&state, parts.extensions.get::<Viewer>(), lang, id).await?;
    let (bytes, alt) = match uploads::read(&mut multipart).await {
        Ok(uploads::Upload {
            bytes: Some(bytes),
            alt,
            ..
        }) => (bytes, alt),
        Ok(uploads::Upload {
            bytes: None, alt, ..
        }) => {
            return Err(redraw_photos(&state, &parts, id, &alt, FieldError::PhotoMissing).await);
        }
        Err((alt, problem)) => return Err(redraw_photos(&state, &parts, id, &alt, problem).await),
    };
    // Checked before the (costly) ingest to spare the work; `store::catalog::photos::add` checks
    // again inside its transaction, where it counts.
    match store::catalog::photos::count(&state.db, id).await {
        Ok(n) if n >= store::catalog::photos::MAX_PER_LISTING => {
            return Err(redraw_photos(&state, &parts, id, &alt, FieldError::PhotoLimit).await);
        }
        Ok(_) => {}
        Err(err) => return Err(Stop::failed(err)),
    }

    let (key, size) = match uploads::ingest(&state, bytes, &format!("listing:{id}")).await {
        Ok(done) => done,
        Err(Refused::Problem(problem)) => {
            return Err(redraw_photos(&state, &parts, id, &alt, problem).await);
        }
        Err(Refused::Failed(stop)) => return Err(stop),
    };
    match store::catalog::photos::add(&state.db, id, &key, size, &alt).await {
        Ok(_) => {}
        Err(PhotoRowError::Full) => {
            return Err(redraw_photos(&state, &parts, id, &alt, FieldError::PhotoLimit).await);
        }
        Err(PhotoRowError::Duplicate) => {
            return Err(redraw_photos(&state, &parts, id, &alt, FieldError::PhotoDuplicate).await);
        }
        Err(PhotoRowError::Store(err)) => return Err(Stop::from(err)),
    }
    record_edit(&state, id, who).await?;
    Ok(see_other(&format!(
        "/dashboard/listings/{id}/edit?done=photo"
    )))
}

/// The edit page again, with what is wrong with the upload next to its field.
async fn redraw_photos(
    state: &AppState,
    parts: &Parts,
    id: i32,
    alt: &LocalizedText,
    problem: FieldError,
) -> Stop {
    let page = format!("/dashboard/listings/{id}/edit");
    let typed = |t: &Option<String>| t.clone().unwrap_or_default();
    let echo = FormEcho::new()
        .value("alt_es", &typed(&alt.es))
        .value("alt_en", &typed(&alt.en))
        .error("photo", problem);
    state
        .pages
        .redraw_at(parts, &page, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

async fn change(
    state: AppState,
    (id, photo): (i32, i32),
    post: FormPost<NoFields>,
    how: Change,
) -> Answer {
    let who = may_change(
        &state,
        post.parts.extensions.get::<Viewer>(),
        post.lang(),
        id,
    )
    .await?;
    let changed = match how {
        Change::Earlier => store::catalog::photos::shift(&state.db, id, photo, true).await,
        Change::Later => store::catalog::photos::shift(&state.db, id, photo, false).await,
        Change::Delete => store::catalog::photos::remove(&state.db, id, photo).await,
    };
    match changed {
        Ok(true) => {
            record_edit(&state, id, who).await?;
        }
        // The first photo moved earlier, or a photo of another listing: nothing to do.
        Ok(false) => {}
        Err(err) => return Err(Stop::failed(err)),
    }
    Ok(see_other(&format!("/dashboard/listings/{id}/edit")))
}

enum Change {
    Earlier,
    Later,
    Delete,
}

pub async fn earlier(
    State(state): State<AppState>,
    Path(ids): Path<(i32, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    change(state, ids, post, Change::Earlier).await
}

pub async fn later(
    State(state): State<AppState>,
    Path(ids): Path<(i32, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    change(state, ids, post, Change::Later).await
}

pub async fn delete(
    State(state): State<AppState>,
    Path(ids): Path<(i32, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    change(state, ids, post, Change::Delete).await
}
