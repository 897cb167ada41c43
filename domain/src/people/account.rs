//! People who sign in: their email, password and name as typed into a form, parsed
//! into values that are known to be acceptable, and what they may do in a cooperative.
//!
//! Errors are typed, not sentences: the pages turn each one into a message in the
//! reader's language, next to the field it is about.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address as the site stores it: trimmed and lower-cased, so that
/// `Ana@Example.mx` and `ana@example.mx` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("an email address is required")]
    Empty,
    #[error("an email address is at most {max} characters")]
    TooLong { max: usize },
    #[error("not an email address (name@example.mx)")]
    Malformed,
}

impl Email {
    /// The longest address SMTP can carry (RFC 5321).
    pub const MAX_LEN: usize = 254;

    /// Accepts what a person can receive mail at: one `@`, something before it, a
    /// domain with a dot after it, no spaces. It does not try to be the RFC grammar:
    /// the verification email is the real check.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(EmailError::Empty);
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(EmailError::TooLong { max: Self::MAX_LEN });
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        let chars_ok = !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
        if local.is_empty() || local.chars().count() > 64 || !domain_ok || !chars_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// A new password that meets the site's rules. Its `Debug` hides it, so it never
/// reaches a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("a password has at least {min} characters")]
    TooShort { min: usize },
    #[error("a password has at most {max} characters")]
    TooLong { max: usize },
}

impl NewPassword {
    /// Length is what makes a password hard to guess; rules about symbols mostly
    /// make people write them down. (NIST SP 800-63B asks for at least 8.)
    pub const MIN_CHARS: usize = 10;
    /// Hashing cost grows with length: a cap keeps one sign-in from being a way to
    /// tie up the server.
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS || input.trim().is_empty() {
            return Err(PasswordError::TooShort {
                min: Self::MIN_CHARS,
            });
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// The name a person goes by on the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    #[error("a name is required")]
    Empty,
    #[error("a name is at most {max} characters")]
    TooLong { max: usize },
}

impl PersonName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(input: &str) -> Result<Self, PersonNameError> {
        // Runs of spaces and line breaks pasted into the field become one space.
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(PersonNameError::TooLong {
                max: Self::MAX_CHARS,
            });
        }
        Ok(PersonName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = PersonNameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PersonName::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> Self {
        name.0
    }
}

/// An email waiting in (or sent from) the outbox. Times are UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEmail {
    pub id: i32,
    pub to: String,
    pub lang: crate::Lang,
    pub subject: String,
    pub body: String,
    pub created_at: chrono::NaiveDateTime,
    pub sent_at: Option<chrono::NaiveDateTime>,
    /// Failed tries to hand it to the mail server, and what the last one said.
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// What a member does in a cooperative. One person may hold several roles, in
/// several cooperatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberRole {
    /// An artisan or guide who lists their own goods and tours.
    Producer,
    /// A trusted person who manages the listings of producers without a phone or
    /// internet, on their behalf; every change records both names.
    Helper,
    /// Approves members and listings and keeps the cooperative's books.
    Admin,
}

impl MemberRole {
    pub fn code(self) -> &'static str {
        match self {
            MemberRole::Producer => "producer",
            MemberRole::Helper => "helper",
            MemberRole::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "producer" => Some(MemberRole::Producer),
            "helper" => Some(MemberRole::Helper),
            "admin" => Some(MemberRole::Admin),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Ana.Lopez@Tejedoras.MX ").unwrap();
        assert_eq!(email.as_str(), "ana.lopez@tejedoras.mx");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "ana",
            "ana@",
            "@tejedoras.mx",
            "ana@tejedoras",
            "ana@@tejedoras.mx",
            "ana lopez@tejedoras.mx",
            "ana@.mx",
            "ana@tejedoras..mx",
            "ana@tejedoras.mx.",
            "<ana@tejedoras.mx>",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        let long = format!("{}@tejedoras.mx", "a".repeat(250));
        assert_eq!(
            Email::parse(&long),
            Err(EmailError::TooLong {
                max: Email::MAX_LEN
            })
        );
    }

    #[test]
    fn non_ascii_emails_are_accepted() {
        assert!(Email::parse("maría@tejedoras.mx").is_ok());
    }

    #[test]
    fn passwords_need_ten_characters_and_at_most_128() {
        assert_eq!(
            NewPassword::parse("corto"),
            Err(PasswordError::TooShort { min: 10 })
        );
        assert_eq!(
            NewPassword::parse("          "),
            Err(PasswordError::TooShort { min: 10 })
        );
        // Characters, not bytes: ten accented letters are ten characters.
        assert!(NewPassword::parse("ñáéíóúñáéí").is_ok());
        assert_eq!(
            NewPassword::parse(&"x".repeat(129)),
            Err(PasswordError::TooLong { max: 128 })
        );
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let password = NewPassword::parse("grana cochinilla 1").unwrap();
        assert!(!format!("{password:?}").contains("cochinilla"));
    }

    #[test]
    fn names_collapse_their_spaces() {
        assert_eq!(
            PersonName::parse("  María   de los\nÁngeles ")
                .unwrap()
                .as_str(),
            "María de los Ángeles"
        );
        assert_eq!(PersonName::parse(" \n "), Err(PersonNameError::Empty));
        assert_eq!(
            PersonName::parse(&"a".repeat(81)),
            Err(PersonNameError::TooLong { max: 80 })
        );
    }

    #[test]
    fn member_roles_round_trip_through_their_codes() {
        for role in [MemberRole::Producer, MemberRole::Helper, MemberRole::Admin] {
            assert_eq!(MemberRole::parse(role.code()), Some(role));
        }
        assert_eq!(MemberRole::parse("owner"), None);
    }
}
