//! Changes to a tour's or event's schedule, by the people who run its slots
//! (`Viewer::runs_slots_of`): its booking rules, and adding or removing an opening
//! rule. Each makes the listing's slots again (`store::booking::schedules`).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, Refusal};
use axum::extract::{Path, State};
use domain::booking::schedule_form::{BookingRulesFields, OpeningRuleFields, ScheduleProblems};
use http::StatusCode;
use serde::Serialize;

/// The poster may run listing `id`'s slots; else the answer.
async fn runs<T>(state: &AppState, post: &FormPost<T>, id: i32) -> Result<(), Stop> {
    let viewer = post.viewer()?;
    match store::booking::slots::listing_owner(&state.db, id).await {
        Ok(Some((producer, cooperative))) if viewer.runs_slots_of(producer, cooperative) => Ok(()),
        Ok(Some(_)) => Err(post.refuse(Refusal::NotAllowed)),
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(err.into()),
    }
}

async fn redraw_schedule<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    id: i32,
    problems: ScheduleProblems,
) -> Stop {
    let echo = echo_of(
        &post.form,
        problems
            .into_iter()
            .map(|(f, e)| (f, FieldError::Listing(e))),
    );
    let uri = format!("/dashboard/listings/{id}/schedule");
    state
        .pages
        .redraw_at(&post.parts, &uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
        .await
}

#[tracing::instrument(name = "save_booking_rules", skip_all, fields(listing = id))]
pub async fn booking_rules(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<BookingRulesFields>,
) -> Answer {
    runs(&state, &post, id).await?;
    let rules = match post.form.parse() {
        Ok(rules) => rules,
        Err(problems) => return Err(redraw_schedule(&state, &post, id, problems).await),
    };
    let token = auth::token::new_token().0;
    match store::booking::schedules::change_booking_rules(
        &state.db,
        id,
        &rules,
        &token,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(made) => {
            tracing::info!(
                added = made.added,
                removed = made.removed,
                "booking rules saved"
            );
            Ok(see_other(&format!(
                "/dashboard/listings/{id}/schedule?done=rules"
            )))
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "add_opening_rule", skip_all, fields(listing = id))]
pub async fn add_opening(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<OpeningRuleFields>,
) -> Answer {
    runs(&state, &post, id).await?;
    let rule = match post.form.parse() {
        Ok(rule) => rule,
        Err(problems) => return Err(redraw_schedule(&state, &post, id, problems).await),
    };
    store::booking::schedules::add_opening(&state.db, id, &rule, domain::clock::now().on_site())
        .await?;
    Ok(see_other(&format!(
        "/dashboard/listings/{id}/schedule?done=added"
    )))
}

#[tracing::instrument(name = "remove_opening_rule", skip_all, fields(listing = id, rule))]
pub async fn remove_opening(
    State(state): State<AppState>,
    Path((id, rule)): Path<(i32, i32)>,
    post: FormPost<NoFields>,
) -> Answer {
    runs(&state, &post, id).await?;
    match store::booking::schedules::remove_opening(
        &state.db,
        id,
        rule,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Some(_)) => Ok(see_other(&format!(
            "/dashboard/listings/{id}/schedule?done=removed"
        ))),
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "set_ticket_limits", skip_all, fields(listing = id))]
pub async fn ticket_limits(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<std::collections::BTreeMap<String, String>>,
) -> Answer {
    runs(&state, &post, id).await?;
    let tickets = match store::booking::schedules::view(
        &state.db,
        id,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Some(v)) => v.tickets,
        Ok(None) => return Err(Stop::NotFound),
        Err(err) => return Err(Stop::failed(err)),
    };
    let limits = match domain::booking::schedule_form::parse_ticket_limits(&post.form, &tickets) {
        Ok(limits) => limits,
        Err(problems) => {
            let echo = echo_of(
                &post.form,
                problems
                    .iter()
                    .map(|(f, e)| (f.as_str(), FieldError::Listing(*e))),
            );
            let uri = format!("/dashboard/listings/{id}/schedule");
            return Err(state
                .pages
                .redraw_at(&post.parts, &uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
                .await);
        }
    };
    store::booking::schedules::set_ticket_limits(&state.db, id, &limits).await?;
    Ok(see_other(&format!(
        "/dashboard/listings/{id}/schedule?done=rules"
    )))
}
