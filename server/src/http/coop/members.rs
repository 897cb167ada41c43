//! `/coop/{slug}/members`'s forms: a cooperative admin invites a producer by email,
//! withdraws an invitation, removes a member, entrusts a producer's listings to a
//! helper and takes that back, and withdraws a role that waits for an address. Each checks that the signed-in person administers this
//! cooperative (`super::administered`); the store records who did what.

use super::administered;
use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, NoFields, redraw_with_problems, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::field::FieldProblem;
use domain::people::members::{Given, HelperFields, InvitationFields, MemberFieldError};
use http::StatusCode;
use store::people::members::{self, GrantError, InvitationEmail, InviteError, RemoveError};
use store::people::waiting_roles;

/// The members page drawn again with a problem at its top.
async fn redraw_members(
    state: &AppState,
    post: &FormPost<NoFields>,
    slug: &str,
    problem: FieldError,
) -> Stop {
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    let uri = format!("/coop/{slug}/members");
    state
        .pages
        .redraw_at(&post.parts, &uri, echo, StatusCode::CONFLICT)
        .await
}

#[tracing::instrument(name = "invite_producer", skip_all, fields(slug))]
pub async fn invite(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<InvitationFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    let page = format!("/coop/{slug}/members");
    let new = match post.form.parse() {
        Ok(new) => new,
        Err(problems) => {
            return Err(redraw_with_problems(
                &state,
                &post,
                &page,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
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
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("{page}?done=invited"))),
        Err(InviteError::AlreadyMember) => {
            let problems = vec![("email", MemberFieldError::AlreadyMember)];
            Err(redraw_with_problems(&state, &post, &page, problems, StatusCode::CONFLICT).await)
        }
        Err(InviteError::Store(err)) => Err(Stop::from(err)),
    }
}

#[tracing::instrument(name = "withdraw_invitation", skip_all, fields(slug, id))]
pub async fn withdraw(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    match members::withdraw_invitation(
        &state.db,
        coop.cooperative_id,
        id,
        account_id,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(true) => Ok(see_other(&format!("/coop/{slug}/members?done=withdrawn"))),
        Ok(false) => Err(redraw_members(&state, &post, &slug, FieldError::InvitationClosed).await),
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "withdraw_waiting_role", skip_all, fields(slug, id))]
pub async fn withdraw_waiting(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    match waiting_roles::withdraw(
        &state.db,
        coop.cooperative_id,
        id,
        account_id,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(true) => Ok(see_other(&format!(
            "/coop/{slug}/members?done=waiting-withdrawn"
        ))),
        Ok(false) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "remove_member", skip_all, fields(slug, id))]
pub async fn remove(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    match members::remove(
        &state.db,
        coop.cooperative_id,
        id,
        account_id,
        domain::clock::now().on_site(),
        &new_feed_secret,
    )
    .await
    {
        Ok(removed) => {
            tracing::info!(taken_down = removed.taken_down, "member removed");
            // An admin who removed themselves has nothing more to do here.
            if removed.account_id == account_id {
                return Ok(see_other("/account"));
            }
            Ok(see_other(&format!("/coop/{slug}/members?done=removed")))
        }
        Err(RemoveError::NotFound) => Err(Stop::NotFound),
        Err(RemoveError::LastAdmin) => {
            Err(redraw_members(&state, &post, &slug, FieldError::LastAdmin).await)
        }
        Err(RemoveError::Store(err)) => Err(Stop::from(err)),
    }
}

#[tracing::instrument(name = "grant_helper", skip_all, fields(slug))]
pub async fn grant_helper(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<HelperFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    let page = format!("/coop/{slug}/members");
    let (helper, producer) = match post.form.parse() {
        Ok(parsed) => parsed,
        Err(problems) => {
            return Err(redraw_with_problems(
                &state,
                &post,
                &page,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    let id = coop.cooperative_id;
    let problem = match members::grant_helper(
        &state.db,
        id,
        &helper,
        producer,
        account_id,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Given::Now) => return Ok(see_other(&format!("{page}?done=helper"))),
        Ok(Given::Waits) => return Ok(see_other(&format!("{page}?done=helper-waits"))),
        Err(GrantError::NoSuchAccount) => ("helper_email", MemberFieldError::NoSuchAccount),
        Err(GrantError::AlreadyHelps) => ("helper_email", MemberFieldError::AlreadyHelps),
        Err(GrantError::AlreadyWaiting) => ("helper_email", MemberFieldError::AlreadyWaiting),
        Err(GrantError::NotOurProducer) => (
            "producer",
            MemberFieldError::Field(FieldProblem::NotAChoice),
        ),
        Err(GrantError::Store(err)) => return Err(Stop::from(err)),
    };
    Err(redraw_with_problems(
        &state,
        &post,
        &page,
        vec![problem],
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await)
}

#[tracing::instrument(name = "revoke_helper", skip_all, fields(slug, id))]
pub async fn revoke_helper(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    match members::revoke_helper(
        &state.db,
        coop.cooperative_id,
        id,
        account_id,
        domain::clock::now().on_site(),
        &new_feed_secret,
    )
    .await
    {
        Ok(true) => Ok(see_other(&format!("/coop/{slug}/members?done=revoked"))),
        Ok(false) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}

/// A new calendar feed secret, for the feeds a leaver could read.
fn new_feed_secret() -> String {
    auth::token::new_token().0
}
