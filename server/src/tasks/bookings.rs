//! The booking work that is not a request: expiring holds whose time ran out
//! (at start-up too, so a restart never strands places), offering freed places to
//! waiting lists, and keeping every schedule's slots made up to its horizon.

use crate::emails;
use crate::emails::bookings::About;
use crate::tasks::claims::{When, Worker, job};
use chrono::{Duration, NaiveDateTime};
use domain::booking::code::BookingCode;
use domain::clock::SiteTime;
use store::DatabaseConnection;
use store::booking::waitlist::{self, NewBookingCode};

/// How often holds are checked: a place comes back at most this late.
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(20);
/// How often slots are made up to each horizon.
const MATERIALIZE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// A new random booking code and the secret of its link.
pub fn new_booking_code() -> NewBookingCode {
    let (secret, secret_hash) = auth::token::new_token();
    NewBookingCode {
        code: BookingCode::from_random(auth::token::random_bytes()),
        secret,
        secret_hash,
    }
}

/// The link that opens booking `code` for whoever holds `secret`.
pub fn booking_link(public_url: &str, code: &BookingCode, secret: &str) -> String {
    format!("{public_url}/bookings/{code}?k={secret}")
}

/// What background booking work needs to know.
#[derive(Clone)]
pub struct BookingTasks {
    pub db: DatabaseConnection,
    pub public_url: String,
    pub offer_for: Duration,
}

impl BookingTasks {
    /// Offers the places free on slot `slot_id` to its waiting list; how many offers.
    pub async fn offer_places(&self, slot_id: i32, now: NaiveDateTime) -> usize {
        let slot =
            match store::booking::slots::view(&self.db, slot_id, SiteTime::from_naive(now)).await {
                Ok(Some(slot)) => slot,
                Ok(None) => return 0,
                Err(err) => {
                    tracing::warn!(%err, slot_id, "could not read a slot to offer its places");
                    return 0;
                }
            };
        let prices = slot.listing.ticket_choices();
        let public_url = self.public_url.clone();
        let letter = move |offer: &waitlist::Offer| {
            let about = About::of(&slot, offer.lang);
            let link = booking_link(&public_url, &offer.code, &offer.secret);
            emails::bookings::offered(
                offer.email.clone(),
                offer.lang,
                &offer.name,
                &about,
                offer.places,
                &link,
                offer.until,
            )
        };
        match waitlist::offer_free_places(
            &self.db,
            slot_id,
            &prices,
            self.offer_for,
            &new_booking_code,
            &letter,
            SiteTime::from_naive(now),
        )
        .await
        {
            Ok(offers) => offers.len(),
            Err(err) => {
                tracing::warn!(%err, slot_id, "could not offer freed places");
                0
            }
        }
    }

    /// Expires holds that ran out, offers their places on, and settles offers.
    pub async fn sweep(&self, now: NaiveDateTime) {
        match store::booking::bookings::expire_due_holds(&self.db, SiteTime::from_naive(now)).await
        {
            Ok(freed) => {
                for slot_id in freed {
                    self.offer_places(slot_id, now).await;
                }
            }
            Err(err) => tracing::warn!(%err, "could not expire holds"),
        }
        if let Err(err) = waitlist::settle_offers(&self.db, SiteTime::from_naive(now)).await {
            tracing::warn!(%err, "could not settle waiting-list offers");
        }
    }

    /// One round of `sweep`, if this server claims it (`when`); whether it ran.
    pub async fn sweep_round(&self, worker: &Worker, when: When) -> bool {
        worker
            .run(job::HOLDS, when, SWEEP_EVERY, || {
                self.sweep(domain::clock::now().on_site().naive())
            })
            .await
            .is_some()
    }

    /// Makes every schedule's slots up to its horizon.
    async fn materialize(&self) {
        match store::booking::schedules::materialize_all(&self.db, domain::clock::now().on_site())
            .await
        {
            Ok(m) => tracing::info!(added = m.added, removed = m.removed, "slots made"),
            Err(err) => tracing::warn!(%err, "could not make slots"),
        }
    }

    /// Runs for as long as the server does, each round claimed (one server does it).
    pub async fn run(self, worker: Worker) {
        let mut sweep = tokio::time::interval(SWEEP_EVERY);
        let mut materialize = tokio::time::interval(MATERIALIZE_EVERY);
        loop {
            tokio::select! {
                _ = sweep.tick() => {
                    self.sweep_round(&worker, When::Due).await;
                }
                _ = materialize.tick() => {
                    worker.run(job::SLOTS, When::Due, MATERIALIZE_EVERY, || self.materialize()).await;
                }
            }
        }
    }
}
