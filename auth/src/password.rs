//! Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane),
//! with a random salt, into a PHC string that carries the parameters along: hashes
//! made today still verify if the parameters are raised later.
//!
//! Hashing takes tens of milliseconds of CPU and 19 MiB on purpose, so it runs on
//! tokio's blocking threads, never on the threads that serve pages, and no more at
//! once than there are cores: others wait their turn, and past [`MAX_WAITING`] waiting
//! a hash is refused ([`PasswordHashError::Busy`]), so a flood of sign-ups is answered
//! "try again" instead of piling up. (Its memory is not bounded yet: see docs/SECURITY.md.)

use argon2::Argon2;
use password_hash::rand_core::OsRng;
use password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use domain::NewPassword;

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("hashing a password failed: {0}")]
    Hash(password_hash::Error),
    #[error("the hashing thread stopped: {0}")]
    Thread(#[from] tokio::task::JoinError),
    /// Too many hashes already waiting: the person should try again in a moment.
    #[error("too many passwords are being checked at once")]
    Busy,
}

/// Hashes that may wait for a core before more are refused.
pub const MAX_WAITING: usize = 32;

/// Hashes and checks of passwords running or waiting, and the cores they may use.
struct Hashing {
    cores: Arc<Semaphore>,
    admitted: AtomicUsize,
    most: usize,
}

impl Hashing {
    fn new(cores: usize, max_waiting: usize) -> Hashing {
        Hashing {
            cores: Arc::new(Semaphore::new(cores)),
            admitted: AtomicUsize::new(0),
            most: cores + max_waiting,
        }
    }

    /// Runs `work` on a blocking thread once a core is free, or refuses it at once
    /// when too many wait. The permit and the count go into the thread, so a request
    /// given up while its hash runs still holds its core until the hash is done.
    async fn run<T: Send + 'static>(
        &'static self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PasswordHashError> {
        let admitted = Admitted::enter(self)?;
        let core: OwnedSemaphorePermit = Arc::clone(&self.cores)
            .acquire_owned()
            .await
            .expect("the hashing semaphore is never closed");
        Ok(tokio::task::spawn_blocking(move || {
            let _held = (admitted, core);
            work()
        })
        .await?)
    }
}

/// One hash let in (running or waiting); counted out when dropped.
struct Admitted(&'static Hashing);

impl Admitted {
    fn enter(hashing: &'static Hashing) -> Result<Admitted, PasswordHashError> {
        let before = hashing.admitted.fetch_add(1, Ordering::SeqCst);
        if before >= hashing.most {
            hashing.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(PasswordHashError::Busy);
        }
        Ok(Admitted(hashing))
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The server's one gate for password work, as wide as the machine has cores.
static HASHING: LazyLock<Hashing> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Hashing::new(cores, MAX_WAITING)
});

/// The PHC string to store for `password`.
pub async fn hash(password: &NewPassword) -> Result<String, PasswordHashError> {
    let password = password.clone();
    HASHING.run(move || hash_now(password.expose())).await?
}

/// Whether `attempt` is the password behind `stored`. A stored value that is not a
/// PHC string verifies nothing (and says so in the log) rather than failing the page.
pub async fn verify(stored: &str, attempt: &str) -> Result<bool, PasswordHashError> {
    let (stored, attempt) = (stored.to_owned(), attempt.to_owned());
    HASHING.run(move || verify_now(&stored, &attempt)).await
}

/// Verifies `attempt` against a hash of nothing anybody knows: signing in with an
/// unknown email then takes as long as with a wrong password, so the time taken does
/// not tell who has an account.
pub async fn verify_against_nothing(attempt: &str) -> Result<(), PasswordHashError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(d) => d.clone(),
        None => {
            let made = HASHING
                .run(|| hash_now("no account has this password"))
                .await??;
            DUMMY.get_or_init(|| made).clone()
        }
    };
    verify(&dummy, attempt).await.map(|_| ())
}

fn hash_now(password: &str) -> Result<String, PasswordHashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(PasswordHashError::Hash)
}

fn verify_now(stored: &str, attempt: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(attempt.as_bytes(), &parsed)
            .is_ok(),
        Err(err) => {
            tracing::error!(%err, "a stored password hash is not a PHC string");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let password = NewPassword::parse("grana cochinilla 1").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(!stored.contains("cochinilla"));
        assert!(verify(&stored, "grana cochinilla 1").await.unwrap());
        assert!(!verify(&stored, "grana cochinilla 2").await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_hashes_differently_each_time() {
        let password = NewPassword::parse("grana cochinilla 1").unwrap();
        assert_ne!(
            hash(&password).await.unwrap(),
            hash(&password).await.unwrap()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_run_at_once_than_the_gate_has_cores_and_a_flood_is_refused() {
        static GATE: LazyLock<Hashing> = LazyLock::new(|| Hashing::new(2, 5));
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST_AT_ONCE: AtomicUsize = AtomicUsize::new(0);
        let flood: Vec<_> = (0..20)
            .map(|_| {
                tokio::spawn(GATE.run(|| {
                    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
                    MOST_AT_ONCE.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(30));
                    RUNNING.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        let mut done = 0;
        let mut busy = 0;
        for task in flood {
            match task.await.unwrap() {
                Ok(()) => done += 1,
                Err(PasswordHashError::Busy) => busy += 1,
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(
            MOST_AT_ONCE.load(Ordering::SeqCst),
            2,
            "two cores, two at once"
        );
        assert!(
            done >= 7,
            "the two running and the five waiting are done: {done}"
        );
        assert!(
            busy >= 1,
            "the rest of the flood is refused at once: {busy}"
        );
        assert_eq!(done + busy, 20);
        assert_eq!(
            GATE.admitted.load(Ordering::SeqCst),
            0,
            "every one counted out"
        );
        assert_eq!(GATE.cores.available_permits(), 2, "every core given back");
        let after = GATE.run(|| 7).await.unwrap();
        assert_eq!(after, 7, "once the flood is past, work is let in again");
    }

    #[tokio::test]
    async fn a_broken_stored_hash_verifies_nothing() {
        assert!(!verify("not a hash", "anything at all").await.unwrap());
        assert!(!verify("", "").await.unwrap());
    }
}
