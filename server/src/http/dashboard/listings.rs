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

/// The new-listing form: its fields and, when it came as `multipart/form-data`, the
/// first photo chosen with it. A plain form (without a photo) is taken too.
pub struct NewListingPost {
    post: FormPost<ListingFields>,
    photo: Option<(axum::body::Bytes, domain::LocalizedText)>,
    /// The photo could not be read (cut off at the size limit, or broken).
    unreadable: Option<FieldError>,
}

impl axum::extract::FromRequest<AppState> for NewListingPost {
    type Rejection = axum::response::Response;

    async fn from_request(
        req: axum::extract::Request,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        use axum::extract::Multipart;
        use axum::response::IntoResponse;
        let multipart = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("multipart/form-data"));
        if !multipart {
            let post = FormPost::from_request(req, state).await?;
            return Ok(NewListingPost {
                post,
                photo: None,
                unreadable: None,
            });
        }
        let (parts, body) = req.into_parts();
        let lang = parts
            .extensions
            .get::<domain::Lang>()
            .copied()
            .unwrap_or_default();
        let request = axum::extract::Request::from_parts(parts.clone(), body);
        let mut multipart = Multipart::from_request(request, state)
            .await
            .map_err(|_| crate::http::answer::refused(Refusal::BadForm, lang))?;
        let (fields, photo, unreadable) = match crate::http::uploads::read(&mut multipart).await {
            Ok(upload) => (upload.fields, upload.bytes.map(|b| (b, upload.alt)), None),
            Err((_, problem)) => (Default::default(), None, Some(problem)),
        };
        // The text fields, as a plain form would have brought them, and no more of
        // them than a plain form may bring (a page never echoes megabytes back).
        let text: usize = fields.iter().map(|(k, v)| k.len() + v.len()).sum();
        if text > crate::http::forms::FORM_BYTES_MOST {
            return Err(crate::http::answer::refused(Refusal::TooLarge, lang));
        }
        let form = serde_json::to_value(&fields)
            .and_then(serde_json::from_value::<ListingFields>)
            .map_err(|_| crate::http::answer::refused(Refusal::BadForm, lang).into_response())?;
        Ok(NewListingPost {
            post: FormPost { parts, form },
            photo,
            unreadable,
        })
    }
}

#[tracing::instrument(name = "create_listing", skip_all)]
pub async fn create(
    State(state): State<AppState>,
    axum::extract::Query(new): axum::extract::Query<NewListing>,
    NewListingPost {
        post,
        photo,
        unreadable,
    }: NewListingPost,
) -> Answer {
    let viewer = post.viewer()?;
    let Some(acting) = viewer.acting_for(new.producer) else {
        return Err(post.refuse(Refusal::NotAllowed));
    };
    let Some(kind) = ListingKind::parse(&new.kind) else {
        return Err(Stop::NotFound);
    };
    if let Some(problem) = unreadable {
        return Err(redraw_listing_form(&state, &post, vec![("photo", problem)]).await);
    }
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
    // The photo's files are written before any row, as every upload's are; a photo
    // that is not one sends the form back, and no listing is made.
    let photo = match photo {
        Some((bytes, alt)) => {
            match crate::http::uploads::ingest(&state, bytes, "listing:new").await {
                Ok(ingested) => Some((ingested, alt)),
                Err(crate::http::uploads::Refused::Problem(problem)) => {
                    return Err(redraw_listing_form(&state, &post, vec![("photo", problem)]).await);
                }
                Err(crate::http::uploads::Refused::Failed(stop)) => return Err(stop),
            }
        }
        None => None,
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
    if let Some(((key, size), alt)) = photo {
        store::catalog::photos::add(&state.db, id, &key, size, &alt)
            .await
            .map_err(|err| Stop::failed(format!("the new listing's first photo: {err:?}")))?;
    }
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
