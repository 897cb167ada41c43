//! One-time tokens for emailed links (verify an email, reset a password). The link
//! carries 256 random bits; the database keeps only their SHA-256, so a copy of the
//! database opens no account.

use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A fresh token for a link, and the hash to store for it.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex(&bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// `N` bytes from the operating system's random source (booking codes).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// What the database keeps for `token` (and looks a link's token up by).
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_their_hash() {
        let (token, hash) = new_token();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(token, hash);
        assert_eq!(hash_token(&token), hash);
        assert_ne!(new_token().0, token);
    }
}
