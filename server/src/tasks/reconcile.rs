//! Payment work that follows a request or runs on its own: the emails a settled
//! payment sends, and the reconciliation that asks the provider about orders stuck
//! awaiting payment, so that a lost webhook or a crash loses nothing.

use crate::emails;
use crate::http::emailed_order_link;
use crate::tasks::bookings::BookingTasks;
use crate::tasks::claims::{When, Worker, job};
use domain::commerce::payment::Decision;
use payments::Payments;
use store::commerce::orders::FoundOrder;
use store::outbox::Letter;

/// The emails of a settled payment, each with the order's link.
pub fn letters(
    public_url: &str,
) -> impl Fn(&Decision, &FoundOrder) -> Vec<Letter> + Send + Sync + use<> {
    let public_url = public_url.to_owned();
    move |decision, found| {
        // One key for the email, opening the order and each of its bookings.
        let (key, key_hash) = auth::token::new_token();
        let links = emails::orders::Links {
            public_url: public_url.clone(),
            order: found.view.code.clone(),
            key,
        };
        let opens = store::outbox::OrderKey {
            order_id: found.id,
            key_hash,
        };
        emails::orders::after_payment(
            decision,
            &found.view,
            found.receipt.as_ref(),
            found.lang,
            &links,
        )
        .into_iter()
        .map(|letter| letter.opening(opens.clone()))
        .collect()
    }
}

/// After bookings left orders not yet paid (`withdrawn`), each order's payment
/// follows: cancelled at the provider when nothing is left, else asked for the lower
/// total (`Payments::follow_withdrawal`); places freed with an emptied order are
/// offered to the waiting lists. A failure is logged: the settle step gives back
/// whatever comes for what is no longer sold.
pub async fn follow_withdrawals(
    payments: &Payments,
    bookings: &BookingTasks,
    public_url: &str,
    withdrawn: &[store::commerce::orders::Withdrawn],
) {
    let letters = letters(public_url);
    let now = domain::clock::now().on_site();
    for w in withdrawn {
        if let Err(err) = payments.follow_withdrawal(w, &letters, now).await {
            tracing::warn!(%err, order = w.order_id, "the payment did not follow its order's withdrawal yet");
        }
        for slot in &w.freed {
            bookings.offer_places(*slot, now.naive()).await;
        }
    }
}

/// Pays back `amount` of cancelled booking `booking_id` through the provider, if it
/// was paid in an order (the buyer is told by email). A refund that cannot be asked
/// now stays pending: the reconciliation asks again.
pub async fn refund_booking(
    payments: &Payments,
    db: &store::DatabaseConnection,
    public_url: &str,
    booking_id: i32,
    amount: domain::Money,
    actor: Option<i32>,
) {
    if amount.centavos() <= 0 {
        return;
    }
    let found = match store::commerce::orders::part_of_booking(db, booking_id).await {
        Ok(Some((order_id, part_id))) => match store::commerce::orders::by_id(db, order_id).await {
            Ok(Some(order)) => Some((order, part_id)),
            _ => None,
        },
        Ok(None) => None,
        Err(err) => {
            tracing::warn!(%err, booking_id, "could not find a booking's order");
            None
        }
    };
    let Some((order, part_id)) = found else {
        return;
    };
    let ask = store::commerce::refunds::RefundAsk {
        order_id: order.id,
        part_id: Some(part_id),
        booking_id: Some(booking_id),
        amount,
        reason: "booking cancelled".to_owned(),
        asked_by: actor,
        for_withdrawn: false,
    };
    let owed = order
        .view
        .payment
        .as_ref()
        .is_some_and(|p| p.method == Some(domain::commerce::payment::PaymentMethod::Oxxo));
    let (link, key) = emailed_order_link(public_url, order.id, &order.view.code);
    let letter = emails::orders::refunded(&order.view, order.lang, amount, owed, &link)
        .map(|l| l.opening(key));
    if let Err(err) = payments
        .refund(&ask, letter, domain::clock::now().on_site())
        .await
    {
        tracing::warn!(%err, booking_id, "a cancelled booking's refund is not done yet");
    }
}

#[derive(Clone)]
pub struct PaymentTasks {
    pub payments: Payments,
    pub public_url: String,
    /// Freed places go on to the waiting lists.
    pub bookings: BookingTasks,
    pub every: std::time::Duration,
}

impl PaymentTasks {
    /// One round: orders past their deadline (with `everything`, every order still
    /// awaiting payment) are settled with the provider, pending refunds asked again.
    pub async fn reconcile(&self, everything: bool) {
        let letters = letters(&self.public_url);
        let at = domain::clock::now().on_site();
        match self.payments.reconcile(everything, &letters, at).await {
            Ok(done) => {
                if done.checked > 0 {
                    tracing::info!(
                        checked = done.checked,
                        paid = done.paid,
                        expired = done.expired,
                        failed = done.failed,
                        "payments reconciled"
                    );
                }
                for slot in done.freed {
                    self.bookings.offer_places(slot, at.naive()).await;
                }
            }
            Err(err) => tracing::warn!(%err, "could not reconcile payments"),
        }
        // Shares of tours that have begun, and of parts shipped long enough ago,
        // become available.
        match store::money::revenue::release_due(self.payments.db(), at).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "shares released"),
            Err(err) => tracing::warn!(%err, "could not release shares"),
        }
        // Payouts left sending (a crash, Stripe not answering) are sent on.
        if matches!(self.payments.provider(), payments::Provider::Stripe(_)) {
            match store::money::payouts::sending(self.payments.db()).await {
                Ok(ids) => {
                    for id in ids {
                        if let Err(err) = crate::tasks::payouts::send(
                            &self.payments,
                            self.payments.db(),
                            id,
                            at.naive(),
                        )
                        .await
                        {
                            tracing::warn!(%err, payout = id, "could not send a payout");
                        }
                    }
                }
                Err(err) => tracing::warn!(%err, "could not read the payouts to send"),
            }
        }
        // Community fund proposals whose vote has closed are counted.
        match store::money::fund::count_due(self.payments.db(), at).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(decided = n, "fund proposals counted"),
            Err(err) => tracing::warn!(%err, "could not count fund proposals"),
        }
    }

    /// One round of `reconcile`, if this server claims it: `everything` as a server
    /// starts (unless another is doing the same), else when the periodic round is due.
    pub async fn reconcile_round(&self, worker: &Worker, everything: bool) -> bool {
        let (name, when) = if everything {
            (job::PAYMENTS_ON_START, When::Free)
        } else {
            (job::PAYMENTS, When::Due)
        };
        worker
            .run(name, when, self.every, || self.reconcile(everything))
            .await
            .is_some()
    }

    /// Runs for as long as the server does, each round claimed (one server does it).
    pub async fn run(self, worker: Worker) {
        let mut every = tokio::time::interval(self.every);
        every.tick().await;
        loop {
            every.tick().await;
            self.reconcile_round(&worker, false).await;
        }
    }
}
