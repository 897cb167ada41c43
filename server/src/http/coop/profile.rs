//! `/coop/{slug}/profile`'s form: a cooperative admin edits its public profile.

use super::administered;
use crate::http::answer::Answer;
use crate::http::forms::{FormPost, redraw_with_problems, see_other};
use crate::http::router::AppState;
use axum::extract::{Path, State};
use chrono::Datelike;
use domain::people::members::CoopProfileFields;
use http::StatusCode;
use store::people::members;

#[tracing::instrument(name = "edit_cooperative_profile", skip_all, fields(slug))]
pub async fn edit_profile(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost<CoopProfileFields>,
) -> Answer {
    let (account_id, coop) = administered(&post, &slug)?;
    let page = format!("/coop/{slug}/profile");
    let profile = match post
        .form
        .parse(domain::clock::now().on_site().date().year())
    {
        Ok(profile) => profile,
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
    members::update_profile(
        &state.db,
        coop.cooperative_id,
        &profile,
        account_id,
        domain::clock::now().on_site(),
    )
    .await?;
    Ok(see_other(&format!("{page}?done=saved")))
}
