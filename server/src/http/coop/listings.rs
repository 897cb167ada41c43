//! A cooperative admin's changes: approve a listing waiting in the queue, or reject
//! it (or take a published one down) with a reason its producer reads. Each checks
//! that the signed-in person administers this cooperative and that the listing is
//! the cooperative's.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, Refusal};
use axum::extract::{Path, State};
use domain::ListingAction;
use http::StatusCode;
use serde::Deserialize;
use store::catalog::listings::{self, Actor, ChangeError};

/// Longest reason a cooperative may write.
const REASON_MAX: usize = 1000;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Moderation {
    reason: String,
}

async fn moderate(
    state: AppState,
    slug: String,
    id: i32,
    post: FormPost<Moderation>,
    action: ListingAction,
) -> Answer {
    let viewer = post.viewer()?;
    let Some(coop) = viewer.administration_of(&slug) else {
        return Err(post.refuse(Refusal::NotAllowed));
    };
    let owned = match listings::owner(&state.db, id).await {
        Ok(Some(owned)) if owned.cooperative_id == coop.cooperative_id => owned,
        Ok(_) => return Err(Stop::NotFound),
        Err(err) => return Err(Stop::failed(err)),
    };
    let reason = post.form.reason.trim();
    if action == ListingAction::Reject && reason.is_empty() {
        let echo =
            FormEcho::new().error(&format!("reason-{}", owned.id), FieldError::ReasonRequired);
        let page = format!("/coop/{slug}");
        return Err(state
            .pages
            .redraw_at(&post.parts, &page, echo, StatusCode::UNPROCESSABLE_ENTITY)
            .await);
    }
    let reason: String = reason.chars().take(REASON_MAX).collect();
    let who = Actor {
        account_id: viewer.account_id,
        on_behalf_of: None,
    };
    let reason = (!reason.is_empty()).then_some(reason.as_str());
    match listings::transition(
        &state.db,
        id,
        action,
        reason,
        who,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(_) => {
            let done = if action == ListingAction::Approve {
                "approved"
            } else {
                "rejected"
            };
            Ok(see_other(&format!("/coop/{slug}?done={done}")))
        }
        Err(ChangeError::NotFound) => Err(Stop::NotFound),
        Err(ChangeError::NotNow(_)) => Err(post.refuse(Refusal::NotNow)),
        Err(ChangeError::Conflict) => Err(post.refuse(Refusal::Conflict)),
        Err(ChangeError::Store(err)) => Err(Stop::from(err)),
    }
}

#[tracing::instrument(name = "approve_listing", skip_all, fields(slug, id))]
pub async fn approve(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<Moderation>,
) -> Answer {
    moderate(state, slug, id, post, ListingAction::Approve).await
}

#[tracing::instrument(name = "reject_listing", skip_all, fields(slug, id))]
pub async fn reject(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<Moderation>,
) -> Answer {
    moderate(state, slug, id, post, ListingAction::Reject).await
}
