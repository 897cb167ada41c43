//! `/bookings/{code}`'s forms: confirm a hold (one with something to pay goes to
//! checkout), cancel a booking (refund by the policy). A booking is the holder's: the
//! account that made it, or whoever has the secret of its link (`k`, emailed to guests).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::booking::code::BookingCode;
use domain::clock::SiteTime;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use store::booking::bookings::{self, Found, Moved};

use super::slot::{checkout_after_booking, confirmation_letter};

/// Puts held booking `booking_id` in the poster's cart and sends them to checkout.
async fn to_checkout(
    state: &AppState,
    post: &FormPost<KeyForm>,
    code: &BookingCode,
    booking_id: i32,
    at: chrono::NaiveDateTime,
) -> Answer {
    let (cart, cookie) = crate::http::visit::cart::cart_of(state, &post.parts).await?;
    match store::commerce::carts::add_booking(&state.db, cart, booking_id, SiteTime::from_naive(at))
        .await
    {
        Ok(()) => Ok(crate::http::visit::cart::with_cookie(
            see_other(&checkout_after_booking(code, &post.form.k)),
            cookie,
        )),
        Err(err) => Err(Stop::failed(err)),
    }
}

/// A booking's buttons carry the secret of the link the page was opened with.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct KeyForm {
    #[serde(default)]
    k: String,
}

/// Booking `code` if the poster holds it (their account made it, or they have its
/// link's secret); else "not found", as for a code that does not exist.
async fn held_by_poster(
    state: &AppState,
    post: &FormPost<KeyForm>,
    code: &str,
) -> Result<(BookingCode, Found), Stop> {
    let not_found = || Stop::NotFound;
    let code = BookingCode::parse(code).map_err(|_| not_found())?;
    let found = bookings::by_code(&state.db, &code, domain::clock::now().on_site())
        .await?
        .ok_or(Stop::NotFound)?;
    let key_hash = (!post.form.k.is_empty()).then(|| auth::token::hash_token(&post.form.k));
    let account = post.account_id();
    if found.held_by(account, key_hash.as_deref()) {
        Ok((code, found))
    } else {
        Err(not_found())
    }
}

fn booking_page(code: &BookingCode, key: &str) -> String {
    if key.is_empty() {
        format!("/bookings/{code}")
    } else {
        format!("/bookings/{code}?k={key}")
    }
}

/// The booking page again with `problem` at its top.
async fn redraw_booking(
    state: &AppState,
    post: &FormPost<KeyForm>,
    code: &BookingCode,
    problem: FieldError,
) -> Stop {
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    let uri = booking_page(code, &post.form.k);
    state
        .pages
        .redraw_at(&post.parts, &uri, echo, StatusCode::CONFLICT)
        .await
}

fn with_done(page: &str, done: &str) -> String {
    let sep = if page.contains('?') { '&' } else { '?' };
    format!("{page}{sep}done={done}")
}

#[tracing::instrument(name = "confirm_booking", skip_all, fields(code))]
pub async fn confirm(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<KeyForm>,
) -> Answer {
    let (code, found) = held_by_poster(&state, &post, &code).await?;
    // A hold with something to pay is paid through the cart, never confirmed here.
    if found.view.total.centavos() > 0 {
        return match (found.view.status, found.order_id) {
            (domain::booking::BookingStatus::Held, None) => {
                to_checkout(
                    &state,
                    &post,
                    &code,
                    found.id,
                    domain::clock::now().on_site().naive(),
                )
                .await
            }
            (domain::booking::BookingStatus::Held, Some(_)) => {
                Err(redraw_booking(&state, &post, &code, FieldError::BookingInOrder).await)
            }
            _ => Err(redraw_booking(&state, &post, &code, FieldError::BookingNotNow).await),
        };
    }
    let link = format!("{}{}", state.public_url, booking_page(&code, &post.form.k));
    let Ok(email) = domain::Email::parse(&found.view.email) else {
        return Err(Stop::failed("a booking's email no longer parses"));
    };
    let letter = confirmation_letter(
        &found.view.slot,
        &email,
        found.lang,
        &found.view.name,
        &code,
        &link,
    );
    let account = post.account_id();
    let page = booking_page(&code, &post.form.k);
    match bookings::confirm(
        &state.db,
        &code,
        account,
        Some(letter),
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(Some(Moved::Done(_) | Moved::Already(_))) => {
            Ok(see_other(&with_done(&page, "confirmed")))
        }
        Ok(Some(Moved::NotNow(domain::booking::BookingStatus::Expired))) => {
            Err(redraw_booking(&state, &post, &code, FieldError::HoldRanOut).await)
        }
        Ok(Some(Moved::NotNow(_))) => {
            Err(redraw_booking(&state, &post, &code, FieldError::BookingNotNow).await)
        }
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}

#[tracing::instrument(name = "cancel_booking", skip_all, fields(code))]
pub async fn cancel(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<KeyForm>,
) -> Answer {
    let (code, found) = held_by_poster(&state, &post, &code).await?;
    let account = post.account_id();
    let at = domain::clock::now().on_site();
    let page = booking_page(&code, &post.form.k);
    match store::commerce::orders::cancel_booking(&state.db, &found, account, at).await {
        Ok(Some((Moved::Done(_), refund, withdrawn))) => {
            tracing::info!(refund = refund.centavos(), "booking cancelled");
            crate::tasks::reconcile::follow_withdrawals(
                &state.payments,
                &state.bookings,
                &state.public_url,
                withdrawn.as_slice(),
            )
            .await;
            crate::tasks::reconcile::refund_booking(
                &state.payments,
                &state.db,
                &state.public_url,
                found.id,
                refund,
                account,
            )
            .await;
            // Its places may be what the first on the waiting list is waiting for.
            state.bookings.offer_places(found.slot_id, at.naive()).await;
            Ok(see_other(&with_done(&page, "cancelled")))
        }
        Ok(Some((Moved::Already(_), _, _))) => Ok(see_other(&page)),
        Ok(Some((Moved::NotNow(_), _, _))) => {
            Err(redraw_booking(&state, &post, &code, FieldError::BookingNotNow).await)
        }
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(Stop::failed(err)),
    }
}
