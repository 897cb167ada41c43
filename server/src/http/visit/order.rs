//! What a buyer does with an order: pay with an OXXO voucher, pay on the simulated
//! provider's test page, ask for the payment's state to be checked (after paying by
//! card), or give up an unpaid order. An order is its buyer's: the account that
//! placed it, or whoever has its link's secret (`k`).

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use crate::http::visit::checkout::order_page;
use crate::tasks::reconcile::letters;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::commerce::order::{OrderCode, OrderStatus};
use http::StatusCode;
use payments::PaymentError;
use payments::simulated::Choice;
use serde::{Deserialize, Serialize};
use store::commerce::orders::FoundOrder;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct OrderForm {
    #[serde(default)]
    k: String,
    /// The simulated provider's choice.
    #[serde(default)]
    choice: String,
}

/// Order `code` if the poster holds it; else "not found", as for a code that does
/// not exist.
async fn held_by_poster(
    state: &AppState,
    post: &FormPost<OrderForm>,
    code: &str,
) -> Result<FoundOrder, Stop> {
    let not_found = || Stop::NotFound;
    let code = OrderCode::parse(code).map_err(|_| not_found())?;
    let found = store::commerce::orders::by_code(&state.db, &code)
        .await?
        .ok_or(Stop::NotFound)?;
    let account = post.account_id();
    let key = (!post.form.k.is_empty()).then_some(post.form.k.as_str());
    if found.held_by(account, key) {
        Ok(found)
    } else {
        Err(not_found())
    }
}

async fn redraw_order(
    state: &AppState,
    post: &FormPost<OrderForm>,
    found: &FoundOrder,
    problem: FieldError,
) -> Stop {
    let echo = FormEcho::new().error(WHOLE_FORM, problem);
    let uri = order_page(&found.view.code, &post.form.k);
    state
        .pages
        .redraw_at(&post.parts, &uri, echo, StatusCode::CONFLICT)
        .await
}

/// After a payment call: the order's page, or the problem on it.
async fn answer(
    state: &AppState,
    post: &FormPost<OrderForm>,
    found: &FoundOrder,
    done: Result<store::commerce::payments::Settled, PaymentError>,
) -> Answer {
    match done {
        Ok(_) => Ok(see_other(&order_page(&found.view.code, &post.form.k))),
        Err(PaymentError::NotAwaiting) => {
            Err(redraw_order(state, post, found, FieldError::OrderNotAwaiting).await)
        }
        Err(PaymentError::OxxoNotOffered) => {
            Err(redraw_order(state, post, found, FieldError::OxxoNotOffered).await)
        }
        Err(PaymentError::Provider(e)) => {
            tracing::warn!(%e, "payment provider refused or unreachable");
            Err(redraw_order(state, post, found, FieldError::ProviderUnavailable).await)
        }
        Err(e) => Err(Stop::failed(e)),
    }
}

/// [`held_by_poster`], with the id of the order's payment.
async fn held_with_payment(
    state: &AppState,
    post: &FormPost<OrderForm>,
    code: &str,
) -> Result<(FoundOrder, i32), Stop> {
    let found = held_by_poster(state, post, code).await?;
    match found.view.payment.as_ref().map(|p| p.id) {
        Some(payment) => Ok((found, payment)),
        None => Err(Stop::failed("an order without its payment")),
    }
}

#[tracing::instrument(name = "pay_with_oxxo", skip_all)]
pub async fn oxxo(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<OrderForm>,
) -> Answer {
    let (found, payment) = held_with_payment(&state, &post, &code).await?;
    let letters = letters(&state.public_url);
    let done = state
        .payments
        .pay_with_oxxo(payment, &letters, domain::clock::now().on_site())
        .await;
    answer(&state, &post, &found, done).await
}

#[tracing::instrument(name = "simulated_payment", skip_all)]
pub async fn simulate(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<OrderForm>,
) -> Answer {
    let (found, payment) = held_with_payment(&state, &post, &code).await?;
    let Some(choice) = Choice::parse(&post.form.choice) else {
        return Err(post.refuse(app::forms::Refusal::BadForm));
    };
    if found.view.status != OrderStatus::AwaitingPayment {
        return Err(redraw_order(&state, &post, &found, FieldError::OrderNotAwaiting).await);
    }
    let letters = letters(&state.public_url);
    let at = domain::clock::now().on_site();
    let done = state.payments.simulate(payment, choice, &letters, at).await;
    if let Ok(store::commerce::payments::Settled::Done { freed, .. }) = &done {
        for slot in freed {
            state.bookings.offer_places(*slot, at.naive()).await;
        }
    }
    answer(&state, &post, &found, done).await
}

/// The payer is back from paying by card: the payment's state is read from the
/// provider (never taken from the browser's word).
#[tracing::instrument(name = "check_payment", skip_all)]
pub async fn check(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<OrderForm>,
) -> Answer {
    let (found, payment) = held_with_payment(&state, &post, &code).await?;
    let letters = letters(&state.public_url);
    let done = state
        .payments
        .observe(payment, None, &letters, domain::clock::now().on_site())
        .await;
    answer(&state, &post, &found, done).await
}

/// Gives up an unpaid order: its payment is cancelled at the provider first (so no
/// money can arrive for it later), then its stock and places go back.
#[tracing::instrument(name = "cancel_order", skip_all)]
pub async fn cancel(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<OrderForm>,
) -> Answer {
    let (found, payment) = held_with_payment(&state, &post, &code).await?;
    if found.view.status != OrderStatus::AwaitingPayment {
        return Err(redraw_order(&state, &post, &found, FieldError::OrderNotAwaiting).await);
    }
    let at = domain::clock::now().on_site();
    match state.payments.cancel(payment, at).await {
        Ok(true) => {}
        // Paid meanwhile: the page says so.
        Ok(false) => return Ok(see_other(&order_page(&found.view.code, &post.form.k))),
        Err(e) => return answer(&state, &post, &found, Err(e)).await,
    }
    let account = post.account_id();
    match store::commerce::orders::cancel_unpaid(&state.db, found.id, account, at).await {
        Ok(freed) => {
            for slot in freed.unwrap_or_default() {
                state.bookings.offer_places(slot, at.naive()).await;
            }
            Ok(see_other(&order_page(&found.view.code, &post.form.k)))
        }
        Err(err) => Err(Stop::failed(err)),
    }
}
