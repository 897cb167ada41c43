//! Sending a cooperative's payout through Stripe Connect: each of its transfers not
//! yet confirmed goes to the cooperative's connected account with its own
//! idempotency key (so a retry, or two senders at once, never send money twice);
//! the first failure stops the payout as failed, with Stripe's reason, until an
//! admin retries. The store records every step (`store::money::payouts`).

use chrono::NaiveDateTime;
use domain::clock::SiteTime;
use payments::connect::NewTransfer;
use payments::{Payments, Provider, ProviderError};
use store::DatabaseConnection;
use store::money::payouts::{self, PayoutError};

/// What sending came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Every transfer is confirmed: the payout is paid.
    Paid,
    /// A transfer failed; the payout waits for a retry.
    Failed(String),
    /// Nothing to send (already paid, or not sending).
    Nothing,
}

/// What each transfer of payout `payout_id` says on the cooperative's statement.
fn transfer_description(payout_id: i32) -> String {
    format!("Tianguis payout {payout_id}")
}

pub async fn send(
    payments: &Payments,
    db: &DatabaseConnection,
    payout_id: i32,
    now: NaiveDateTime,
) -> Result<Sent, PayoutError> {
    let Provider::Stripe(stripe) = payments.provider() else {
        return Err(PayoutError::NotConnected);
    };
    let transfers = payouts::transfers_to_send(db, payout_id).await?;
    if transfers.is_empty() {
        return Ok(Sent::Nothing);
    }
    for t in transfers {
        let new = NewTransfer {
            amount: t.amount,
            destination: &t.destination,
            transfer_group: t.transfer_group.as_deref(),
            description: transfer_description(payout_id),
            idempotency_key: &t.idempotency_key,
        };
        match stripe.transfer(&new).await {
            Ok(provider_ref) => {
                if payouts::transfer_sent(db, t.id, &provider_ref, SiteTime::from_naive(now))
                    .await?
                {
                    tracing::info!(payout = payout_id, "payout paid");
                    return Ok(Sent::Paid);
                }
            }
            Err(err) => {
                let reason = match &err {
                    ProviderError::Refused { code, message } => format!("{code}: {message}"),
                    other => other.to_string(),
                };
                tracing::warn!(payout = payout_id, transfer = t.id, %reason, "transfer failed");
                payouts::transfer_failed(db, t.id, &reason, SiteTime::from_naive(now)).await?;
                return Ok(Sent::Failed(reason));
            }
        }
    }
    Ok(Sent::Nothing)
}

/// Why a failed payout could not be checked with Stripe.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Payout(#[from] PayoutError),
    #[error(transparent)]
    Provider(#[from] ProviderError),
}

/// Before failed payout `payout_id` of `cooperative` may be cancelled, Stripe is
/// asked for the transfers of each unconfirmed transfer's group (its order): a
/// timeout or a 5xx marks a transfer failed even when Stripe made it. Those it made
/// are recorded as sent. How many were found.
pub async fn confirm_made(
    payments: &Payments,
    db: &DatabaseConnection,
    cooperative: i32,
    payout_id: i32,
    now: NaiveDateTime,
) -> Result<usize, CheckError> {
    let Provider::Stripe(stripe) = payments.provider() else {
        return Ok(0);
    };
    let mut found = 0;
    for t in payouts::transfers_to_check(db, cooperative, payout_id).await? {
        let asked = NewTransfer {
            amount: t.amount,
            destination: &t.destination,
            transfer_group: t.transfer_group.as_deref(),
            description: transfer_description(payout_id),
            idempotency_key: &t.idempotency_key,
        };
        let made = stripe
            .transfers_made(&t.destination, t.transfer_group.as_deref())
            .await?;
        if let Some(m) = made.iter().find(|m| m.is(&asked)) {
            tracing::warn!(payout = payout_id, transfer = t.id, stripe = %m.id, "a transfer marked failed went through");
            payouts::transfer_sent(db, t.id, &m.id, SiteTime::from_naive(now)).await?;
            found += 1;
        }
    }
    Ok(found)
}
