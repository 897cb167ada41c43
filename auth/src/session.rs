//! What a browser session remembers of a sign-in: the account, and a fingerprint of
//! its password hash at the time. A new password (a reset, say) changes the hash, so
//! every session signed in before it ends at its next request, wherever it is.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The key the sign-in is kept under in the session's data.
pub const KEY: &str = "signed_in";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    pub account_id: i32,
    fingerprint: String,
}

impl SessionAuth {
    pub fn new(account_id: i32, password_hash: &str) -> Self {
        SessionAuth {
            account_id,
            fingerprint: fingerprint(password_hash),
        }
    }

    /// Whether this sign-in happened with the account's current password.
    pub fn is_current(&self, password_hash: &str) -> bool {
        self.fingerprint == fingerprint(password_hash)
    }
}

/// Sessions live on the server only, so a plain digest is enough: it never reaches a
/// browser, and the hash it is taken of is salted already.
fn fingerprint(password_hash: &str) -> String {
    Sha256::digest(password_hash.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_ends_older_sessions() {
        let auth = SessionAuth::new(7, "$argon2id$old");
        assert!(auth.is_current("$argon2id$old"));
        assert!(!auth.is_current("$argon2id$new"));
        let json = serde_json::to_string(&auth).unwrap();
        assert!(!json.contains("argon2"), "{json}");
    }
}
