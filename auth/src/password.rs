//! Passwords are hashed with argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane),
//! with a random salt, into a PHC string that carries the parameters along: hashes
//! made today still verify if the parameters are raised later.
//!
//! Hashing takes tens of milliseconds of CPU on purpose, so it runs on tokio's
//! blocking threads, never on the threads that serve pages.

use argon2::Argon2;
use password_hash::rand_core::OsRng;
use password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use domain::NewPassword;

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("hashing a password failed: {0}")]
    Hash(password_hash::Error),
    #[error("the hashing thread stopped: {0}")]
    Thread(#[from] tokio::task::JoinError),
}

/// The PHC string to store for `password`.
pub async fn hash(password: &NewPassword) -> Result<String, PasswordHashError> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || hash_now(password.expose())).await?
}

/// Whether `attempt` is the password behind `stored`. A stored value that is not a
/// PHC string verifies nothing (and says so in the log) rather than failing the page.
pub async fn verify(stored: &str, attempt: &str) -> Result<bool, PasswordHashError> {
    let (stored, attempt) = (stored.to_owned(), attempt.to_owned());
    Ok(tokio::task::spawn_blocking(move || verify_now(&stored, &attempt)).await?)
}

/// Verifies `attempt` against a hash of nothing anybody knows: signing in with an
/// unknown email then takes as long as with a wrong password, so the time taken does
/// not tell who has an account.
pub async fn verify_against_nothing(attempt: &str) -> Result<(), PasswordHashError> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(d) => d.clone(),
        None => {
            let made =
                tokio::task::spawn_blocking(|| hash_now("no account has this password")).await??;
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

    #[tokio::test]
    async fn a_broken_stored_hash_verifies_nothing() {
        assert!(!verify("not a hash", "anything at all").await.unwrap());
        assert!(!verify("", "").await.unwrap());
    }
}
