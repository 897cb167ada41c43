//! The code a booking is known by at the meeting point: eight characters in two
//! groups (`7K4M-P2QX`), from Crockford's base-32 alphabet, which has no I, L, O or
//! U, so nothing read aloud or copied from a phone is mistaken for something else.
//! Forty random bits: a guessed code hits one of a million bookings once in a million
//! tries, and opening a guest's booking also needs the secret in its link.

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BookingCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("a booking code has eight letters and digits, like 7K4M-P2QX")]
pub struct BookingCodeError;

impl BookingCode {
    /// The code spelled by five random bytes (the caller draws them from the OS).
    pub fn from_random(bytes: [u8; 5]) -> Self {
        let bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars: String = (0..8)
            .rev()
            .map(|i| char::from(ALPHABET[((bits >> (i * 5)) & 31) as usize]))
            .collect();
        BookingCode(format!("{}-{}", &chars[..4], &chars[4..]))
    }

    /// A code as somebody typed it: any case, with or without the dash or spaces;
    /// O is read as 0 and I or L as 1, as Crockford's alphabet intends.
    pub fn parse(typed: &str) -> Result<Self, BookingCodeError> {
        let mut chars = String::with_capacity(8);
        for c in typed.chars().filter(|c| !matches!(c, '-' | ' ' | '\t')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || chars.len() == 8 {
                return Err(BookingCodeError);
            }
            chars.push(c);
        }
        if chars.len() != 8 {
            return Err(BookingCodeError);
        }
        Ok(BookingCode(format!("{}-{}", &chars[..4], &chars[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BookingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_two_groups_of_four_from_the_alphabet() {
        let code = BookingCode::from_random([0xff, 0x00, 0x12, 0x34, 0x56]);
        let text = code.as_str();
        assert_eq!(text.len(), 9);
        assert_eq!(&text[4..5], "-");
        assert!(
            text.bytes()
                .filter(|b| *b != b'-')
                .all(|b| ALPHABET.contains(&b))
        );
        assert_eq!(BookingCode::from_random([0; 5]).as_str(), "0000-0000");
        assert_eq!(BookingCode::from_random([0xff; 5]).as_str(), "ZZZZ-ZZZZ");
    }

    #[test]
    fn a_typed_code_is_read_however_it_was_typed() {
        let code = BookingCode::from_random([1, 2, 3, 4, 5]);
        let bare = code.as_str().replace('-', "");
        assert_eq!(BookingCode::parse(&bare.to_lowercase()), Ok(code.clone()));
        assert_eq!(BookingCode::parse(&format!(" {} ", code)), Ok(code.clone()));
        assert_eq!(
            BookingCode::parse("o1il-2345").map(|c| c.to_string()),
            Ok("0111-2345".to_owned())
        );
    }

    #[test]
    fn anything_else_is_not_a_code() {
        for typed in [
            "",
            "7K4M",
            "7K4M-P2QX-1",
            "7K4M-P2QU",
            "7K4M P2Q!",
            "ÑK4M-P2QX",
        ] {
            assert_eq!(BookingCode::parse(typed), Err(BookingCodeError), "{typed}");
        }
    }
}
