//! `/invitations/{token}`'s form: the invited person, signed in, accepts and becomes a
//! member of the cooperative.

use crate::http::answer::Answer;
use crate::http::forms::{FormPost, NoFields, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::people::members::MemberFieldError;
use http::StatusCode;
use store::people::members::{self, AcceptError};

#[tracing::instrument(name = "accept_invitation", skip_all)]
pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    post: FormPost<NoFields>,
) -> Answer {
    let viewer = post.viewer()?;
    let hash = auth::token::hash_token(&token);
    let (problem, status) = match members::accept(
        &state.db,
        &hash,
        viewer.account_id,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(joined) => {
            tracing::info!(cooperative = %joined.cooperative_slug, "invitation accepted");
            return Ok(see_other("/dashboard?done=joined"));
        }
        Err(AcceptError::NotOpen) => (FieldError::InvitationClosed, StatusCode::GONE),
        Err(AcceptError::WrongAccount { invited }) => {
            (FieldError::WrongInvitee { invited }, StatusCode::FORBIDDEN)
        }
        Err(AcceptError::AlreadyMember) => (
            FieldError::Member(MemberFieldError::AlreadyMember),
            StatusCode::CONFLICT,
        ),
        Err(AcceptError::Store(err)) => return Err(err.into()),
    };
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    Err(state.pages.redraw(&post.parts, echo, status).await)
}
