//! Stripe, through async-stripe: PaymentIntents in MXN for cards and OXXO vouchers,
//! charged once by the platform and tagged with the order's `transfer_group` (Connect
//! "separate charges and transfers": the revenue step transfers each cooperative's
//! share). Every POST carries an idempotency key made from our own record.

use crate::provider::{Intent, NewIntent, OxxoPayer, ProviderError, RefundDone};
use chrono::{TimeZone, Utc};
use domain::Money;
use domain::commerce::payment::{ProviderState, Voucher};
use domain::money::split::FeeSchedule;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::payment_intent::{
    CancelPaymentIntent, ConfirmPaymentIntent, ConfirmPaymentIntentPaymentMethodData,
    ConfirmPaymentIntentPaymentMethodDataBillingDetails, ConfirmPaymentIntentPaymentMethodDataType,
    ConfirmPaymentIntentPaymentMethodOptions, ConfirmPaymentIntentPaymentMethodOptionsOxxo,
    CreatePaymentIntent, RetrievePaymentIntent, UpdatePaymentIntent,
};
use stripe_core::refund::CreateRefund;
use stripe_shared::{PaymentIntent, PaymentIntentAllowedPaymentMethodTypes, PaymentIntentStatus};

/// Stripe's API, unless `STRIPE_API_BASE` points elsewhere (the tests' fake).
pub const API_BASE: &str = "https://api.stripe.com/";

#[derive(Clone)]
pub struct Stripe {
    pub(crate) client: Client,
}

impl std::fmt::Debug for Stripe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stripe")
    }
}

impl Stripe {
    /// A client for secret key `secret_key` talking to `api_base`.
    pub fn new(secret_key: &str, api_base: &str) -> Result<Self, ProviderError> {
        let base = if api_base.ends_with('/') {
            api_base.to_owned()
        } else {
            format!("{api_base}/")
        };
        let client = ClientBuilder::new(secret_key)
            .url(base)
            .app_info("Tianguis", Some(env!("CARGO_PKG_VERSION").to_owned()), None)
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .map_err(unavailable)?;
        Ok(Stripe { client })
    }

    pub async fn create(&self, new: &NewIntent<'_>) -> Result<Intent, ProviderError> {
        let intent = CreatePaymentIntent::new(new.amount.centavos(), stripe_types::Currency::MXN)
            .allowed_payment_method_types(vec![
                PaymentIntentAllowedPaymentMethodTypes::Card,
                PaymentIntentAllowedPaymentMethodTypes::Oxxo,
            ])
            .transfer_group(new.order_code)
            .description(new.description)
            .receipt_email(new.receipt_email)
            .metadata(
                [("order".to_owned(), new.order_code.to_owned())]
                    .into_iter()
                    .collect::<std::collections::HashMap<_, _>>(),
            )
            .customize()
            .request_strategy(idempotent(new.idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(Intent {
            provider_ref: intent.id.to_string(),
            client_secret: intent.client_secret.clone(),
            state: state_of(&intent),
        })
    }

    /// The payment's state, read with its charge's balance transaction: what Stripe
    /// kept as its fee is booked as it says.
    pub async fn retrieve(&self, provider_ref: &str) -> Result<ProviderState, ProviderError> {
        let intent = RetrievePaymentIntent::new(provider_ref)
            .expand(vec![WITH_FEE.to_owned()])
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(state_of(&intent))
    }

    pub async fn pay_with_oxxo(
        &self,
        provider_ref: &str,
        payer: &OxxoPayer<'_>,
        idempotency_key: &str,
    ) -> Result<ProviderState, ProviderError> {
        let mut billing = ConfirmPaymentIntentPaymentMethodDataBillingDetails::new();
        billing.name = Some(payer.name.to_owned());
        billing.email = Some(payer.email.to_owned());
        let mut data = ConfirmPaymentIntentPaymentMethodData::new(
            ConfirmPaymentIntentPaymentMethodDataType::Oxxo,
        );
        data.billing_details = Some(billing);
        let mut oxxo = ConfirmPaymentIntentPaymentMethodOptionsOxxo::new();
        oxxo.expires_after_days = Some(payer.days);
        let mut options = ConfirmPaymentIntentPaymentMethodOptions::new();
        options.oxxo = Some(oxxo);
        let intent = ConfirmPaymentIntent::new(provider_ref)
            .payment_method_data(data)
            .payment_method_options(options)
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(state_of(&intent))
    }

    pub async fn cancel(
        &self,
        provider_ref: &str,
        idempotency_key: &str,
    ) -> Result<ProviderState, ProviderError> {
        let intent = CancelPaymentIntent::new(provider_ref)
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(state_of(&intent))
    }

    /// A new amount for a PaymentIntent not yet paid. Once an OXXO voucher shows the
    /// old sum (`requires_action`), the amount is left alone: the payer may already
    /// hold it printed.
    pub async fn set_amount(
        &self,
        provider_ref: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<(), ProviderError> {
        let intent = RetrievePaymentIntent::new(provider_ref)
            .send(&self.client)
            .await
            .map_err(refused)?;
        if !matches!(
            intent.status,
            PaymentIntentStatus::RequiresPaymentMethod | PaymentIntentStatus::RequiresConfirmation
        ) {
            return Err(ProviderError::Refused {
                code: "payment_intent_unexpected_state".into(),
                message: format!("the payment is {}", intent.status.as_str()),
            });
        }
        UpdatePaymentIntent::new(provider_ref)
            .amount(amount.centavos())
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        Ok(())
    }

    pub async fn refund(
        &self,
        provider_ref: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<RefundDone, ProviderError> {
        let refund = CreateRefund::new()
            .payment_intent(provider_ref)
            .amount(amount.centavos())
            .customize()
            .request_strategy(idempotent(idempotency_key)?)
            .send(&self.client)
            .await
            .map_err(refused)?;
        let accepted = !matches!(refund.status.as_deref(), Some("failed" | "canceled"));
        Ok(RefundDone {
            provider_ref: refund.id.to_string(),
            accepted,
        })
    }
}

pub(crate) fn idempotent(key: &str) -> Result<RequestStrategy, ProviderError> {
    IdempotencyKey::new(key)
        .map(RequestStrategy::Idempotent)
        .map_err(|e| ProviderError::Refused {
            code: "idempotency_key".into(),
            message: e.to_string(),
        })
}

fn unavailable(e: StripeError) -> ProviderError {
    ProviderError::Unavailable(e.to_string())
}

/// A 4xx from Stripe is a refusal with its code; a 404 is "no such payment"; anything
/// else (a 5xx, a network error, a body we cannot read) means "try again later".
pub(crate) fn refused(e: StripeError) -> ProviderError {
    match e {
        StripeError::Stripe(err, 404) => {
            tracing::warn!(message = ?err.message, "stripe: not found");
            ProviderError::NotFound
        }
        StripeError::Stripe(err, status) if (400..500).contains(&status) => {
            ProviderError::Refused {
                code: err
                    .code
                    .as_ref()
                    .map(|c| c.to_string())
                    .or_else(|| err.decline_code.clone())
                    .unwrap_or_else(|| status.to_string()),
                message: err.message.clone().unwrap_or_default(),
            }
        }
        other => unavailable(other),
    }
}

/// The expansion that brings Stripe's fee into a PaymentIntent's answer.
const WITH_FEE: &str = "latest_charge.balance_transaction";

/// What a PaymentIntent's state means to us.
pub fn state_of(intent: &PaymentIntent) -> ProviderState {
    use PaymentIntentStatus as S;
    match &intent.status {
        S::Succeeded => match balance_of(intent) {
            Some(b) => ProviderState::Succeeded {
                received_centavos: intent.amount_received,
                currency: intent.currency.to_string(),
                fee_centavos: if b.currency == stripe_types::Currency::MXN {
                    b.fee
                } else {
                    // Our ledger is in pesos; a balance transaction in another
                    // currency (a platform account settling elsewhere) cannot be
                    // booked as it is: Stripe's published price for Mexico stands in.
                    tracing::warn!(currency = %b.currency, "stripe: a balance transaction not in pesos; the fee is estimated");
                    FeeSchedule::STRIPE_MEXICO
                        .fee(Money::mxn(intent.amount_received))
                        .centavos()
                },
            },
            // Stripe makes the balance transaction, which says its fee, a little
            // after the payment at times (`charge.updated` says when): until then
            // the payment is not settled, so that no fee is booked but Stripe's.
            None => ProviderState::Processing,
        },
        S::Canceled => ProviderState::Canceled,
        S::Processing | S::RequiresCapture => ProviderState::Processing,
        S::RequiresAction => ProviderState::NeedsAction {
            voucher: intent
                .next_action
                .as_ref()
                .and_then(|a| a.oxxo_display_details.as_ref())
                .and_then(|d| {
                    Some(Voucher {
                        number: d.number.clone()?,
                        expires_at: Utc.timestamp_opt(d.expires_after?, 0).single()?,
                        url: d.hosted_voucher_url.clone(),
                    })
                }),
        },
        // Needs a method again, or a state this code does not know: nothing is paid.
        _ => ProviderState::NeedsMethod {
            last_error: intent.last_payment_error.as_ref().map(|e| {
                e.decline_code
                    .clone()
                    .or_else(|| e.code.as_ref().map(|c| c.to_string()))
                    .unwrap_or_else(|| e.message.clone().unwrap_or_else(|| "failed".into()))
            }),
        },
    }
}

/// The balance transaction of the charge that paid `intent`, which says Stripe's fee
/// (when the answer expanded it and Stripe has made it).
fn balance_of(intent: &PaymentIntent) -> Option<&stripe_shared::BalanceTransaction> {
    let charge = intent.latest_charge.as_ref()?.as_object()?;
    charge.balance_transaction.as_ref()?.as_object()
}
