//! The producer dashboard's changes: create and edit a listing, submit it for
//! approval, unpublish it, delete it. Each checks that the signed-in person is the
//! listing's producer or a helper entrusted with that producer (`Viewer::acting_for`)
//! and records who acted, on whose behalf.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, Refusal};
use axum::extract::{Path, State};
use domain::catalog::listing_form::ListingFields;
use domain::{Acting, ListingAction, ListingKind};
use http::StatusCode;
use serde::Deserialize;
use store::catalog::listings::{self, Actor, ChangeError};

pub fn actor(account_id: i32, acting: Acting) -> Actor {
    Actor {
        account_id,
        on_behalf_of: acting.on_behalf_of(),
    }
}

/// What a refused store change answers.
fn change_failed<T>(post: &FormPost<T>, err: ChangeError) -> Stop {
    match err {
        ChangeError::NotFound => Stop::NotFound,
        ChangeError::NotNow(_) => post.refuse(Refusal::NotNow),
        ChangeError::Conflict => post.refuse(Refusal::Conflict),
        ChangeError::Store(err) => err.into(),
    }
}

/// The form again, with what was typed and each problem next to its field.
async fn redraw_listing_form(
    state: &AppState,
    post: &FormPost<ListingFields>,
    problems: Vec<(&str, FieldError)>,
) -> Stop {
    let echo = crate::http::forms::echo_of(&post.form, problems);
    state
        .pages
        .redraw(&post.parts, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

#[derive(Deserialize)]
pub struct NewListing {
    kind: String,
    producer: i32,
}

#[tracing::instrument(name = "create_listing", skip_all)]
pub async fn create(
    State(state): State<AppState>,
    axum::extract::Query(new): axum::extract::Query<NewListing>,
    post: FormPost<ListingFields>,
) -> Answer {
    let viewer = post.viewer()?;
    let Some(acting) = viewer.acting_for(new.producer) else {
        return Err(post.refuse(Refusal::NotAllowed));
    };
    let Some(kind) = ListingKind::parse(&new.kind) else {
        return Err(Stop::NotFound);
    };
    let draft = match post.form.parse(kind) {
        Ok(draft) => draft,
        Err(problems) => {
            let problems = problems
                .into_iter()
                .map(|(f, e)| (f, FieldError::Listing(e)))
                .collect();
            return Err(redraw_listing_form(&state, &post, problems).await);
        }
    };
    let who = actor(viewer.account_id, acting);
    let id = listings::create(
        &state.db,
        new.producer,
        &draft,
        who,
        domain::clock::now().on_site(),
    )
    .await?;
    // On to its photos: a listing is not sent for approval without one in mind.
    Ok(see_other(&format!(
        "/dashboard/listings/{id}/edit?done=created#photos"
    )))
}

/// The listing `id` if the viewer may work on it, and as whom.
async fn acting_on<T>(
    state: &AppState,
    post: &FormPost<T>,
    id: i32,
) -> Result<(listings::Owned, Actor), Stop> {
    let viewer = post.viewer()?;
    let owned = listings::owner(&state.db, id)
        .await
        .map_err(Stop::failed)?
        .ok_or(Stop::NotFound)?;
    let acting = owned
        .producer_id
        .and_then(|p| viewer.acting_for(p))
        .ok_or_else(|| post.refuse(Refusal::NotAllowed))?;
    Ok((owned, actor(viewer.account_id, acting)))
}

#[tracing::instrument(name = "edit_listing", skip_all, fields(id))]
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<ListingFields>,
) -> Answer {
    let (owned, who) = acting_on(&state, &post, id).await?;
    let draft = match post.form.parse(owned.kind) {
        Ok(draft) => draft,
        Err(problems) => {
            let problems = problems
                .into_iter()
                .map(|(f, e)| (f, FieldError::Listing(e)))
                .collect();
            return Err(redraw_listing_form(&state, &post, problems).await);
        }
    };
    match listings::update(&state.db, id, &draft, who, domain::clock::now().on_site()).await {
        Ok(_) => Ok(see_other("/dashboard?done=saved")),
        Err(err) => Err(change_failed(&post, err)),
    }
}

async fn move_listing(
    state: AppState,
    id: i32,
    post: FormPost<NoFields>,
    action: ListingAction,
    done: &str,
) -> Answer {
    let (_, who) = acting_on(&state, &post, id).await?;
    match listings::transition(
        &state.db,
        id,
        action,
        None,
        who,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/dashboard?done={done}"))),
        Err(err) => Err(change_failed(&post, err)),
    }
}

#[tracing::instrument(name = "submit_listing", skip_all, fields(id))]
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    move_listing(state, id, post, ListingAction::Submit, "submitted").await
}

#[tracing::instrument(name = "unpublish_listing", skip_all, fields(id))]
pub async fn unpublish(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    move_listing(state, id, post, ListingAction::Unpublish, "unpublished").await
}

#[tracing::instrument(name = "delete_listing", skip_all, fields(id))]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    move_listing(state, id, post, ListingAction::Delete, "deleted").await
}
