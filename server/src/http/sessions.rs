//! Signed-in sessions: tower-sessions handles the cookie and the ids; the records live
//! in the database (`store::sessions`), so a restart signs nobody out. A visitor who
//! never signs in gets no session and no cookie: a session is stored only once
//! something is put in it.

use crate::tasks::claims::{When, Worker, job};
use std::time::Duration;
use store::DatabaseConnection;
use store::sessions::DbSessionStore;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};

/// The cookie's name.
pub const COOKIE: &str = "tianguis_session";
/// A session ends after this long without a visit.
const IDLE_LIFETIME: time::Duration = time::Duration::days(30);
/// How often expired sessions are swept from the database.
const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// The session layer. `secure` marks the cookie `Secure` (the site is served over
/// https).
pub fn sessions(db: &DatabaseConnection, secure: bool) -> SessionManagerLayer<DbSessionStore> {
    SessionManagerLayer::new(DbSessionStore::new(db.clone()))
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(IDLE_LIFETIME))
}

/// Deletes expired sessions every hour (one server a round), for as long as the
/// server runs.
pub async fn sweep_expired_sessions(worker: Worker) {
    let store = DbSessionStore::new(worker.db.clone());
    let mut every = tokio::time::interval(SWEEP_EVERY);
    loop {
        every.tick().await;
        worker
            .run(job::SESSIONS, When::Due, SWEEP_EVERY, || async {
                if let Err(err) = store.delete_expired().await {
                    tracing::warn!(%err, "could not delete expired sessions");
                }
            })
            .await;
    }
}
