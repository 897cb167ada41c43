//! An order: what a visitor pays for at once (crafts from several cooperatives, and
//! tour and event bookings), split into one part per cooperative. The order follows
//! the money; each part follows its goods.
//!
//! ```text
//! order:   awaiting payment ──pay──▶ paid ──refund some──▶ partly refunded
//!              │  │                   │                        │
//!              │  └─cancel─▶ cancelled└──────refund all───────▶ refunded
//!              └──expire (deadline over, provider says unpaid)─▶ expired
//!
//! part:    awaiting payment ──pay──▶ paid ──prepare──▶ preparing
//!              │ expire / cancel       │ ship / ready     │ ship / ready
//!              ▼                       ▼                  ▼
//!          expired, cancelled     shipped (carrier, tracking) / ready for pickup
//!                                      │ deliver
//!                                      ▼
//!          paid … delivered ──refund all──▶ refunded          delivered
//! ```
//! Every move is an [`OrderAction`] or a [`PartAction`], checked here and recorded by
//! the store with its time and who made it. The bookings inside an order keep their
//! own states ([`crate::booking`]): paying confirms them, expiring lets them go.

use crate::Money;
use serde::{Deserialize, Serialize};

/// Orders are told by a code of the same shape as a booking's (`7K4M-P2QX`).
pub type OrderCode = crate::booking::code::BookingCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    PartlyRefunded,
    Refunded,
    /// Its payment never came before the deadline; stock and places went back.
    Expired,
    /// Given up by the buyer before paying.
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderAction {
    Pay,
    Expire,
    Cancel,
    /// Some money went back, not all.
    RefundSome,
    RefundAll,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an order that is {from:?} cannot be {action:?}")]
pub struct OrderMoveError {
    pub from: OrderStatus,
    pub action: OrderAction,
}

/// The states an order and its parts can be in, with the codes the database keeps.
macro_rules! codes {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            pub fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($ty::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use codes;

codes!(OrderStatus {
    AwaitingPayment => "awaiting_payment",
    Paid => "paid",
    PartlyRefunded => "partly_refunded",
    Refunded => "refunded",
    Expired => "expired",
    Cancelled => "cancelled",
});

codes!(OrderAction {
    Pay => "pay",
    Expire => "expire",
    Cancel => "cancel",
    RefundSome => "refund_some",
    RefundAll => "refund_all",
});

impl OrderStatus {
    /// Whether the order's stock and places are taken (waiting for its money, or sold).
    pub fn holds_goods(self) -> bool {
        !matches!(self, OrderStatus::Expired | OrderStatus::Cancelled)
    }

    /// Whether money was received for it.
    pub fn was_paid(self) -> bool {
        matches!(
            self,
            OrderStatus::Paid | OrderStatus::PartlyRefunded | OrderStatus::Refunded
        )
    }

    pub fn after(self, action: OrderAction) -> Result<OrderStatus, OrderMoveError> {
        use OrderAction as A;
        use OrderStatus as S;
        let to = match (self, action) {
            (S::AwaitingPayment, A::Pay) => S::Paid,
            (S::AwaitingPayment, A::Expire) => S::Expired,
            (S::AwaitingPayment, A::Cancel) => S::Cancelled,
            (S::Paid | S::PartlyRefunded, A::RefundSome) => S::PartlyRefunded,
            (S::Paid | S::PartlyRefunded, A::RefundAll) => S::Refunded,
            (from, action) => return Err(OrderMoveError { from, action }),
        };
        Ok(to)
    }
}

/// How a cooperative's part reaches the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Delivery {
    /// Sent to the order's address.
    Ship,
    /// Collected at the cooperative.
    Pickup,
    /// Nothing to deliver: only tour or event bookings.
    None,
}

codes!(Delivery {
    Ship => "ship",
    Pickup => "pickup",
    None => "none",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartStatus {
    AwaitingPayment,
    Paid,
    Preparing,
    Shipped,
    ReadyForPickup,
    Delivered,
    Refunded,
    Expired,
    Cancelled,
}

codes!(PartStatus {
    AwaitingPayment => "awaiting_payment",
    Paid => "paid",
    Preparing => "preparing",
    Shipped => "shipped",
    ReadyForPickup => "ready_for_pickup",
    Delivered => "delivered",
    Refunded => "refunded",
    Expired => "expired",
    Cancelled => "cancelled",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartAction {
    Pay,
    Expire,
    Cancel,
    Prepare,
    /// Handed to a carrier (the store records which, and the tracking number).
    Ship,
    ReadyForPickup,
    Deliver,
    /// All of the part's money went back.
    RefundAll,
}

codes!(PartAction {
    Pay => "pay",
    Expire => "expire",
    Cancel => "cancel",
    Prepare => "prepare",
    Ship => "ship",
    ReadyForPickup => "ready_for_pickup",
    Deliver => "deliver",
    RefundAll => "refund_all",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PartMoveError {
    #[error("a part that is {from:?} cannot be {action:?}")]
    NotFrom {
        from: PartStatus,
        action: PartAction,
    },
    /// Shipping a part the buyer collects, or the other way round.
    #[error("a part for {delivery:?} cannot be {action:?}")]
    WrongDelivery {
        delivery: Delivery,
        action: PartAction,
    },
}

impl PartStatus {
    /// The state `action` leads to for a part delivered by `delivery`.
    pub fn after(
        self,
        action: PartAction,
        delivery: Delivery,
    ) -> Result<PartStatus, PartMoveError> {
        use PartAction as A;
        use PartStatus as S;
        let wrong = || Err(PartMoveError::WrongDelivery { delivery, action });
        match (action, delivery) {
            (A::Ship, Delivery::Pickup | Delivery::None)
            | (A::ReadyForPickup, Delivery::Ship | Delivery::None)
            | (A::Prepare | A::Deliver, Delivery::None) => return wrong(),
            _ => {}
        }
        let to = match (self, action) {
            (S::AwaitingPayment, A::Pay) => S::Paid,
            (S::AwaitingPayment, A::Expire) => S::Expired,
            (S::AwaitingPayment, A::Cancel) => S::Cancelled,
            (S::Paid, A::Prepare) => S::Preparing,
            (S::Paid | S::Preparing, A::Ship) => S::Shipped,
            (S::Paid | S::Preparing, A::ReadyForPickup) => S::ReadyForPickup,
            (S::Shipped | S::ReadyForPickup, A::Deliver) => S::Delivered,
            (
                S::Paid | S::Preparing | S::Shipped | S::ReadyForPickup | S::Delivered,
                A::RefundAll,
            ) => S::Refunded,
            (from, action) => return Err(PartMoveError::NotFrom { from, action }),
        };
        Ok(to)
    }

    /// The moves a cooperative can make next on a part, for its buttons.
    pub fn next_fulfilment(self, delivery: Delivery) -> Vec<PartAction> {
        [
            PartAction::Prepare,
            PartAction::Ship,
            PartAction::ReadyForPickup,
            PartAction::Deliver,
        ]
        .into_iter()
        .filter(|a| self.after(*a, delivery).is_ok())
        .collect()
    }
}

/// What one cooperative's part costs: its goods and its shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartTotal {
    pub goods: Money,
    pub shipping: Money,
}

impl PartTotal {
    pub fn total(self) -> Option<Money> {
        self.goods.checked_add(self.shipping)
    }
}

/// How much of `paid` may still be refunded after `refunded` went back, and whether a
/// refund of `asked` would leave nothing (a full refund) — `None` if it is more than
/// what is left or not positive.
pub fn refund_leaves(paid: Money, refunded: Money, asked: Money) -> Option<Money> {
    let left = paid.checked_sub(refunded)?;
    (asked.centavos() > 0 && asked.centavos() <= left.centavos())
        .then(|| left.checked_sub(asked))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_paid_once_and_refunded_at_most_all() {
        let paid = OrderStatus::AwaitingPayment
            .after(OrderAction::Pay)
            .unwrap();
        assert_eq!(paid, OrderStatus::Paid);
        assert!(paid.after(OrderAction::Pay).is_err());
        let some = paid.after(OrderAction::RefundSome).unwrap();
        assert_eq!(
            some.after(OrderAction::RefundSome),
            Ok(OrderStatus::PartlyRefunded)
        );
        let all = some.after(OrderAction::RefundAll).unwrap();
        assert_eq!(all, OrderStatus::Refunded);
        assert!(all.after(OrderAction::RefundSome).is_err());
    }

    #[test]
    fn an_unpaid_order_expires_or_is_cancelled_and_then_nothing_more() {
        for (action, end) in [
            (OrderAction::Expire, OrderStatus::Expired),
            (OrderAction::Cancel, OrderStatus::Cancelled),
        ] {
            let to = OrderStatus::AwaitingPayment.after(action).unwrap();
            assert_eq!(to, end);
            assert!(!to.holds_goods());
            for next in [
                OrderAction::Pay,
                OrderAction::RefundAll,
                OrderAction::Expire,
            ] {
                assert!(to.after(next).is_err(), "{to:?} then {next:?}");
            }
        }
        assert!(OrderStatus::Paid.after(OrderAction::Expire).is_err());
    }

    #[test]
    fn codes_read_back() {
        for s in [
            OrderStatus::AwaitingPayment,
            OrderStatus::PartlyRefunded,
            OrderStatus::Expired,
        ] {
            assert_eq!(OrderStatus::parse(s.code()), Some(s));
        }
        assert_eq!(
            PartStatus::parse("ready_for_pickup"),
            Some(PartStatus::ReadyForPickup)
        );
        assert_eq!(Delivery::parse("ship"), Some(Delivery::Ship));
        assert_eq!(PartStatus::parse("lost"), None);
    }

    #[test]
    fn a_shipped_part_goes_paid_preparing_shipped_delivered() {
        let d = Delivery::Ship;
        let mut s = PartStatus::AwaitingPayment;
        for a in [
            PartAction::Pay,
            PartAction::Prepare,
            PartAction::Ship,
            PartAction::Deliver,
        ] {
            s = s.after(a, d).unwrap();
        }
        assert_eq!(s, PartStatus::Delivered);
        assert_eq!(s.after(PartAction::RefundAll, d), Ok(PartStatus::Refunded));
    }

    #[test]
    fn a_pickup_is_never_shipped_and_a_shipment_never_waits_for_pickup() {
        assert_eq!(
            PartStatus::Paid.after(PartAction::Ship, Delivery::Pickup),
            Err(PartMoveError::WrongDelivery {
                delivery: Delivery::Pickup,
                action: PartAction::Ship
            })
        );
        assert!(
            PartStatus::Paid
                .after(PartAction::ReadyForPickup, Delivery::Ship)
                .is_err()
        );
        assert_eq!(
            PartStatus::Preparing.after(PartAction::ReadyForPickup, Delivery::Pickup),
            Ok(PartStatus::ReadyForPickup)
        );
        assert!(
            PartStatus::Paid
                .after(PartAction::Prepare, Delivery::None)
                .is_err()
        );
    }

    #[test]
    fn an_unpaid_part_cannot_be_fulfilled() {
        for a in [PartAction::Prepare, PartAction::Ship, PartAction::Deliver] {
            assert!(
                PartStatus::AwaitingPayment
                    .after(a, Delivery::Ship)
                    .is_err()
            );
        }
        assert!(
            PartStatus::Expired
                .after(PartAction::RefundAll, Delivery::Ship)
                .is_err()
        );
    }

    #[test]
    fn the_next_buttons_follow_the_part() {
        assert_eq!(
            PartStatus::Paid.next_fulfilment(Delivery::Ship),
            vec![PartAction::Prepare, PartAction::Ship]
        );
        assert_eq!(
            PartStatus::Preparing.next_fulfilment(Delivery::Pickup),
            vec![PartAction::ReadyForPickup]
        );
        assert_eq!(
            PartStatus::Shipped.next_fulfilment(Delivery::Ship),
            vec![PartAction::Deliver]
        );
        assert!(PartStatus::Paid.next_fulfilment(Delivery::None).is_empty());
    }

    #[test]
    fn a_refund_is_never_more_than_what_is_left() {
        let paid = Money::mxn(1_000_00);
        assert_eq!(
            refund_leaves(paid, Money::mxn(0), Money::mxn(400_00)),
            Some(Money::mxn(600_00))
        );
        assert_eq!(
            refund_leaves(paid, Money::mxn(400_00), Money::mxn(600_00)),
            Some(Money::mxn(0))
        );
        assert_eq!(
            refund_leaves(paid, Money::mxn(400_00), Money::mxn(600_01)),
            None
        );
        assert_eq!(refund_leaves(paid, Money::mxn(0), Money::mxn(0)), None);
        assert_eq!(refund_leaves(paid, Money::mxn(0), Money::mxn(-1)), None);
    }
}
