//! A slug names a thing in a URL: lowercase ASCII letters, digits and single hyphens.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug is at most {max} characters")]
    TooLong { max: usize },
    #[error("{0:?} may only contain lowercase letters, digits and hyphens")]
    BadCharacters(String),
}

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(input: &str) -> Result<Self, SlugError> {
        if input.is_empty() {
            return Err(SlugError::Empty);
        }
        if input.len() > Self::MAX_LEN {
            return Err(SlugError::TooLong { max: Self::MAX_LEN });
        }
        let ok_chars = input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_chars || input.starts_with('-') || input.ends_with('-') || input.contains("--") {
            return Err(SlugError::BadCharacters(input.to_owned()));
        }
        Ok(Slug(input.to_owned()))
    }

    /// Makes a slug out of a human name: `Michoacán de Ocampo` → `michoacan-de-ocampo`.
    pub fn from_name(name: &str) -> Self {
        let folded = crate::search::fold(name);
        let mut out = String::with_capacity(folded.len());
        for ch in folded.chars() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        out.truncate(Self::MAX_LEN);
        Slug(out.trim_end_matches('-').to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_url_friendly_names() {
        assert!(Slug::parse("tapete-grecas-2").is_ok());
    }

    #[test]
    fn refuses_anything_else() {
        for bad in ["", "Tapete", "a b", "-a", "a-", "a--b", "ñandú", "a/b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Slug::parse(&"a".repeat(81)).is_err());
    }

    #[test]
    fn derives_from_human_names() {
        assert_eq!(
            Slug::from_name("Michoacán de Ocampo").as_str(),
            "michoacan-de-ocampo"
        );
        assert_eq!(Slug::from_name("  Yucatán!  ").as_str(), "yucatan");
    }
}
