//! `/dashboard/orders/{code}`'s forms: what a cooperative (or the platform) does with
//! the orders it sold in: move its part on (preparing, shipped with carrier and
//! tracking number, ready for pickup, delivered), refund some or all of its part, and
//! record the bank transfer that settled an owed OXXO refund. Each is allowed to the
//! admins of the part's cooperative and to platform admins.

use crate::emails;
use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use app::forms::{FieldError, Refusal, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::commerce::order::PartAction;
use domain::{Currency, Money};
use http::StatusCode;
use payments::PaymentError;
use serde::{Deserialize, Serialize};
use store::commerce::orders::{FoundOrder, FulfilError};
use store::commerce::refunds::{Outcome, RefundAsk, RefundError};

/// The order page a cooperative sees.
fn sold_page(found: &FoundOrder) -> String {
    format!("/dashboard/orders/{}", found.view.code)
}

/// Part `id`'s order, if the poster may act on it; else the answer to give.
async fn part_for_poster<T>(
    state: &AppState,
    post: &FormPost<T>,
    id: i32,
) -> Result<(FoundOrder, i32), Stop> {
    let viewer = post.viewer()?;
    let (order_id, cooperative_id) = store::commerce::orders::order_of_part(&state.db, id)
        .await?
        .ok_or(Stop::NotFound)?;
    if !viewer.administers(cooperative_id) && !viewer.runs_platform() {
        return Err(post.refuse(Refusal::NotAllowed));
    }
    match store::commerce::orders::by_id(&state.db, order_id).await {
        Ok(Some(found)) => Ok((found, cooperative_id)),
        Ok(None) => Err(Stop::NotFound),
        Err(err) => Err(err.into()),
    }
}

async fn redraw_sold_order<T: Serialize>(
    state: &AppState,
    post: &FormPost<T>,
    found: &FoundOrder,
    problems: Vec<(&str, FieldError)>,
    status: StatusCode,
) -> Stop {
    let echo = echo_of(&post.form, problems);
    let uri = sold_page(found);
    state.pages.redraw_at(&post.parts, &uri, echo, status).await
}

/// The order's link for one email, and its key for the letter to keep.
fn link_of(state: &AppState, found: &FoundOrder) -> (String, store::outbox::OrderKey) {
    crate::http::emailed_order_link(&state.public_url, found.id, &found.view.code)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct FulfilForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    carrier: String,
    #[serde(default)]
    tracking: String,
}

fn action_of(code: &str) -> Option<PartAction> {
    [
        PartAction::Prepare,
        PartAction::Ship,
        PartAction::ReadyForPickup,
        PartAction::Deliver,
    ]
    .into_iter()
    .find(|a| a.code() == code)
}

#[tracing::instrument(name = "fulfil_part", skip_all, fields(part = id))]
pub async fn fulfil(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<FulfilForm>,
) -> Answer {
    let (found, _) = part_for_poster(&state, &post, id).await?;
    let Some(action) = action_of(&post.form.action) else {
        return Err(post.refuse(Refusal::BadForm));
    };
    let carrier = post.form.carrier.trim();
    let number = post.form.tracking.trim();
    let tracking = (action == PartAction::Ship).then(|| (carrier.to_owned(), number.to_owned()));
    if action == PartAction::Ship && (carrier.is_empty() || number.is_empty()) {
        let field = if carrier.is_empty() {
            "carrier"
        } else {
            "tracking"
        };
        let problems = vec![(field, FieldError::TrackingRequired)];
        return Err(redraw_sold_order(
            &state,
            &post,
            &found,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }
    let Some(part) = found.view.parts.iter().find(|p| p.id == id) else {
        return Err(Stop::NotFound);
    };
    let (link, key) = link_of(&state, &found);
    let letter = emails::orders::fulfilled(
        &found.view,
        found.lang,
        part,
        action,
        tracking.as_ref().map(|(c, n)| (c.as_str(), n.as_str())),
        &link,
    )
    .map(|letter| letter.opening(key));
    let actor = post.account_id();
    match store::commerce::orders::fulfil(
        &state.db,
        id,
        action,
        tracking,
        actor,
        letter,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!(
            "{}?done={}",
            sold_page(&found),
            action.code()
        ))),
        Err(FulfilError::Move(_)) => {
            let problems = vec![(WHOLE_FORM, FieldError::PartNotNow)];
            Err(redraw_sold_order(&state, &post, &found, problems, StatusCode::CONFLICT).await)
        }
        Err(FulfilError::NeedsTracking) => {
            let problems = vec![("tracking", FieldError::TrackingRequired)];
            Err(redraw_sold_order(
                &state,
                &post,
                &found,
                problems,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
        Err(FulfilError::NoSuchPart) => Err(Stop::NotFound),
        Err(FulfilError::Store(err)) => Err(Stop::from(err)),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct RefundForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

#[tracing::instrument(name = "refund_part", skip_all, fields(part = id))]
pub async fn refund(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<RefundForm>,
) -> Answer {
    let (found, _) = part_for_poster(&state, &post, id).await?;
    let mut problems = Vec::new();
    let amount = Money::parse_pesos(&post.form.amount, Currency::Mxn)
        .ok()
        .filter(|m| m.centavos() > 0);
    if amount.is_none() {
        problems.push(("amount", FieldError::RefundAmount));
    }
    let reason = post
        .form
        .reason
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if reason.is_empty() {
        problems.push(("reason", FieldError::ReasonRequired));
    }
    let Some(amount) = amount.filter(|_| problems.is_empty()) else {
        return Err(redraw_sold_order(
            &state,
            &post,
            &found,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    };
    let ask = RefundAsk {
        order_id: found.id,
        part_id: Some(id),
        booking_id: None,
        amount,
        reason,
        asked_by: post.account_id(),
        for_withdrawn: false,
    };
    let owed = found
        .view
        .payment
        .as_ref()
        .is_some_and(|p| p.method == Some(domain::commerce::payment::PaymentMethod::Oxxo));
    let (link, key) = link_of(&state, &found);
    let letter = emails::orders::refunded(&found.view, found.lang, amount, owed, &link)
        .map(|letter| letter.opening(key));
    match state
        .payments
        .refund(&ask, letter, domain::clock::now().on_site())
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?done=refunded", sold_page(&found)))),
        Err(PaymentError::Refund(RefundError::TooMuch { left })) => {
            let problems = vec![("amount", FieldError::RefundTooMuch { left })];
            Err(redraw_sold_order(&state, &post, &found, problems, StatusCode::CONFLICT).await)
        }
        Err(PaymentError::Refund(RefundError::NotPaid)) => {
            let problems = vec![(WHOLE_FORM, FieldError::OrderNotPaid)];
            Err(redraw_sold_order(&state, &post, &found, problems, StatusCode::CONFLICT).await)
        }
        Err(PaymentError::Provider(e)) => {
            tracing::warn!(%e, "refund left pending: provider unreachable");
            let problems = vec![(WHOLE_FORM, FieldError::ProviderUnavailable)];
            Err(redraw_sold_order(
                &state,
                &post,
                &found,
                problems,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await)
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SettleForm {
    /// The bank transfer's reference (a SPEI tracking key, say).
    #[serde(default)]
    reference: String,
}

#[tracing::instrument(name = "settle_owed_refund", skip_all, fields(refund = id))]
pub async fn settle_owed(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost<SettleForm>,
) -> Answer {
    let (order_id, part_id) = store::commerce::refunds::order_of(&state.db, id)
        .await?
        .ok_or(Stop::NotFound)?;
    // A refund of one cooperative's part is its admins' to settle; one of the whole
    // order (a payment that came too late) is the platform's.
    let found = match part_id {
        Some(part) => match part_for_poster(&state, &post, part).await {
            Ok((found, _)) => found,
            Err(answer) => return Err(answer),
        },
        None => {
            match post.viewer() {
                Ok(viewer) if viewer.runs_platform() => {}
                Ok(_) => return Err(post.refuse(Refusal::NotAllowed)),
                Err(answer) => return Err(answer),
            }
            store::commerce::orders::by_id(&state.db, order_id)
                .await?
                .ok_or(Stop::NotFound)?
        }
    };
    let reference = post.form.reference.trim();
    if reference.is_empty() || reference.chars().count() > 80 {
        let problems = vec![("reference", FieldError::ReferenceRequired)];
        return Err(redraw_sold_order(
            &state,
            &post,
            &found,
            problems,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    }
    let actor = post.account_id();
    let outcome = Outcome::SettledManually {
        reference: reference.to_owned(),
    };
    match store::commerce::refunds::close(
        &state.db,
        id,
        &outcome,
        actor,
        None,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(true) => Ok(see_other(&format!("{}?done=settled", sold_page(&found)))),
        Ok(false) => {
            let problems = vec![(WHOLE_FORM, FieldError::PartNotNow)];
            Err(redraw_sold_order(&state, &post, &found, problems, StatusCode::CONFLICT).await)
        }
        Err(err) => Err(Stop::failed(err)),
    }
}
