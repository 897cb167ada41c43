//! Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane),
//! with a random salt, into a PHC string that carries the parameters along: hashes
//! made today still verify if the parameters are raised later.
//!
//! Hashing takes tens of milliseconds of CPU and 19 MiB on purpose, so it runs on a
//! fixed pool of threads, one a core, never on the threads that serve pages. Each
//! thread fills the same 19 MiB of its own for every hash, so password work holds at
//! most cores × 19 MiB however many ask at once. Others wait their turn, and past
//! [`MAX_WAITING`] waiting a hash is refused ([`PasswordHashError::Busy`]), so a flood
//! of sign-ups is answered "try again" instead of piling up.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use password_hash::rand_core::OsRng;
use password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::oneshot;

use domain::NewPassword;

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("hashing a password failed: {0}")]
    Hash(password_hash::Error),
    /// The hashing thread gave no answer (the work panicked); logged where it happened.
    #[error("the password hashing thread gave no answer")]
    Stopped,
    /// Too many hashes already waiting: the person should try again in a moment.
    #[error("too many passwords are being checked at once")]
    Busy,
}

/// Hashes that may wait for a core before more are refused.
pub const MAX_WAITING: usize = 32;

/// One piece of password work, handed to whichever hashing thread is free.
type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// The memory one hashing thread fills for every hash it computes: allocated once,
/// the first time, and kept for the life of the thread.
pub struct Memory(Vec<Block>);

impl Memory {
    /// `count` blocks to fill. A stored hash that asks for more than today's
    /// parameters gets memory of its own for that one check, so one odd hash does
    /// not keep the thread large.
    fn blocks(
        &mut self,
        count: usize,
        work: impl FnOnce(&mut [Block]) -> Result<(), argon2::Error>,
    ) -> Result<(), argon2::Error> {
        if count > Params::DEFAULT_M_COST as usize {
            return work(&mut vec![Block::default(); count]);
        }
        if self.0.len() < count {
            self.0.resize(count, Block::default());
        }
        work(&mut self.0[..count])
    }
}

/// The hashing threads and the count of hashes running or waiting for them.
struct Hashing {
    jobs: mpsc::Sender<Job>,
    admitted: AtomicUsize,
    most: usize,
}

impl Hashing {
    /// Starts `cores` hashing threads; at most `cores + max_waiting` hashes are let in.
    fn new(cores: usize, max_waiting: usize) -> Hashing {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..cores {
            let queue = Arc::clone(&queue);
            std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || work_through(&queue))
                .expect("the machine can start a hashing thread");
        }
        Hashing {
            jobs,
            admitted: AtomicUsize::new(0),
            most: cores + max_waiting,
        }
    }

    /// Runs `work` on a hashing thread once one is free, or refuses it at once when
    /// too many wait. Work whose asker has given up before its turn is skipped; work
    /// already running finishes and its thread is then free again.
    async fn run<T: Send + 'static>(
        &'static self,
        work: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> Result<T, PasswordHashError> {
        let admitted = Admitted::enter(self)?;
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            let result = (!answer.is_closed()).then(|| work(memory));
            // Counted out before answering: whoever hears the answer finds the work
            // gone from the count.
            drop(admitted);
            if let Some(result) = result {
                let _ = answer.send(result);
            }
        });
        self.jobs
            .send(job)
            .map_err(|_| PasswordHashError::Stopped)?;
        answered.await.map_err(|_| PasswordHashError::Stopped)
    }
}

/// One hashing thread: takes the next job, runs it with the thread's memory, and so
/// on for the life of the server. A job that panics is logged and the thread goes on.
fn work_through(queue: &Mutex<mpsc::Receiver<Job>>) {
    let mut memory = Memory(Vec::new());
    loop {
        let next = queue.lock().map(|queue| queue.recv());
        let Ok(Ok(job)) = next else { return };
        if std::panic::catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
            tracing::error!("password work panicked; its request is answered with an error");
        }
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
    HASHING
        .run(move |memory| hash_now(password.expose(), memory))
        .await?
}

/// Whether `attempt` is the password behind `stored`. A stored value that is not a
/// PHC string verifies nothing (and says so in the log) rather than failing the page.
pub async fn verify(stored: &str, attempt: &str) -> Result<bool, PasswordHashError> {
    let (stored, attempt) = (stored.to_owned(), attempt.to_owned());
    HASHING
        .run(move |memory| verify_now(&stored, &attempt, memory))
        .await
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
                .run(|memory| hash_now("no account has this password", memory))
                .await??;
            DUMMY.get_or_init(|| made).clone()
        }
    };
    verify(&dummy, attempt).await.map(|_| ())
}

fn hash_now(password: &str, memory: &mut Memory) -> Result<String, PasswordHashError> {
    let salt = SaltString::generate(&mut OsRng);
    let today = (Algorithm::Argon2id, Version::V0x13, Params::default());
    compute(today, password, salt.as_salt(), memory)
        .map(|hashed| hashed.to_string())
        .map_err(PasswordHashError::Hash)
}

fn verify_now(stored: &str, attempt: &str, memory: &mut Memory) -> bool {
    let checked = PasswordHash::new(stored).and_then(|parsed| {
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Err(password_hash::Error::PhcStringField);
        };
        let made_with = (
            Algorithm::try_from(parsed.algorithm)?,
            parsed
                .version
                .map_or(Ok(Version::V0x13), Version::try_from)?,
            Params::try_from(&parsed)?,
        );
        let computed = compute(made_with, attempt, salt, memory)?;
        // `Output`'s equality takes the same time wherever the two differ.
        Ok(computed.hash == Some(expected))
    });
    match checked {
        Ok(same) => same,
        Err(err) => {
            tracing::error!(%err, "a stored password hash is not an argon2 PHC string");
            false
        }
    }
}

/// `password` hashed with `salt` the way `made_with` says, in the thread's own
/// memory: what `argon2`'s `PasswordHasher` does, without allocating 19 MiB afresh.
fn compute<'a>(
    (algorithm, version, params): (Algorithm, Version, Params),
    password: &str,
    salt: Salt<'a>,
    memory: &mut Memory,
) -> Result<PasswordHash<'a>, password_hash::Error> {
    let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
    let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
    let argon = Argon2::new(algorithm, version, params);
    let params = argon.params();
    let output = Output::init_with(
        params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN),
        |out| {
            memory.blocks(params.block_count(), |blocks| {
                argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, blocks)
            })?;
            Ok(())
        },
    )?;
    Ok(PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: ParamsString::try_from(params)?,
        salt: Some(salt),
        hash: Some(output),
    })
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
                tokio::spawn(GATE.run(|_memory| {
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
        let after = GATE.run(|_memory| 7).await.unwrap();
        assert_eq!(after, 7, "once the flood is past, work is let in again");
    }

    #[test]
    fn hashes_made_in_reused_memory_are_the_ones_argon2_makes_and_checks() {
        use password_hash::{PasswordHasher, PasswordVerifier};
        let mut memory = Memory(Vec::new());
        let first = hash_now("grana cochinilla 1", &mut memory).unwrap();
        assert_eq!(memory.0.len(), Params::DEFAULT_M_COST as usize);
        // The same memory, already filled by the first hash, makes the second.
        let second = hash_now("añil y nopal 22", &mut memory).unwrap();
        let stock = Argon2::default();
        for (made, password) in [(&first, "grana cochinilla 1"), (&second, "añil y nopal 22")] {
            let parsed = PasswordHash::new(made).unwrap();
            assert!(stock.verify_password(password.as_bytes(), &parsed).is_ok());
            assert!(stock.verify_password(b"another one 3", &parsed).is_err());
        }
        let salt = SaltString::generate(&mut OsRng);
        let by_stock = stock
            .hash_password(b"grana cochinilla 1", &salt)
            .unwrap()
            .to_string();
        assert!(verify_now(&by_stock, "grana cochinilla 1", &mut memory));
        assert!(!verify_now(&by_stock, "grana cochinilla 2", &mut memory));
    }

    #[test]
    fn a_stored_hash_that_asks_for_more_memory_checks_without_growing_the_thread() {
        use password_hash::PasswordHasher;
        let bigger = Params::new(Params::DEFAULT_M_COST * 2, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let stored = Argon2::new(Algorithm::Argon2id, Version::V0x13, bigger)
            .hash_password(b"grana cochinilla 1", &salt)
            .unwrap()
            .to_string();
        let mut memory = Memory(Vec::new());
        assert!(verify_now(&stored, "grana cochinilla 1", &mut memory));
        assert!(!verify_now(&stored, "grana cochinilla 2", &mut memory));
        assert!(
            memory.0.is_empty(),
            "the thread keeps no more than today's 19 MiB"
        );
    }

    #[tokio::test]
    async fn a_broken_stored_hash_verifies_nothing() {
        assert!(!verify("not a hash", "anything at all").await.unwrap());
        assert!(!verify("", "").await.unwrap());
    }
}
