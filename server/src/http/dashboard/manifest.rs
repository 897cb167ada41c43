//! The changes of the people who run a slot (its guide, their helper, an admin of
//! its cooperative: `Viewer::runs_slots_of`): check a party in or mark it a
//! no-show, close the slot to new bookings or open it again, and call it off.

use crate::emails;
use crate::emails::bookings::About;
use crate::http::answer::{Answer, Stop};
use crate::http::forms::NoFields;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, Refusal, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::booking::BookingAction;
use domain::booking::code::BookingCode;
use domain::booking::form::BookingFieldError;
use domain::catalog::filter::percent_encode;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use store::booking::bookings::{self, Attendance, Moved};

/// The poster's account if they run slot `id`; else the answer.
async fn runs<T>(state: &AppState, post: &FormPost<T>, id: i32) -> Result<i32, Stop> {
    let viewer = post.viewer()?;
    match store::booking::slots::owner(&state.db, id).await {
        Ok(Some((producer, cooperative))) if viewer.runs_slots_of(producer, cooperative) => {
            Ok(viewer.account_id)
        }
        Ok(Some(_)) => Err(post.refuse(Refusal::NotAllowed)),
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CheckInForm {
    #[serde(default)]
    code: String,
    /// `check_in` or `no_show`.
    #[serde(default)]
    action: String,
}

async fn redraw_manifest(
    state: &AppState,
    post: &FormPost<CheckInForm>,
    id: i32,
    field: &str,
    problem: FieldError,
    status: StatusCode,
) -> Stop {
    let echo = FormEcho::new()
        .value("code", &post.form.code)
        .error(field, problem);
    let uri = format!("/dashboard/slots/{id}");
    state.pages.redraw_at(&post.parts, &uri, echo, status).await
}

#[tracing::instrument(name = "check_in", skip_all, fields(slot = id))]
pub async fn check_in(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<CheckInForm>,
) -> Answer {
    let account = runs(&state, &post, id).await?;
    let action = match post.form.action.as_str() {
        "check_in" | "" => BookingAction::CheckIn,
        "no_show" => BookingAction::MarkNoShow,
        _ => return Err(post.refuse(Refusal::BadForm)),
    };
    let code = match BookingCode::parse(&post.form.code) {
        Ok(code) => code,
        Err(e) => {
            let problem = FieldError::Booking(BookingFieldError::Code(e));
            return Err(redraw_manifest(
                &state,
                &post,
                id,
                "code",
                problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    match bookings::record_attendance(
        &state.db,
        id,
        &code,
        action,
        account,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Attendance::Marked {
            name,
            places,
            moved,
        }) => {
            let done = match (&moved, action) {
                (Moved::Done(_), BookingAction::CheckIn) => "checked_in",
                (Moved::Already(_), BookingAction::CheckIn) => "already",
                (Moved::Done(_) | Moved::Already(_), _) => "no_show",
                (Moved::NotNow(_), _) => {
                    return Err(redraw_manifest(
                        &state,
                        &post,
                        id,
                        WHOLE_FORM,
                        FieldError::BookingNotNow,
                        StatusCode::CONFLICT,
                    )
                    .await);
                }
            };
            tracing::info!(%code, places, done, "attendance");
            let who = percent_encode(&format!("{name} ({places})"));
            Ok(see_other(&format!(
                "/dashboard/slots/{id}?done={done}&who={who}"
            )))
        }
        Ok(Attendance::NotOnThisSlot) => Err(redraw_manifest(
            &state,
            &post,
            id,
            "code",
            FieldError::NotOnThisSlot,
            StatusCode::NOT_FOUND,
        )
        .await),
        Err(err) => Err(Stop::failed(err)),
    }
}

async fn set_closed(state: &AppState, post: &FormPost<NoFields>, id: i32, closed: bool) -> Answer {
    runs(state, post, id).await?;
    store::booking::slots::set_closed(&state.db, id, closed, domain::clock::now().on_site())
        .await?;
    Ok(see_other(&format!(
        "/dashboard/slots/{id}?done={}",
        if closed { "closed" } else { "opened" }
    )))
}

#[tracing::instrument(name = "close_slot", skip_all, fields(slot = id))]
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    set_closed(&state, &post, id, true).await
}

#[tracing::instrument(name = "open_slot", skip_all, fields(slot = id))]
pub async fn open(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<NoFields>,
) -> Answer {
    set_closed(&state, &post, id, false).await
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct CancelForm {
    /// The box that says "yes, call it off": a slot is not cancelled by a slip.
    #[serde(default)]
    sure: String,
}

#[tracing::instrument(name = "cancel_slot", skip_all, fields(slot = id))]
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<CancelForm>,
) -> Answer {
    let account = runs(&state, &post, id).await?;
    if post.form.sure != "yes" {
        let echo = FormEcho::new().error(WHOLE_FORM, FieldError::CancelNotConfirmed);
        let uri = format!("/dashboard/slots/{id}");
        return Err(state
            .pages
            .redraw_at(&post.parts, &uri, echo, StatusCode::UNPROCESSABLE_ENTITY)
            .await);
    }
    let at = domain::clock::now().on_site();
    let slot = store::booking::slots::view_booked(&state.db, id, at)
        .await?
        .ok_or(Stop::NotFound)?;
    let letter = |party: &bookings::CalledOff| {
        let about = About::of(&slot, party.lang);
        emails::bookings::called_off(
            party.email.clone(),
            party.lang,
            &party.name,
            &about,
            party.code.as_str(),
            party.refund,
        )
    };
    match store::commerce::orders::call_off_slot(&state.db, id, account, letter, at).await {
        Ok(Some((told, withdrawn))) => {
            tracing::info!(parties = told.len(), "slot called off");
            crate::tasks::reconcile::follow_withdrawals(
                &state.payments,
                &state.bookings,
                &state.public_url,
                &withdrawn,
            )
            .await;
            for party in told.iter().filter(|p| p.order_id.is_some()) {
                crate::tasks::reconcile::refund_booking(
                    &state.payments,
                    &state.db,
                    &state.public_url,
                    party.booking_id,
                    party.refund,
                    Some(account),
                )
                .await;
            }
            Ok(see_other(&format!(
                "/dashboard/slots/{id}?done=cancelled&who={}",
                told.len()
            )))
        }
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}
