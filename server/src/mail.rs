//! Sends the outbox. Every email the site writes is first a row in `outbox_email`,
//! written in the same transaction as the change it is about; this worker hands the
//! due ones to the SMTP server when `SMTP_URL` is set, and marks each sent, or counts
//! the failure and tries again later (1 min, 2, 4… up to 6 h, 10 tries in all).
//! With several servers each claims its batch first (`store::outbox::claim_due`), so
//! every email is sent by one of them. Nothing is lost when the mail server is down:
//! the email waits, and a platform admin sees it and the server's last answer at
//! /admin/outbox.

use crate::tasks::claims::Worker;
use chrono::Duration;
use domain::clock::UtcTime;
use domain::people::account::OutboxEmail;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::StoreError;

/// Tries per email before it is left for a person to look at.
pub const MAX_ATTEMPTS: i32 = 10;
/// How often the outbox is looked at.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// Emails handed over per look.
const BATCH: u64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// Why `SMTP_URL` cannot be used, in a sentence.
pub fn check_smtp_url(url: &str) -> Result<(), String> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(|_| ())
        .map_err(|e| {
            format!(
                "{e}; use smtp://host:port (add ?tls=required for STARTTLS) or smtps://user:password@host"
            )
        })
}

pub fn check_mail_from(from: &str) -> Result<(), String> {
    from.parse::<Mailbox>()
        .map(|_| ())
        .map_err(|e| format!("{from:?} is not a sender like Tianguis <no-reply@example.mx>: {e}"))
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| e.to_string())?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from = from.parse().map_err(|e| format!("{e}"))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, email: &OutboxEmail) -> Result<(), String> {
        let to: Mailbox = email.to.parse().map_err(|e| format!("bad address: {e}"))?;
        let message = Message::builder()
            .message_id(Some(self.message_id(email)))
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The email's own Message-ID, the same each time it is handed over: an email a
    /// dead server had handed over and another sends again (see [`send_due`]) is one
    /// message to the recipient's mail system, which shows it once.
    fn message_id(&self, email: &OutboxEmail) -> String {
        format!(
            "<outbox-{}-{}@{}>",
            email.id,
            email.created_at.and_utc().timestamp(),
            self.from.email.domain()
        )
    }
}

/// How long to wait after the `attempts`-th failure.
fn backoff(attempts: i32) -> Duration {
    let minutes = 1i64 << attempts.clamp(0, 9);
    Duration::minutes(minutes.min(6 * 60))
}

/// Hands the due emails to the mail server once: claims a batch (no other server
/// sends those while this one's lease runs), sends them, records each. How many went.
///
/// An email is sent at least once, and once unless a server dies (or loses the
/// database) between the mail server's accepting it and its being marked sent: then
/// another server sends it again after the lease, with the same Message-ID. That is
/// the one duplicate accepted: one email at most per server's death.
pub async fn send_due(worker: &Worker, mailer: &Mailer, now: UtcTime) -> Result<usize, StoreError> {
    let batch = worker.batch_name();
    let emails = store::outbox::claim_due(
        &worker.db,
        &batch,
        now + worker.lease,
        now,
        MAX_ATTEMPTS,
        BATCH,
    )
    .await?;
    // The batch is sent while half the lease is left, and no email is still being
    // handed over when the lease runs out, so none is sent by another server
    // meanwhile; what is left is given back for the next round.
    let lease = worker.lease.to_std().unwrap_or_default();
    let lease_ends = std::time::Instant::now() + lease;
    let mut sent = 0;
    for email in emails {
        let left = lease_ends.saturating_duration_since(std::time::Instant::now());
        if left < lease / 2 {
            break;
        }
        let handed = tokio::time::timeout(left, mailer.send(&email))
            .await
            .unwrap_or_else(|_| Err("the mail server did not answer in time".to_owned()));
        match handed {
            Ok(()) => {
                if !store::outbox::mark_sent(&worker.db, email.id, domain::clock::now()).await? {
                    tracing::warn!(id = email.id, "an email was sent by two servers");
                }
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id = email.id, %error, "an email could not be sent");
                let retry_at = now + backoff(email.attempts + 1);
                store::outbox::mark_failed(&worker.db, email.id, &batch, &error, retry_at).await?;
            }
        }
    }
    store::outbox::release(&worker.db, &batch).await?;
    Ok(sent)
}

/// Sends the outbox for as long as the server runs.
pub async fn run(worker: Worker, mailer: Mailer) {
    let mut every = tokio::time::interval(POLL_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(err) = send_due(&worker, &mailer, domain::clock::now()).await {
            tracing::error!(%err, "could not read the outbox");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(backoff(1), Duration::minutes(2));
        assert_eq!(backoff(2), Duration::minutes(4));
        assert!(backoff(5) > backoff(4));
        assert_eq!(backoff(9), Duration::hours(6));
        assert_eq!(backoff(50), Duration::hours(6));
    }
}
