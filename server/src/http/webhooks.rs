//! `POST /webhooks/stripe`: Stripe's news about payments. The signature is checked
//! against the raw body with Stripe's scheme and tolerance (forged or stale: 400, and
//! nothing changes). An event only says *that* something happened to a
//! PaymentIntent: its current state is read back from Stripe and settled, with the
//! event recorded by its id in the same transaction (a second delivery does nothing).
//! `charge.updated` is read the same way, for its PaymentIntent: it comes when Stripe
//! has made a charge's balance transaction late, and so can say its fee.

use super::router::AppState;
use crate::http::answer::{Answer, Stop};
use crate::tasks::reconcile::letters;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use payments::signature::verify;
use payments::{PaymentError, ProviderError};
use serde::Deserialize;
use store::commerce::payments::ProviderEvent;

/// The little of an event that matters: which object it is about.
#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: EventObject,
}

#[derive(Debug, Deserialize)]
struct EventObject {
    #[serde(default)]
    id: String,
    #[serde(default)]
    object: String,
    /// A charge's PaymentIntent.
    #[serde(default)]
    payment_intent: Option<String>,
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

#[tracing::instrument(name = "stripe_webhook", skip_all, fields(event, kind))]
pub async fn stripe(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Answer {
    // Without Stripe there is no secret to check a signature against: nothing is
    // believed.
    let Some(secret) = state.webhook_secret.as_deref() else {
        return Ok(plain(
            StatusCode::BAD_REQUEST,
            "this server takes no Stripe events",
        ));
    };
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Err(e) = verify(
        secret,
        signature,
        &body,
        domain::clock::now().instant().timestamp(),
    ) {
        tracing::warn!(%e, "webhook refused");
        return Ok(plain(StatusCode::BAD_REQUEST, "bad signature"));
    }
    let Ok(event) = serde_json::from_slice::<Event>(&body) else {
        return Ok(plain(StatusCode::BAD_REQUEST, "not a Stripe event"));
    };
    tracing::Span::current()
        .record("event", event.id.as_str())
        .record("kind", event.kind.as_str());
    if event.data.object.object == "account" {
        return account_news(&state, &event.data.object.id).await;
    }
    let object = &event.data.object;
    let intent = match (
        object.object.as_str(),
        event.kind.as_str(),
        &object.payment_intent,
    ) {
        ("payment_intent", _, _) => object.id.as_str(),
        ("charge", "charge.updated", Some(intent)) => intent.as_str(),
        // Refunds are settled when they are asked; other news is not ours.
        _ => return Ok(plain(StatusCode::OK, "ignored")),
    };
    let payment = match store::commerce::payments::by_ref(&state.db, "stripe", intent).await {
        Ok(Some(payment)) => payment,
        Ok(None) => return Ok(plain(StatusCode::OK, "not a Tianguis payment")),
        Err(err) => return Err(Stop::failed(err)),
    };
    let letters = letters(&state.public_url);
    let event = ProviderEvent {
        provider: "stripe",
        event_id: &event.id,
        kind: &event.kind,
    };
    let at = domain::clock::now().on_site();
    match state
        .payments
        .observe(payment.id, Some(event), &letters, at)
        .await
    {
        Ok(store::commerce::payments::Settled::Done { freed, .. }) => {
            for slot in freed {
                state.bookings.offer_places(slot, at.naive()).await;
            }
            Ok(plain(StatusCode::OK, "settled"))
        }
        Ok(store::commerce::payments::Settled::Duplicate) => {
            Ok(plain(StatusCode::OK, "already settled"))
        }
        Ok(store::commerce::payments::Settled::Unknown) => {
            Ok(plain(StatusCode::OK, "not a Tianguis payment"))
        }
        // Stripe retries an event that did not get a 2xx: it will come back.
        Err(PaymentError::Provider(ProviderError::Unavailable(e))) => {
            tracing::warn!(%e, "could not read the payment back from Stripe");
            Ok(plain(StatusCode::SERVICE_UNAVAILABLE, "try again"))
        }
        Err(err) => Err(Stop::failed(err)),
    }
}

/// A connected account changed: its state is read back from Stripe (the event only
/// says that it changed) and recorded, so that payouts wait until it can be paid.
async fn account_news(state: &AppState, account: &str) -> Answer {
    let payments::Provider::Stripe(stripe) = state.payments.provider() else {
        return Ok(plain(StatusCode::OK, "ignored"));
    };
    // Another platform's account (or one Stripe no longer knows) is nothing to ask
    // about: a 2xx, or Stripe would send the event again for days.
    match store::money::connected_accounts::is_ours(&state.db, account).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(account, "an account event for an account that is not ours");
            return Ok(plain(StatusCode::OK, "not a Tianguis account"));
        }
        Err(err) => return Err(Stop::failed(err)),
    }
    match stripe.account_status(account).await {
        Ok(status) => {
            match store::money::connected_accounts::set_status(
                &state.db,
                account,
                status,
                domain::clock::now().on_site(),
            )
            .await
            {
                Ok(true) => Ok(plain(StatusCode::OK, "account updated")),
                Ok(false) => Ok(plain(StatusCode::OK, "not a Tianguis account")),
                Err(err) => Err(Stop::failed(err)),
            }
        }
        Err(ProviderError::Unavailable(e)) => {
            tracing::warn!(%e, "could not read the account back from Stripe");
            Ok(plain(StatusCode::SERVICE_UNAVAILABLE, "try again"))
        }
        // Stripe refuses to tell (the account was deleted, say): asking again will
        // not change that.
        Err(err) => {
            tracing::warn!(%err, account, "Stripe would not say how our account is");
            Ok(plain(StatusCode::OK, "account not readable"))
        }
    }
}
