//! An order as its buyer and its cooperatives see it.

use crate::Money;
use crate::booking::code::BookingCode;
use crate::commerce::checkout_form::Address;
use crate::commerce::order::{Delivery, OrderCode, OrderStatus, PartAction, PartStatus};
use crate::commerce::payment::{PaymentMethod, RefundStatus, Voucher};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub title: String,
    pub quantity: u32,
    pub total: Money,
    /// A tour or event booking's code (its own page shows the QR code).
    pub booking: Option<BookingCode>,
    /// A booking's when and where.
    pub visit: Option<crate::booking::view::Visit>,
    /// Its booking was cancelled before the order was paid: no longer charged.
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartView {
    pub id: i32,
    pub cooperative_id: i32,
    pub cooperative: String,
    pub status: PartStatus,
    pub delivery: Delivery,
    pub lines: Vec<OrderLineView>,
    pub goods: Money,
    pub shipping: Money,
    pub refunded: Money,
    pub carrier: Option<String>,
    pub tracking: Option<String>,
}

impl PartView {
    pub fn total(&self) -> Money {
        self.goods.checked_add(self.shipping).unwrap_or(self.goods)
    }

    /// The fulfilment buttons a cooperative sees for this part.
    pub fn next_fulfilment(&self) -> Vec<PartAction> {
        self.status.next_fulfilment(self.delivery)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    pub id: i32,
    /// `stripe` or `simulated`.
    pub provider: String,
    pub method: Option<PaymentMethod>,
    /// As last read from the provider (`requires_payment_method`, `succeeded`…), or
    /// `creating` until it answered.
    pub status: String,
    pub last_error: Option<String>,
    pub voucher: Option<Voucher>,
    /// For Stripe.js to confirm a card payment in the browser.
    pub client_secret: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub id: i32,
    pub amount: Money,
    pub status: RefundStatus,
    pub reason: String,
    /// The bank transfer that settled an owed refund.
    pub manual_reference: Option<String>,
    pub part_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub at: NaiveDateTime,
    pub part_id: Option<i32>,
    pub action: String,
    pub to: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub code: OrderCode,
    pub status: OrderStatus,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub address: Option<Address>,
    pub parts: Vec<PartView>,
    pub goods: Money,
    pub shipping: Money,
    pub total: Money,
    pub refunded: Money,
    /// The site's clock (local time).
    pub created_at: NaiveDateTime,
    /// Until when the payment may arrive (the site's clock: local time).
    pub pay_by: NaiveDateTime,
    pub payment: Option<PaymentView>,
    pub refunds: Vec<RefundView>,
    pub events: Vec<OrderEventView>,
}

impl OrderView {
    /// What the cooperatives selling `parts` may see of the order: the buyer (whom
    /// they deliver to), those parts, their refunds and their sums; not the other
    /// cooperatives' parts, not the payment (its client secret pays the order), not
    /// the order's history.
    pub fn for_sellers_of(mut self, parts: &[i32]) -> OrderView {
        self.parts.retain(|p| parts.contains(&p.id));
        self.refunds
            .retain(|r| r.part_id.is_some_and(|id| parts.contains(&id)));
        self.payment = None;
        self.events.clear();
        let currency = self.total.currency();
        let add =
            |amounts: Vec<Money>| Money::sum(currency, amounts).unwrap_or(Money::zero(currency));
        self.goods = add(self.parts.iter().map(|p| p.goods).collect());
        self.shipping = add(self.parts.iter().map(|p| p.shipping).collect());
        self.total = add(self.parts.iter().map(PartView::total).collect());
        self.refunded = add(self.parts.iter().map(|p| p.refunded).collect());
        self
    }
}
