//! The one interface every payment provider offers Tianguis. Each call is a request
//! to the provider; each POST carries an idempotency key derived from our own record,
//! so a retry (after a timeout, a crash, a second click) never charges or refunds
//! twice.

use crate::simulated::Simulated;
use crate::stripe::Stripe;
use domain::Money;
use domain::commerce::payment::ProviderState;

/// Chosen by configuration: Stripe when a secret key is set, else the simulated one.
#[derive(Clone)]
pub enum Provider {
    /// Boxed: Stripe's client is large, and a provider is passed around by value.
    Stripe(Box<Stripe>),
    Simulated(Simulated),
}

/// A payment to make: an order's total, once.
#[derive(Debug, Clone)]
pub struct NewIntent<'a> {
    pub amount: Money,
    pub idempotency_key: &'a str,
    /// The order's code: Stripe's `transfer_group`, so the revenue step can send each
    /// cooperative its share from this one charge.
    pub order_code: &'a str,
    pub description: &'a str,
    pub receipt_email: &'a str,
}

/// A payment the provider made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intent {
    pub provider_ref: String,
    /// What Stripe.js needs to confirm it with a card in the browser.
    pub client_secret: Option<String>,
    pub state: ProviderState,
}

/// Who pays an OXXO voucher (Stripe prints the name on it and emails it).
#[derive(Debug, Clone)]
pub struct OxxoPayer<'a> {
    pub name: &'a str,
    pub email: &'a str,
    /// Days until the voucher expires (1 to 3 here; Stripe allows up to 7).
    pub days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundDone {
    pub provider_ref: String,
    /// `false`: the provider refused it (failed or cancelled).
    pub accepted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// The provider could not be reached, or answered with a server error: try again
    /// later with the same idempotency key.
    #[error("payment provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused the request (a 4xx): `code` is its reason.
    #[error("payment provider refused: {code}: {message}")]
    Refused { code: String, message: String },
    #[error("no such payment at the provider")]
    NotFound,
}

impl Provider {
    /// As `payment.provider` records it.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::Stripe(_) => "stripe",
            Provider::Simulated(_) => "simulated",
        }
    }

    pub async fn create(&self, new: &NewIntent<'_>) -> Result<Intent, ProviderError> {
        match self {
            Provider::Stripe(p) => p.create(new).await,
            Provider::Simulated(p) => p.create(new).await,
        }
    }

    /// The payment's state now.
    pub async fn retrieve(&self, provider_ref: &str) -> Result<ProviderState, ProviderError> {
        match self {
            Provider::Stripe(p) => p.retrieve(provider_ref).await,
            Provider::Simulated(p) => p.retrieve(provider_ref).await,
        }
    }

    /// Confirms the payment as an OXXO cash payment: the provider issues a voucher.
    pub async fn pay_with_oxxo(
        &self,
        provider_ref: &str,
        payer: &OxxoPayer<'_>,
        idempotency_key: &str,
    ) -> Result<ProviderState, ProviderError> {
        match self {
            Provider::Stripe(p) => p.pay_with_oxxo(provider_ref, payer, idempotency_key).await,
            Provider::Simulated(p) => p.pay_with_oxxo(provider_ref, payer).await,
        }
    }

    /// Cancels the payment so that no money can arrive for it any more. Refused when
    /// it already succeeded (the caller reads its state again).
    pub async fn cancel(
        &self,
        provider_ref: &str,
        idempotency_key: &str,
    ) -> Result<ProviderState, ProviderError> {
        match self {
            Provider::Stripe(p) => p.cancel(provider_ref, idempotency_key).await,
            Provider::Simulated(p) => p.cancel(provider_ref).await,
        }
    }

    /// Asks for `amount` instead of what was asked before (bookings left the order
    /// before it was paid). Refused once the payer has a voucher printed with the old
    /// sum, or the payment succeeded or was cancelled; the caller keeps the old sum.
    pub async fn set_amount(
        &self,
        provider_ref: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<(), ProviderError> {
        match self {
            Provider::Stripe(p) => p.set_amount(provider_ref, amount, idempotency_key).await,
            Provider::Simulated(p) => p.set_amount(provider_ref, amount).await,
        }
    }

    pub async fn refund(
        &self,
        provider_ref: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<RefundDone, ProviderError> {
        match self {
            Provider::Stripe(p) => p.refund(provider_ref, amount, idempotency_key).await,
            Provider::Simulated(p) => p.refund(provider_ref, amount, idempotency_key).await,
        }
    }
}
