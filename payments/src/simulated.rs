//! The simulated provider: the embedded default when no Stripe key is set, so that
//! `make run` shows every payment path. It keeps its payments in its own table and
//! behaves like a PaymentIntent: `requires_payment_method` until the payer chooses on
//! the clearly labelled test page, then `succeeded`, back to `requires_payment_method`
//! with an error (a declined card, an expired voucher), or `requires_action` with an
//! OXXO voucher until it is paid. The page's choices reach the order through the same
//! settle step as Stripe's webhooks.

use crate::provider::{Intent, NewIntent, OxxoPayer, ProviderError, RefundDone};
use chrono::Duration;
use domain::Money;
use domain::commerce::payment::{ProviderState, Voucher};
use sea_orm::DatabaseConnection;
use store::commerce::simulated_payments::{self as book, SimulatedRow};

/// What the test payment page offers the payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    CardSucceeds,
    CardDeclined,
    /// An OXXO voucher is issued; the page can pay it later.
    OxxoPaidLater,
    /// An OXXO voucher is issued and runs out unpaid.
    VoucherExpires,
    /// The voucher issued before is paid at the store.
    PayVoucher,
}

impl Choice {
    pub fn code(self) -> &'static str {
        match self {
            Choice::CardSucceeds => "card_succeeds",
            Choice::CardDeclined => "card_declined",
            Choice::OxxoPaidLater => "oxxo_paid_later",
            Choice::VoucherExpires => "voucher_expires",
            Choice::PayVoucher => "pay_voucher",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            Choice::CardSucceeds,
            Choice::CardDeclined,
            Choice::OxxoPaidLater,
            Choice::VoucherExpires,
            Choice::PayVoucher,
        ]
        .into_iter()
        .find(|c| c.code() == code)
    }
}

const NEEDS_METHOD: &str = "requires_payment_method";
const NEEDS_ACTION: &str = "requires_action";
const SUCCEEDED: &str = "succeeded";
const CANCELED: &str = "canceled";

#[derive(Clone)]
pub struct Simulated {
    db: DatabaseConnection,
    /// Days an OXXO voucher is valid, as configured for Stripe.
    oxxo_days: u32,
}

fn store_error(e: store::StoreError) -> ProviderError {
    ProviderError::Unavailable(e.to_string())
}

fn state_of(row: &SimulatedRow) -> ProviderState {
    match row.status.as_str() {
        // The simulated provider charges what Stripe would.
        SUCCEEDED => ProviderState::succeeded(row.amount_centavos),
        CANCELED => ProviderState::Canceled,
        NEEDS_ACTION => ProviderState::NeedsAction {
            voucher: match (&row.voucher_number, row.voucher_expires_at) {
                (Some(number), Some(at)) => Some(Voucher {
                    number: number.clone(),
                    expires_at: domain::clock::instant_of_site_time(at),
                    url: None,
                }),
                _ => None,
            },
        },
        _ => ProviderState::NeedsMethod {
            last_error: row.last_error.clone(),
        },
    }
}

impl Simulated {
    pub fn new(db: DatabaseConnection, oxxo_days: u32) -> Self {
        Simulated { db, oxxo_days }
    }

    async fn row(&self, provider_ref: &str) -> Result<SimulatedRow, ProviderError> {
        book::get(&self.db, provider_ref)
            .await
            .map_err(store_error)?
            .ok_or(ProviderError::NotFound)
    }

    /// Writes `row` as payment `provider_ref`'s state if it is in one of `from`;
    /// whether it was.
    async fn save(
        &self,
        provider_ref: &str,
        from: &[&str],
        row: &SimulatedRow,
    ) -> Result<bool, ProviderError> {
        book::set(
            &self.db,
            provider_ref,
            from,
            row,
            domain::clock::now().on_site(),
        )
        .await
        .map_err(store_error)
    }

    pub async fn create(&self, new: &NewIntent<'_>) -> Result<Intent, ProviderError> {
        let id = format!("sim_pi_{}", new.order_code.replace('-', "").to_lowercase());
        let row = book::create(
            &self.db,
            &id,
            new.amount.centavos(),
            new.idempotency_key,
            domain::clock::now().on_site(),
        )
        .await
        .map_err(store_error)?;
        Ok(Intent {
            provider_ref: row.id.clone(),
            client_secret: None,
            state: state_of(&row),
        })
    }

    pub async fn retrieve(&self, provider_ref: &str) -> Result<ProviderState, ProviderError> {
        Ok(state_of(&self.row(provider_ref).await?))
    }

    pub async fn pay_with_oxxo(
        &self,
        provider_ref: &str,
        payer: &OxxoPayer<'_>,
    ) -> Result<ProviderState, ProviderError> {
        self.issue_voucher(provider_ref, payer.days).await
    }

    async fn issue_voucher(
        &self,
        provider_ref: &str,
        days: u32,
    ) -> Result<ProviderState, ProviderError> {
        let mut row = self.row(provider_ref).await?;
        if row.status == NEEDS_ACTION || row.status == SUCCEEDED {
            return Ok(state_of(&row));
        }
        row.status = NEEDS_ACTION.to_owned();
        row.method = Some("oxxo".to_owned());
        row.last_error = None;
        // A voucher number looks like OXXO's: 14 digits, made from the payment's id.
        let digits: String = provider_ref
            .bytes()
            .map(|b| char::from(b'0' + b % 10))
            .rev()
            .take(14)
            .collect();
        row.voucher_number = Some(digits);
        row.voucher_expires_at =
            Some((domain::clock::now().on_site() + Duration::days(i64::from(days))).naive());
        self.save(provider_ref, &[NEEDS_METHOD], &row).await?;
        self.retrieve(provider_ref).await
    }

    pub async fn cancel(&self, provider_ref: &str) -> Result<ProviderState, ProviderError> {
        let mut row = self.row(provider_ref).await?;
        if row.status == SUCCEEDED {
            return Err(ProviderError::Refused {
                code: "payment_intent_unexpected_state".into(),
                message: "This PaymentIntent has already succeeded.".into(),
            });
        }
        row.status = CANCELED.to_owned();
        self.save(provider_ref, &[NEEDS_METHOD, NEEDS_ACTION], &row)
            .await?;
        self.retrieve(provider_ref).await
    }

    /// A new amount, as Stripe allows it: only before a voucher is issued or the
    /// payment made.
    pub async fn set_amount(&self, provider_ref: &str, amount: Money) -> Result<(), ProviderError> {
        let mut row = self.row(provider_ref).await?;
        row.amount_centavos = amount.centavos();
        let changed = self.save(provider_ref, &[NEEDS_METHOD], &row).await?;
        if !changed {
            return Err(ProviderError::Refused {
                code: "payment_intent_unexpected_state".into(),
                message: format!("the payment is {}", row.status),
            });
        }
        Ok(())
    }

    pub async fn refund(
        &self,
        provider_ref: &str,
        amount: Money,
        idempotency_key: &str,
    ) -> Result<RefundDone, ProviderError> {
        let row = self.row(provider_ref).await?;
        if row.method.as_deref() == Some("oxxo") {
            return Err(ProviderError::Refused {
                code: "charge_not_refundable".into(),
                message: "OXXO payments cannot be refunded.".into(),
            });
        }
        let accepted = book::refund(&self.db, provider_ref, amount.centavos(), idempotency_key)
            .await
            .map_err(store_error)?;
        Ok(RefundDone {
            provider_ref: format!(
                "sim_re_{}",
                idempotency_key.trim_start_matches("tianguis-refund-")
            ),
            accepted,
        })
    }

    /// The payer's choice on the test payment page; the payment's new state. A payment
    /// that succeeded or was cancelled does not move again.
    pub async fn simulate(
        &self,
        provider_ref: &str,
        choice: Choice,
    ) -> Result<ProviderState, ProviderError> {
        let mut row = self.row(provider_ref).await?;
        let from: &[&str] = match choice {
            Choice::CardSucceeds | Choice::CardDeclined => &[NEEDS_METHOD],
            Choice::OxxoPaidLater => return self.issue_voucher(provider_ref, self.oxxo_days).await,
            Choice::VoucherExpires | Choice::PayVoucher => &[NEEDS_METHOD, NEEDS_ACTION],
        };
        if choice == Choice::VoucherExpires && row.status == NEEDS_METHOD {
            self.issue_voucher(provider_ref, self.oxxo_days).await?;
            row = self.row(provider_ref).await?;
        }
        match choice {
            Choice::CardSucceeds => {
                row.status = SUCCEEDED.to_owned();
                row.method = Some("card".to_owned());
                row.last_error = None;
            }
            Choice::CardDeclined => {
                row.method = Some("card".to_owned());
                row.last_error = Some("card_declined".to_owned());
            }
            Choice::PayVoucher if row.status == NEEDS_ACTION => {
                row.status = SUCCEEDED.to_owned();
            }
            Choice::VoucherExpires if row.status == NEEDS_ACTION => {
                // As Stripe does: the voucher's time is over, the payment needs a
                // method again.
                row.status = NEEDS_METHOD.to_owned();
                row.last_error = Some("voucher_expired".to_owned());
                row.voucher_expires_at =
                    Some((domain::clock::now().on_site() - Duration::seconds(1)).naive());
            }
            _ => return Ok(state_of(&row)),
        }
        book::set(
            &self.db,
            provider_ref,
            from,
            &row,
            domain::clock::now().on_site(),
        )
        .await
        .map_err(store_error)?;
        self.retrieve(provider_ref).await
    }
}
