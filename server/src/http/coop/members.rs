//! `/coop/{slug}/members`'s forms: a cooperative admin invites a producer by email,
//! withdraws an invitation, removes a member, entrusts a producer's listings to a
//! helper and takes that back. Each checks that the signed-in person administers this
//! cooperative (`super::administered`); the store records who did what.

use super::administered;
use crate::http::forms::{FormPost, NoFields, again_with_problems as again, failed, see_other};
use crate::http::router::AppState;
use app::error::ssr::now;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::people::members::{HelperFields, InvitationFields, MemberFieldError};
use http::StatusCode;
use store::people::members::{self, GrantError, InvitationEmail, InviteError, RemoveError};

/// The members page drawn again with a problem at its top.
async fn members_page_with(
    state: &AppState,
    post: &FormPost<NoFields>,
    slug: &str,
    problem: FieldError,
) -> Response {
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    let uri = format!("/coop/{slug}/members").parse().unwrap_or_default();
    state
        .pages
        .again_at(&post.parts, uri, echo, StatusCode::CONFLICT)
        .await
}

#[tracing::instrument(name = "invite_producer", skip_all, fields(slug))]
pub async fn invite(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<InvitationFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = format!("/coop/{slug}/members");
    let new = match post.form.parse() {
        Ok(new) => new,
        Err(problems) => {
            return again(
                &state,
                &post,
                &page,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let inviter = post
        .parts
        .extensions
        .get::<domain::Viewer>()
        .map(|v| v.name.clone())
        .unwrap_or_default();
    let (token, token_hash) = auth::token::new_token();
    let link = format!("{}/invitations/{token}", state.public_url);
    let message = auth::emails::invitation(new.lang, &coop.cooperative_name, &inviter, &link);
    let email = InvitationEmail {
        token_hash,
        subject: &message.subject,
        body: &message.body,
    };
    match members::invite(
        &state.db,
        coop.cooperative_id,
        &new,
        email,
        account_id,
        now(),
    )
    .await
    {
        Ok(()) => see_other(&format!("{page}?done=invited")),
        Err(InviteError::AlreadyMember) => {
            let problems = vec![("email", MemberFieldError::AlreadyMember)];
            again(&state, &post, &page, problems, StatusCode::CONFLICT).await
        }
        Err(InviteError::Store(err)) => failed(err),
    }
}

#[tracing::instrument(name = "withdraw_invitation", skip_all, fields(slug, id))]
pub async fn withdraw(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    match members::withdraw_invitation(&state.db, coop.cooperative_id, id, account_id, now()).await
    {
        Ok(true) => see_other(&format!("/coop/{slug}/members?done=withdrawn")),
        Ok(false) => members_page_with(&state, &post, &slug, FieldError::InvitationClosed).await,
        Err(err) => failed(err),
    }
}

#[tracing::instrument(name = "remove_member", skip_all, fields(slug, id))]
pub async fn remove(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    match members::remove(&state.db, coop.cooperative_id, id, account_id, now()).await {
        Ok(removed) => {
            tracing::info!(taken_down = removed.taken_down, "member removed");
            // An admin who removed themselves has nothing more to do here.
            if removed.account_id == account_id {
                return see_other("/account");
            }
            see_other(&format!("/coop/{slug}/members?done=removed"))
        }
        Err(RemoveError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(RemoveError::LastAdmin) => {
            members_page_with(&state, &post, &slug, FieldError::LastAdmin).await
        }
        Err(RemoveError::Store(err)) => failed(err),
    }
}

#[tracing::instrument(name = "grant_helper", skip_all, fields(slug))]
pub async fn grant_helper(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<HelperFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = format!("/coop/{slug}/members");
    let (helper, producer) = match post.form.parse() {
        Ok(parsed) => parsed,
        Err(problems) => {
            return again(
                &state,
                &post,
                &page,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let id = coop.cooperative_id;
    let problem =
        match members::grant_helper(&state.db, id, &helper, producer, account_id, now()).await {
            Ok(()) => return see_other(&format!("{page}?done=helper")),
            Err(GrantError::NoSuchAccount) => ("helper_email", MemberFieldError::NoSuchAccount),
            Err(GrantError::AlreadyHelps) => ("helper_email", MemberFieldError::AlreadyHelps),
            Err(GrantError::NotOurProducer) => ("producer", MemberFieldError::NotAChoice),
            Err(GrantError::Store(err)) => return failed(err),
        };
    again(
        &state,
        &post,
        &page,
        vec![problem],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

#[tracing::instrument(name = "revoke_helper", skip_all, fields(slug, id))]
pub async fn revoke_helper(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    match members::revoke_helper(&state.db, coop.cooperative_id, id, account_id, now()).await {
        Ok(true) => see_other(&format!("/coop/{slug}/members?done=revoked")),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => failed(err),
    }
}
