//! A cooperative's people as its admin manages them: members (producers and
//! admins), invitations sent by email, helpers entrusted with a producer's listings,
//! and the cooperative's own public profile. The forms are parsed here, so every
//! mistake is reported next to its field; the read models are what the pages show.

use crate::catalog::ProducerRole;
use crate::catalog::listing_form::{ListingFieldError, number, pair};
use crate::field::FieldProblem;
use crate::{Email, EmailError, Lang, LocalizedText, MemberRole, Slug};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// How long an emailed invitation can be accepted.
pub const INVITATION_DAYS: i64 = 14;

/// Everything `/coop/{slug}/members` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopMembers {
    pub slug: Slug,
    pub name: String,
    pub members: Vec<Member>,
    pub invitations: Vec<PendingInvitation>,
    pub helpers: Vec<Helper>,
    /// Roles given to accounts whose email is not verified yet, oldest first.
    pub waiting: Vec<WaitingRole>,
    /// Every current producer profile of the cooperative, with or without an account
    /// (a helper is for those who have none), by name.
    pub producers: Vec<ProducerRef>,
    /// The latest changes to the cooperative's people and profile, newest first.
    pub history: Vec<CoopEvent>,
}

/// One recorded change: what (`store::people::members::CoopAction` code), by whom, about
/// whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopEvent {
    pub action: String,
    pub by: String,
    pub subject: String,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub membership_id: i32,
    pub account_id: i32,
    pub name: String,
    pub email: String,
    pub role: MemberRole,
    pub producer: Option<ProducerRef>,
    pub since: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerRef {
    pub id: i32,
    pub slug: Slug,
    pub name: String,
    pub role: ProducerRole,
}

/// An invitation nobody has accepted or withdrawn yet (it may have expired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: i32,
    pub email: String,
    pub role: ProducerRole,
    pub invited_by: String,
    pub sent_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// A person trusted with one producer's listings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Helper {
    pub grant_id: i32,
    pub name: String,
    pub email: String,
    pub producer_id: i32,
    pub producer_name: String,
}

/// A role given to an account whose email nobody has proved yet: it waits, and
/// becomes the role when the address is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRole {
    pub id: i32,
    pub name: String,
    pub email: String,
    /// `None`: admin of the cooperative; `Some(name)`: helper of that producer.
    pub helps: Option<String>,
    pub since: NaiveDateTime,
}

/// What the store did with a role it was asked to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// The account's address is verified: the role is theirs now.
    Now,
    /// The address is not verified yet: the role waits for it.
    Waits,
}

/// What an invitation link opens: whom it invites, where, and whether it still works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub cooperative_slug: Slug,
    pub cooperative_name: String,
    pub email: String,
    pub role: ProducerRole,
    pub invited_by: String,
    pub state: InvitationState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Open,
    Accepted,
    Withdrawn,
    Expired,
}

impl InvitationState {
    /// Where an invitation stands at `now`, from its recorded times.
    pub fn at(
        now: NaiveDateTime,
        expires_at: NaiveDateTime,
        accepted: bool,
        withdrawn: bool,
    ) -> Self {
        if accepted {
            InvitationState::Accepted
        } else if withdrawn {
            InvitationState::Withdrawn
        } else if now >= expires_at {
            InvitationState::Expired
        } else {
            InvitationState::Open
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberFieldError {
    Email(EmailError),
    /// What any form can get wrong (not one of the choices the form offers…).
    Field(FieldProblem),
    Text(ListingFieldError),
    /// Appointing or inviting somebody who needs an account first.
    NoSuchAccount,
    AlreadyMember,
    AlreadyHelps,
    /// Digits, spaces, `+`, `-` and brackets, up to 30.
    Phone,
    /// A name with no letter or digit to make its address from.
    NoLetters,
    /// Two- or three-letter ISO 639 codes, at least one.
    LanguageCodes,
    /// Another community or cooperative has this name (its address would clash).
    NameTaken,
    AlreadyAdmin,
    /// The same role already waits for this account to verify its email.
    AlreadyWaiting,
}

pub type MemberProblems = Vec<(&'static str, MemberFieldError)>;

/// The invitation form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvitationFields {
    pub email: String,
    pub role: String,
    /// The language the email is written in.
    pub email_lang: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub email: Email,
    pub role: ProducerRole,
    pub lang: Lang,
}

impl InvitationFields {
    pub fn parse(&self) -> Result<NewInvitation, MemberProblems> {
        let email = Email::parse(&self.email).map_err(MemberFieldError::Email);
        let role = ProducerRole::parse(self.role.trim())
            .ok_or(MemberFieldError::Field(FieldProblem::NotAChoice));
        let lang = Lang::parse(self.email_lang.trim())
            .ok_or(MemberFieldError::Field(FieldProblem::NotAChoice));
        match (email, role, lang) {
            (Ok(email), Ok(role), Ok(lang)) => Ok(NewInvitation { email, role, lang }),
            (email, role, lang) => Err([
                ("email", email.err()),
                ("role", role.err()),
                ("email_lang", lang.err()),
            ]
            .into_iter()
            .filter_map(|(field, e)| e.map(|e| (field, e)))
            .collect()),
        }
    }
}

/// The form that entrusts a producer's listings to a helper, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HelperFields {
    pub helper_email: String,
    pub producer: String,
}

impl HelperFields {
    /// The helper's email and the producer's id (checked against the cooperative's
    /// producers by the caller).
    pub fn parse(&self) -> Result<(Email, i32), MemberProblems> {
        let email = Email::parse(&self.helper_email).map_err(MemberFieldError::Email);
        let producer = self
            .producer
            .trim()
            .parse::<i32>()
            .map_err(|_| MemberFieldError::Field(FieldProblem::NotAChoice));
        match (email, producer) {
            (Ok(email), Ok(producer)) => Ok((email, producer)),
            (email, producer) => Err(
                [("helper_email", email.err()), ("producer", producer.err())]
                    .into_iter()
                    .filter_map(|(field, e)| e.map(|e| (field, e)))
                    .collect(),
            ),
        }
    }
}

/// The cooperative's public profile, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CoopProfileFields {
    pub name: String,
    pub story_es: String,
    pub story_en: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub year_founded: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoopProfile {
    pub name: String,
    pub story: LocalizedText,
    pub contact_email: Option<Email>,
    pub contact_phone: Option<String>,
    pub year_founded: Option<i32>,
}

const NAME_MAX: usize = 120;
const STORY_MAX: usize = 5000;
const PHONE_MAX: usize = 30;
/// The oldest founding year the form takes; the newest is this year.
const FIRST_YEAR: u32 = 1900;

impl CoopProfileFields {
    pub fn from_profile(p: &CoopProfile) -> Self {
        CoopProfileFields {
            name: p.name.clone(),
            story_es: p.story.es.clone().unwrap_or_default(),
            story_en: p.story.en.clone().unwrap_or_default(),
            contact_email: p
                .contact_email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            contact_phone: p.contact_phone.clone().unwrap_or_default(),
            year_founded: p.year_founded.map(|y| y.to_string()).unwrap_or_default(),
        }
    }

    /// `this_year` bounds the founding year.
    pub fn parse(&self, this_year: i32) -> Result<CoopProfile, MemberProblems> {
        let mut problems = MemberProblems::new();
        let name = tidy_name(&self.name, NAME_MAX)
            .map_err(|e| problems.push(("name", e)))
            .unwrap_or_default();
        let story = pair(&self.story_es, &self.story_en, STORY_MAX, false)
            .map_err(|e| problems.push(("story_es", MemberFieldError::Text(e))))
            .unwrap_or_default();
        let contact_email = match self.contact_email.trim() {
            "" => None,
            typed => Email::parse(typed)
                .map_err(|e| problems.push(("contact_email", MemberFieldError::Email(e))))
                .ok(),
        };
        let phone = self.contact_phone.trim();
        let phone_ok = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        if phone.chars().count() > PHONE_MAX || !phone_ok {
            problems.push(("contact_phone", MemberFieldError::Phone));
        }
        let contact_phone = (!phone.is_empty()).then(|| phone.to_owned());
        let this_year = u32::try_from(this_year).unwrap_or(FIRST_YEAR);
        let year_founded = match self.year_founded.trim() {
            "" => None,
            typed => number(typed, FIRST_YEAR, this_year)
                .map_err(|e| problems.push(("year_founded", MemberFieldError::Text(e))))
                .ok()
                .and_then(|y| i32::try_from(y).ok()),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CoopProfile {
            name,
            story,
            contact_email,
            contact_phone,
            year_founded,
        })
    }
}

/// A name as typed, with its spaces tidied: required, at most `max` characters.
pub(crate) fn tidy_name(typed: &str, max: usize) -> Result<String, MemberFieldError> {
    let name = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err(MemberFieldError::Text(ListingFieldError::Field(
            FieldProblem::Required,
        )))
    } else if name.chars().count() > max {
        Err(MemberFieldError::Text(ListingFieldError::Field(
            FieldProblem::TooLong { max },
        )))
    } else {
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> CoopProfileFields {
        let mut f = CoopProfileFields {
            name: "Tejedoras".into(),
            ..Default::default()
        };
        for (k, v) in pairs {
            let v = (*v).to_owned();
            match *k {
                "name" => f.name = v,
                "story_es" => f.story_es = v,
                "contact_email" => f.contact_email = v,
                "contact_phone" => f.contact_phone = v,
                "year_founded" => f.year_founded = v,
                _ => unreachable!(),
            }
        }
        f
    }

    #[test]
    fn an_invitation_needs_an_email_a_role_and_a_language() {
        let bad = InvitationFields {
            email: "ana@".into(),
            role: "boss".into(),
            email_lang: "fr".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["email", "role", "email_lang"]);
        let ok = InvitationFields {
            email: " Ana@Ejemplo.MX ".into(),
            role: "guide".into(),
            email_lang: "en".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.email.as_str(), "ana@ejemplo.mx");
        assert_eq!(ok.role, ProducerRole::Guide);
        assert_eq!(ok.lang, Lang::En);
    }

    #[test]
    fn a_helper_form_needs_an_email_and_a_producer() {
        let bad = HelperFields {
            helper_email: "".into(),
            producer: "x".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(bad.len(), 2);
        let (email, producer) = HelperFields {
            helper_email: "ayuda@ejemplo.mx".into(),
            producer: "7".into(),
        }
        .parse()
        .unwrap();
        assert_eq!((email.as_str(), producer), ("ayuda@ejemplo.mx", 7));
    }

    #[test]
    fn a_profile_keeps_only_what_was_typed() {
        let p = fields(&[
            ("name", "  Tejedoras   del Picacho "),
            ("story_es", " Hola "),
        ])
        .parse(2026)
        .unwrap();
        assert_eq!(p.name, "Tejedoras del Picacho");
        assert_eq!(p.story.es.as_deref(), Some("Hola"));
        assert_eq!(p.story.en, None);
        assert_eq!(
            (&p.contact_email, &p.contact_phone, p.year_founded),
            (&None, &None, None)
        );
        assert_eq!(
            CoopProfileFields::from_profile(&p).name,
            "Tejedoras del Picacho"
        );
    }

    #[test]
    fn a_profile_reports_every_mistake_next_to_its_field() {
        let bad = fields(&[
            ("name", " "),
            ("contact_email", "coop@"),
            ("contact_phone", "llámame"),
            ("year_founded", "2999"),
        ])
        .parse(2026)
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["name", "contact_email", "contact_phone", "year_founded"]
        );
        assert!(bad.contains(&(
            "year_founded",
            MemberFieldError::Text(ListingFieldError::Field(FieldProblem::OutOfRange {
                min: 1900,
                max: 2026
            }))
        )));
    }

    #[test]
    fn an_invitation_is_open_until_accepted_withdrawn_or_expired() {
        let t = |h| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        use InvitationState::*;
        assert_eq!(InvitationState::at(t(1), t(2), false, false), Open);
        assert_eq!(InvitationState::at(t(2), t(2), false, false), Expired);
        assert_eq!(InvitationState::at(t(3), t(2), true, false), Accepted);
        assert_eq!(InvitationState::at(t(1), t(2), false, true), Withdrawn);
    }
}
