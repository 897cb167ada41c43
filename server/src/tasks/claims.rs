//! This server as one of several doing the background work: its name in claims, the
//! lease it takes, and the rounds it runs only once it has claimed them
//! (`store::claims`), so that any number of servers on one database do each round once.

use chrono::Duration;
use domain::clock::UtcTime;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use store::DatabaseConnection;
pub use store::claims::When;

/// The periodic jobs, by the names their claims carry.
pub mod job {
    /// Holds that ran out, waiting-list offers (`tasks::bookings`).
    pub const HOLDS: &str = "holds";
    /// Slots made up to each schedule's horizon.
    pub const SLOTS: &str = "slots";
    /// Payments past their deadline, refunds, shares released, payouts, fund votes
    /// (`tasks::reconcile`).
    pub const PAYMENTS: &str = "payments";
    /// Every order awaiting payment asked about, as a server starts.
    pub const PAYMENTS_ON_START: &str = "payments-on-start";
    /// Expired sessions deleted.
    pub const SESSIONS: &str = "sessions";
    /// Renditions older photos lack, made as a server starts (`tasks::photos`).
    pub const RENDITIONS: &str = "renditions";
}

#[derive(Clone)]
pub struct Worker {
    pub db: DatabaseConnection,
    /// Unique to this process: host, process id and a random part (a restarted
    /// server is a new holder, and waits for its old self's leases like anyone).
    holder: Arc<str>,
    pub lease: Duration,
    /// Batches named so far, for `batch_name`.
    batches: Arc<AtomicU64>,
}

impl Worker {
    pub fn new(db: DatabaseConnection, lease: Duration) -> Worker {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "server".to_owned());
        let random = auth::token::hex(&auth::token::random_bytes::<3>());
        Worker {
            db,
            holder: format!("{host}/{}/{random}", std::process::id()).into(),
            lease,
            batches: Arc::default(),
        }
    }

    /// A name for one batch claimed by this server, unlike any other.
    pub fn batch_name(&self) -> String {
        let n = self.batches.fetch_add(1, Ordering::Relaxed);
        format!("{}#{n}", self.holder)
    }

    /// Runs `round` if this server claims `job` (`when`), and then has the next
    /// round wait `every`, counted from this one's start. What the round came to, if
    /// this server ran it.
    pub async fn run<T, F: Future<Output = T>>(
        &self,
        job: &str,
        when: When,
        every: std::time::Duration,
        round: impl FnOnce() -> F,
    ) -> Option<T> {
        let started = domain::clock::now();
        match store::claims::claim(&self.db, job, &self.holder, self.lease, when, started).await {
            Ok(true) => {}
            Ok(false) => return None,
            Err(err) => {
                tracing::warn!(%err, job, "could not claim a round of background work");
                return None;
            }
        }
        let outcome = round().await;
        let next = next_round(started, every);
        match store::claims::finish(&self.db, job, &self.holder, next, domain::clock::now()).await {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                job,
                "a round outlasted its lease (TIANGUIS_LEASE_SECONDS): another server may have done it too"
            ),
            Err(err) => tracing::warn!(%err, job, "could not finish a round of background work"),
        }
        Some(outcome)
    }
}

/// When the round after one `started` is due: `every` later, less a little, so that
/// a server whose timer ticks `every` apart finds it due on its next tick.
fn next_round(started: UtcTime, every: std::time::Duration) -> UtcTime {
    let every = Duration::from_std(every).unwrap_or(Duration::MAX);
    let slack = (every / 10).min(Duration::seconds(1));
    started + (every - slack)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_round_is_due_a_little_before_the_timer_ticks_again() {
        let t = domain::clock::now();
        let next = next_round(t, std::time::Duration::from_secs(20));
        assert_eq!(next, t + Duration::seconds(19));
        let next = next_round(t, std::time::Duration::from_secs(2));
        assert_eq!(next, t + Duration::milliseconds(1800));
    }
}
