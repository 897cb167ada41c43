//! A cooperative admin's changes to its people and profile — invite a producer by
//! email, withdraw an invitation, remove a member, entrust a producer's listings to
//! a helper and take that back, edit the public profile — and the invited person
//! accepting. Each admin change checks that the signed-in person administers this
//! cooperative (`Viewer::administered`); the store records who did what.

use super::endpoints::Endpoints;
use super::forms::{FormPost, again_with_problems as again, failed, see_other};
use super::router::AppState;
use app::error::ssr::now;
use app::forms::{FieldError, FormEcho, Refusal, WHOLE_FORM};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use domain::people::access::Membership;
use domain::people::members::{
    CoopProfileFields, HelperFields, InvitationFields, MemberFieldError,
};
use http::StatusCode;
use serde::Serialize;
use store::people::members::{
    self, AcceptError, GrantError, InvitationEmail, InviteError, RemoveError,
};

pub fn endpoints(e: Endpoints) -> Endpoints {
    e.post("/coop/{slug}/invitations", invite)
        .post("/coop/{slug}/invitations/{id}/withdraw", withdraw)
        .post("/coop/{slug}/members/{id}/remove", remove)
        .post("/coop/{slug}/helpers", grant_helper)
        .post("/coop/{slug}/helpers/{id}/revoke", revoke_helper)
        .post("/coop/{slug}/profile", edit_profile)
        .post("/invitations/{token}", accept)
}

/// The cooperative `slug` if the poster administers it; else the answer: sign in
/// first, or refused.
#[allow(clippy::result_large_err)]
fn administered<T>(post: &FormPost<T>, slug: &str) -> Result<(i32, Membership), Response> {
    let viewer = post.viewer()?;
    viewer
        .administration_of(slug)
        .map(|m| (viewer.account_id, m.clone()))
        .ok_or_else(|| post.refuse(Refusal::NotAllowed))
}

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

/// A button-only form.
#[derive(serde::Deserialize, Serialize, Default)]
struct NoFields {}

#[tracing::instrument(name = "invite_producer", skip_all, fields(slug))]
async fn invite(
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
async fn withdraw(
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
async fn remove(
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
async fn grant_helper(
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
async fn revoke_helper(
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

#[tracing::instrument(name = "edit_cooperative_profile", skip_all, fields(slug))]
async fn edit_profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<CoopProfileFields>,
) -> Response {
    let (account_id, coop) = match administered(&post, &slug) {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = format!("/coop/{slug}/profile");
    let profile = match post.form.parse(now().year()) {
        Ok(profile) => profile,
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
    match members::update_profile(&state.db, coop.cooperative_id, &profile, account_id, now()).await
    {
        Ok(()) => see_other(&format!("{page}?done=saved")),
        Err(err) => failed(err),
    }
}

#[tracing::instrument(name = "accept_invitation", skip_all)]
async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    post: FormPost<NoFields>,
) -> Response {
    let viewer = match post.viewer() {
        Ok(v) => v,
        Err(response) => return response,
    };
    let hash = auth::token::hash_token(&token);
    let (problem, status) = match members::accept(&state.db, &hash, viewer.account_id, now()).await
    {
        Ok(joined) => {
            tracing::info!(cooperative = %joined.cooperative_slug, "invitation accepted");
            return see_other("/dashboard?done=joined");
        }
        Err(AcceptError::NotOpen) => (FieldError::InvitationClosed, StatusCode::GONE),
        Err(AcceptError::WrongAccount { invited }) => {
            (FieldError::WrongInvitee { invited }, StatusCode::FORBIDDEN)
        }
        Err(AcceptError::AlreadyMember) => (
            FieldError::Member(MemberFieldError::AlreadyMember),
            StatusCode::CONFLICT,
        ),
        Err(AcceptError::Store(err)) => return failed(err),
    };
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    state.pages.again(&post.parts, echo, status).await
}
