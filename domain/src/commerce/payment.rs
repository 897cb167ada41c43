//! Payments as Tianguis sees them, whoever the provider is: one payment per order (a
//! Stripe PaymentIntent, or its simulated twin), paid by card or by an OXXO cash
//! voucher, and what an order does when we learn the payment's state.
//!
//! We never trust the order in which news arrives (webhooks come late, twice, or out
//! of order): every piece of news is answered by reading the payment's *current*
//! state from the provider and calling [`decide`] with it.

use crate::commerce::order::OrderStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PaymentMethod {
    Card,
    /// Cash at an OXXO store, with a voucher that expires.
    Oxxo,
}

impl PaymentMethod {
    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Oxxo => "oxxo",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "card" => Some(PaymentMethod::Card),
            "oxxo" => Some(PaymentMethod::Oxxo),
            _ => None,
        }
    }
}

/// An OXXO voucher: the number the cashier types, and until when it can be paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Voucher {
    pub number: String,
    pub expires_at: DateTime<Utc>,
    /// The provider's printable voucher page, if it has one.
    pub url: Option<String>,
}

/// A payment's state at the provider, as read just now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderState {
    /// Nothing tried yet, or the last try failed (a declined card, an expired
    /// voucher): `last_error` says why.
    NeedsMethod {
        last_error: Option<String>,
    },
    /// Waiting on the payer: an OXXO voucher to pay in cash.
    NeedsAction {
        voucher: Option<Voucher>,
    },
    Processing,
    Succeeded {
        received_centavos: i64,
        /// The currency of `received_centavos`, as the provider names it ("MXN").
        currency: String,
        /// What the provider kept as its fee: Stripe's balance transaction says it;
        /// the simulated provider charges Stripe's published price.
        fee_centavos: i64,
    },
    Canceled,
}

impl ProviderState {
    /// Paid, `received_centavos` arrived; the fee is Stripe's published Mexican price
    /// (what the simulated provider charges; Stripe's own fee is read from its
    /// balance transaction).
    pub fn succeeded(received_centavos: i64) -> ProviderState {
        ProviderState::Succeeded {
            received_centavos,
            currency: crate::money::Currency::Mxn.code().to_owned(),
            fee_centavos: crate::money::split::FeeSchedule::STRIPE_MEXICO
                .fee(crate::Money::mxn(received_centavos))
                .centavos(),
        }
    }

    /// Money arrived that is neither the order's `total` nor what the provider was
    /// `asked` when that was more (bookings withdrawn after a voucher was printed
    /// with its sum): it pays nothing, and all of it goes back.
    pub fn is_not_due(&self, total: crate::Money, asked: crate::Money) -> bool {
        let asked_more = asked.centavos() > total.centavos();
        self.is_not(total) && (!asked_more || self.is_not(asked))
    }

    /// Money arrived, but not `total`: another sum, or another currency.
    pub fn is_not(&self, total: crate::Money) -> bool {
        match self {
            ProviderState::Succeeded {
                received_centavos,
                currency,
                ..
            } => {
                *received_centavos != total.centavos()
                    || !currency.eq_ignore_ascii_case(total.currency().code())
            }
            _ => false,
        }
    }

    /// As `payment.status` records it.
    pub fn code(&self) -> &'static str {
        match self {
            ProviderState::NeedsMethod { .. } => "requires_payment_method",
            ProviderState::NeedsAction { .. } => "requires_action",
            ProviderState::Processing => "processing",
            ProviderState::Succeeded { .. } => "succeeded",
            ProviderState::Canceled => "canceled",
        }
    }
}

/// How long after a voucher's expiry the order still waits: a cash payment made at
/// the last minute reaches the provider up to a business day later, and the provider
/// says so by moving the payment on (paid, or back to needing a method).
pub const VOUCHER_GRACE_HOURS: i64 = 24;

/// Days an OXXO voucher may run for an order whose first booking starts at
/// `first_start` (local time; `None`: nothing booked): the `configured` days, fewer when
/// it starts soon, zero (no OXXO) when a voucher could not be paid and known — with its
/// day of grace and a day to spare — before then.
pub fn voucher_days(
    configured: u32,
    first_start: Option<chrono::NaiveDateTime>,
    now: chrono::NaiveDateTime,
) -> u32 {
    let Some(start) = first_start else {
        return configured;
    };
    let room = (start - now).num_hours() / 24 - VOUCHER_GRACE_HOURS / 24 - 1;
    u32::try_from(room.clamp(0, i64::from(configured))).unwrap_or(0)
}

/// What the order does about the payment's current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Nothing,
    MarkPaid,
    /// A voucher was issued: show it, and keep the goods until it expires.
    KeepForVoucher(Voucher),
    /// A try failed but the payer may try again before the deadline.
    RecordFailure(String),
    /// The deadline is over and the money did not come: cancel the payment at the
    /// provider first (so none can arrive later), then let the goods go.
    CancelThenExpire,
    /// The provider cancelled it: let the goods go.
    Expire,
    /// Money came for an order that had already let its goods go (or was paid
    /// another way): it goes back in full.
    RefundLatePayment,
    /// Money came for a waiting order, but not its total (another sum, or another
    /// currency): the order is not paid. Its goods go back, all that came is refunded,
    /// and the payment is flagged for the platform admin (`WRONG_AMOUNT`).
    RefundWrongAmount,
    /// Money came for a waiting order whose bookings were (some of them) cancelled
    /// before it was paid, after the provider had been asked for more (an OXXO voucher
    /// is printed with its sum): the order is paid, and what came for the cancelled
    /// bookings goes back in full.
    MarkPaidRefundingWithdrawn(crate::Money),
}

impl Decision {
    /// Whether the order is paid by it.
    pub fn pays(&self) -> bool {
        matches!(
            self,
            Decision::MarkPaid | Decision::MarkPaidRefundingWithdrawn(_)
        )
    }
}

/// `payment.status` of a payment whose money did not match its order's total: kept
/// whatever the provider says later, so the platform admin sees it until looked into.
pub const WRONG_AMOUNT: &str = "wrong_amount";

/// The one rule for news about a payment: the order's status and `total`, what the
/// provider was asked for (`asked`: the total, or more when bookings were cancelled
/// after a voucher was printed), whether its deadline is over, and the payment's
/// current state at the provider. An order is paid only by its total, or by what was
/// asked (the rest going back), in its currency.
pub fn decide(
    order: OrderStatus,
    total: crate::Money,
    asked: crate::Money,
    deadline_over: bool,
    state: &ProviderState,
) -> Decision {
    use ProviderState as P;
    let waiting = order == OrderStatus::AwaitingPayment;
    match state {
        P::Succeeded { .. } if waiting && state.is_not_due(total, asked) => {
            Decision::RefundWrongAmount
        }
        P::Succeeded { .. } if waiting && state.is_not(total) => {
            // What was asked, more than the total: the rest goes back.
            Decision::MarkPaidRefundingWithdrawn(asked.checked_sub(total).unwrap_or(asked))
        }
        P::Succeeded { .. } if waiting => Decision::MarkPaid,
        P::Succeeded { .. } if !order.holds_goods() => Decision::RefundLatePayment,
        P::Succeeded { .. } => Decision::Nothing,
        _ if !waiting => Decision::Nothing,
        P::Canceled => Decision::Expire,
        P::Processing => Decision::Nothing,
        _ if deadline_over => Decision::CancelThenExpire,
        P::NeedsAction { voucher: Some(v) } => Decision::KeepForVoucher(v.clone()),
        P::NeedsAction { voucher: None } => Decision::Nothing,
        P::NeedsMethod {
            last_error: Some(why),
        } => Decision::RecordFailure(why.clone()),
        P::NeedsMethod { last_error: None } => Decision::Nothing,
    }
}

/// A refund's life: asked of the provider, then done or failed; an OXXO payment
/// cannot be refunded by Stripe, so its refund is owed and settled by a bank transfer
/// whose reference is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefundStatus {
    Pending,
    Succeeded,
    Failed,
    OwedManually,
    SettledManually,
}

impl RefundStatus {
    pub fn code(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
            RefundStatus::OwedManually => "owed",
            RefundStatus::SettledManually => "settled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            RefundStatus::Pending,
            RefundStatus::Succeeded,
            RefundStatus::Failed,
            RefundStatus::OwedManually,
            RefundStatus::SettledManually,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Whether the money is gone back, or on its way (counts against what is left).
    pub fn counts(self) -> bool {
        !matches!(self, RefundStatus::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn voucher() -> Voucher {
        Voucher {
            number: "93000262".into(),
            expires_at: Utc.with_ymd_and_hms(2026, 12, 5, 5, 59, 0).unwrap(),
            url: None,
        }
    }

    const WAITING: OrderStatus = OrderStatus::AwaitingPayment;
    const TOTAL: crate::Money = crate::Money::mxn(100);

    #[test]
    fn money_arriving_pays_a_waiting_order_once() {
        let ok = ProviderState::Succeeded {
            received_centavos: 100,
            currency: "MXN".into(),
            fee_centavos: 4,
        };
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, false, &ok),
            Decision::MarkPaid
        );
        assert_eq!(decide(WAITING, TOTAL, TOTAL, true, &ok), Decision::MarkPaid);
        assert_eq!(
            decide(OrderStatus::Paid, TOTAL, TOTAL, false, &ok),
            Decision::Nothing
        );
        assert_eq!(
            decide(OrderStatus::Refunded, TOTAL, TOTAL, false, &ok),
            Decision::Nothing
        );
    }

    #[test]
    fn another_sum_or_currency_never_pays_an_order_and_goes_back() {
        let paid = |centavos: i64, currency: &str| ProviderState::Succeeded {
            received_centavos: centavos,
            currency: currency.into(),
            fee_centavos: 4,
        };
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, false, &paid(100, "mxn")),
            Decision::MarkPaid
        );
        for wrong in [
            paid(99, "MXN"),
            paid(101, "MXN"),
            paid(100, "USD"),
            paid(0, "MXN"),
        ] {
            assert!(wrong.is_not(TOTAL));
            assert_eq!(
                decide(WAITING, TOTAL, TOTAL, false, &wrong),
                Decision::RefundWrongAmount,
                "{wrong:?}"
            );
            assert_eq!(
                decide(OrderStatus::Paid, TOTAL, TOTAL, false, &wrong),
                Decision::Nothing
            );
        }
        assert!(!ProviderState::Processing.is_not(TOTAL));
    }

    #[test]
    fn a_voucher_paid_for_bookings_cancelled_since_pays_the_rest_and_gives_the_difference_back() {
        let asked = crate::Money::mxn(160);
        let paid = ProviderState::succeeded(160);
        assert_eq!(
            decide(WAITING, TOTAL, asked, false, &paid),
            Decision::MarkPaidRefundingWithdrawn(crate::Money::mxn(60))
        );
        // Only what was asked, or the total itself, pays it.
        assert_eq!(
            decide(WAITING, TOTAL, asked, false, &ProviderState::succeeded(100)),
            Decision::MarkPaid
        );
        assert_eq!(
            decide(WAITING, TOTAL, asked, false, &ProviderState::succeeded(130)),
            Decision::RefundWrongAmount
        );
        // Late, it all goes back as any late payment.
        assert_eq!(
            decide(OrderStatus::Cancelled, TOTAL, asked, false, &paid),
            Decision::RefundLatePayment
        );
    }

    #[test]
    fn money_arriving_after_the_goods_went_back_is_refunded() {
        let ok = ProviderState::Succeeded {
            received_centavos: 100,
            currency: "MXN".into(),
            fee_centavos: 4,
        };
        assert_eq!(
            decide(OrderStatus::Expired, TOTAL, TOTAL, true, &ok),
            Decision::RefundLatePayment
        );
        assert_eq!(
            decide(OrderStatus::Cancelled, TOTAL, TOTAL, false, &ok),
            Decision::RefundLatePayment
        );
    }

    #[test]
    fn old_news_about_a_paid_order_changes_nothing() {
        // succeeded arrived first; requires_action comes after: read state wins.
        let action = ProviderState::NeedsAction {
            voucher: Some(voucher()),
        };
        assert_eq!(
            decide(OrderStatus::Paid, TOTAL, TOTAL, false, &action),
            Decision::Nothing
        );
        assert_eq!(
            decide(
                OrderStatus::Paid,
                TOTAL,
                TOTAL,
                true,
                &ProviderState::Canceled
            ),
            Decision::Nothing
        );
    }

    #[test]
    fn a_voucher_keeps_the_goods_and_a_decline_may_be_tried_again() {
        let action = ProviderState::NeedsAction {
            voucher: Some(voucher()),
        };
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, false, &action),
            Decision::KeepForVoucher(voucher())
        );
        let declined = ProviderState::NeedsMethod {
            last_error: Some("card_declined".into()),
        };
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, false, &declined),
            Decision::RecordFailure("card_declined".into())
        );
    }

    #[test]
    fn past_the_deadline_an_unpaid_payment_is_cancelled_before_the_goods_go() {
        for state in [
            ProviderState::NeedsMethod { last_error: None },
            ProviderState::NeedsAction {
                voucher: Some(voucher()),
            },
        ] {
            assert_eq!(
                decide(WAITING, TOTAL, TOTAL, true, &state),
                Decision::CancelThenExpire
            );
        }
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, false, &ProviderState::Canceled),
            Decision::Expire
        );
        // Money in flight is waited for, even past the deadline.
        assert_eq!(
            decide(WAITING, TOTAL, TOTAL, true, &ProviderState::Processing),
            Decision::Nothing
        );
    }

    #[test]
    fn a_voucher_never_runs_past_a_booking_soon_to_start() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let in_days = |d| Some(now + chrono::Duration::days(d));
        assert_eq!(voucher_days(2, None, now), 2);
        assert_eq!(voucher_days(2, in_days(30), now), 2);
        assert_eq!(voucher_days(2, in_days(3), now), 1);
        assert_eq!(voucher_days(2, in_days(2), now), 0);
        assert_eq!(voucher_days(3, in_days(1), now), 0);
    }

    #[test]
    fn a_failed_refund_does_not_count_against_what_is_left() {
        assert!(RefundStatus::OwedManually.counts());
        assert!(!RefundStatus::Failed.counts());
        assert_eq!(
            RefundStatus::parse("owed"),
            Some(RefundStatus::OwedManually)
        );
    }
}
