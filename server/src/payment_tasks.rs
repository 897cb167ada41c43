//! Payment work that follows a request or runs on its own: the emails a settled
//! payment sends, and the reconciliation that asks the provider about orders stuck
//! awaiting payment, so that a lost webhook or a crash loses nothing.

use crate::booking_tasks::{BookingTasks, now};
use crate::http::order_page;
use crate::order_emails;
use domain::payment::Decision;
use payments::Payments;
use store::bookings::Letter;
use store::orders::FoundOrder;

/// The emails of a settled payment, each with the order's link.
pub fn letters(
    public_url: &str,
) -> impl Fn(&Decision, &FoundOrder) -> Vec<Letter> + Send + Sync + use<> {
    let public_url = public_url.to_owned();
    move |decision, found| {
        let link = format!(
            "{public_url}{}",
            order_page(&found.view.code, &found.link_secret)
        );
        order_emails::after_payment(decision, &found.view, found.lang, &link)
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
        let at = now();
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
                    self.bookings.offer_places(slot, at).await;
                }
            }
            Err(err) => tracing::warn!(%err, "could not reconcile payments"),
        }
    }

    /// Runs for as long as the server does.
    pub async fn run(self) {
        let mut every = tokio::time::interval(self.every);
        every.tick().await;
        loop {
            every.tick().await;
            self.reconcile(false).await;
        }
    }
}
