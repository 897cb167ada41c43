//! What a platform admin does: add the communities that sell on Tianguis, the
//! cooperatives in them, and appoint each cooperative's admins (who then run it
//! themselves). The forms are parsed here, so each mistake is reported next to its
//! field, in the words of `members::MemberFieldError`.

use crate::catalog::listing_form::pair;
use crate::field::FieldProblem;
use crate::people::members::{MemberFieldError, MemberProblems, tidy_name};
use crate::{Email, LocalizedText, Slug};
use serde::{Deserialize, Serialize};

/// The 32 federal entities of Mexico, as the state filter of the catalog names them.
pub const MEXICAN_STATES: [&str; 32] = [
    "Aguascalientes",
    "Baja California",
    "Baja California Sur",
    "Campeche",
    "Chiapas",
    "Chihuahua",
    "Ciudad de México",
    "Coahuila",
    "Colima",
    "Durango",
    "Estado de México",
    "Guanajuato",
    "Guerrero",
    "Hidalgo",
    "Jalisco",
    "Michoacán",
    "Morelos",
    "Nayarit",
    "Nuevo León",
    "Oaxaca",
    "Puebla",
    "Querétaro",
    "Quintana Roo",
    "San Luis Potosí",
    "Sinaloa",
    "Sonora",
    "Tabasco",
    "Tamaulipas",
    "Tlaxcala",
    "Veracruz",
    "Yucatán",
    "Zacatecas",
];

/// The time zone of new communities: central Mexico, where all of today's are.
pub const DEFAULT_TIMEZONE: &str = "America/Mexico_City";

/// Everything `/admin` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    pub communities: Vec<CommunityRow>,
    pub cooperatives: Vec<CooperativeRow>,
    /// Payments whose money was not their order's total, newest first: refunded by
    /// themselves, listed until somebody has looked into why.
    pub wrong_payments: Vec<WrongPaymentRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrongPaymentRow {
    pub order_code: String,
    /// What the provider said came, in its words (`payment.last_error`).
    pub what_came: String,
    pub at: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityRow {
    pub slug: Slug,
    pub name: String,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CooperativeRow {
    pub slug: Slug,
    pub name: String,
    pub community: String,
    /// The names of its admins.
    pub admins: Vec<String>,
    /// The names of those appointed whose email is not verified yet.
    pub waiting_admins: Vec<String>,
}

/// The new-community form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommunityFields {
    pub name: String,
    pub municipality: String,
    pub state: String,
    /// ISO 639 codes, separated by commas or spaces: `zap, es`.
    pub languages: String,
    pub description_es: String,
    pub description_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommunity {
    pub slug: Slug,
    pub name: String,
    pub municipality: String,
    pub state: String,
    pub state_slug: Slug,
    pub languages: Vec<String>,
    pub description: LocalizedText,
}

const NAME_MAX: usize = 120;
const DESCRIPTION_MAX: usize = 5000;

/// A name with its spaces tidied, required and at most `NAME_MAX` characters, and
/// the slug it gives (a name of only symbols gives none).
fn name(typed: &str) -> Result<(String, Slug), MemberFieldError> {
    let name = tidy_name(typed, NAME_MAX)?;
    let slug = Slug::from_name(&name);
    if slug.as_str().is_empty() {
        return Err(MemberFieldError::NoLetters);
    }
    Ok((name, slug))
}

impl CommunityFields {
    pub fn parse(&self) -> Result<NewCommunity, MemberProblems> {
        let mut problems = MemberProblems::new();
        let named = name(&self.name)
            .map_err(|e| problems.push(("name", e)))
            .ok();
        let municipality = name(&self.municipality)
            .map_err(|e| problems.push(("municipality", e)))
            .ok();
        let state = MEXICAN_STATES
            .iter()
            .find(|s| **s == self.state.trim())
            .copied();
        if state.is_none() {
            problems.push(("state", MemberFieldError::Field(FieldProblem::NotAChoice)));
        }
        let languages: Vec<String> = self
            .languages
            .split([',', ' '])
            .map(|code| code.trim().to_ascii_lowercase())
            .filter(|code| !code.is_empty())
            .collect();
        let codes_ok = !languages.is_empty()
            && languages
                .iter()
                .all(|c| (2..=3).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_lowercase()));
        if !codes_ok {
            problems.push(("languages", MemberFieldError::LanguageCodes));
        }
        let description = pair(
            &self.description_es,
            &self.description_en,
            DESCRIPTION_MAX,
            false,
        )
        .map_err(|e| problems.push(("description_es", MemberFieldError::Text(e))))
        .unwrap_or_default();
        match (named, municipality, state) {
            (Some((name, slug)), Some((municipality, _)), Some(state)) if problems.is_empty() => {
                Ok(NewCommunity {
                    slug,
                    name,
                    municipality,
                    state: state.to_owned(),
                    state_slug: Slug::from_name(state),
                    languages,
                    description,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The new-cooperative form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CooperativeFields {
    /// Named apart from the community form's `name`: both sit on one page.
    pub coop_name: String,
    /// The community's slug.
    pub community: String,
    /// Who will run it (an account that exists); may be left empty and appointed later.
    pub admin_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCooperative {
    pub slug: Slug,
    pub name: String,
    pub community: Slug,
    pub admin: Option<Email>,
}

impl CooperativeFields {
    pub fn parse(&self) -> Result<NewCooperative, MemberProblems> {
        let mut problems = MemberProblems::new();
        let named = name(&self.coop_name)
            .map_err(|e| problems.push(("coop_name", e)))
            .ok();
        let community = Slug::parse(self.community.trim())
            .map_err(|_| {
                problems.push((
                    "community",
                    MemberFieldError::Field(FieldProblem::NotAChoice),
                ))
            })
            .ok();
        let admin = match self.admin_email.trim() {
            "" => None,
            typed => Email::parse(typed)
                .map_err(|e| problems.push(("admin_email", MemberFieldError::Email(e))))
                .ok(),
        };
        match (named, community) {
            (Some((name, slug)), Some(community)) if problems.is_empty() => Ok(NewCooperative {
                slug,
                name,
                community,
                admin,
            }),
            _ => Err(problems),
        }
    }
}

/// The form that appoints a cooperative admin, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppointFields {
    /// The cooperative's slug.
    pub appoint_cooperative: String,
    pub appoint_email: String,
}

impl AppointFields {
    /// The cooperative's slug and the email of the account to appoint.
    pub fn parse(&self) -> Result<(Slug, Email), MemberProblems> {
        let coop = Slug::parse(self.appoint_cooperative.trim())
            .map_err(|_| MemberFieldError::Field(FieldProblem::NotAChoice));
        let email = Email::parse(&self.appoint_email).map_err(MemberFieldError::Email);
        match (coop, email) {
            (Ok(coop), Ok(email)) => Ok((coop, email)),
            (coop, email) => Err([
                ("appoint_cooperative", coop.err()),
                ("appoint_email", email.err()),
            ]
            .into_iter()
            .filter_map(|(field, e)| e.map(|e| (field, e)))
            .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::listing_form::ListingFieldError;

    fn teotitlan() -> CommunityFields {
        CommunityFields {
            name: " Teotitlán  del Valle ".into(),
            municipality: "Teotitlán del Valle".into(),
            state: "Oaxaca".into(),
            languages: "zap, ES".into(),
            description_es: "Pueblo zapoteco".into(),
            description_en: String::new(),
        }
    }

    #[test]
    fn a_community_gets_its_slug_and_its_state_from_the_form() {
        let c = teotitlan().parse().unwrap();
        assert_eq!(c.name, "Teotitlán del Valle");
        assert_eq!(c.slug.as_str(), "teotitlan-del-valle");
        assert_eq!(c.state_slug.as_str(), "oaxaca");
        assert_eq!(c.languages, ["zap", "es"]);
        assert_eq!(c.description.es.as_deref(), Some("Pueblo zapoteco"));
    }

    #[test]
    fn a_community_form_reports_every_mistake_next_to_its_field() {
        let bad = CommunityFields {
            name: "¡!".into(),
            municipality: " ".into(),
            state: "Texas".into(),
            languages: "zapoteco".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            bad,
            vec![
                ("name", MemberFieldError::NoLetters),
                (
                    "municipality",
                    MemberFieldError::Text(ListingFieldError::Field(FieldProblem::Required))
                ),
                ("state", MemberFieldError::Field(FieldProblem::NotAChoice)),
                ("languages", MemberFieldError::LanguageCodes),
            ]
        );
    }

    #[test]
    fn a_cooperative_needs_a_name_and_a_community_and_maybe_an_admin() {
        let ok = CooperativeFields {
            coop_name: "Barro Negro".into(),
            community: "san-bartolo-coyotepec".into(),
            admin_email: "".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(ok.slug.as_str(), "barro-negro");
        assert_eq!(ok.admin, None);
        let bad = CooperativeFields {
            coop_name: "".into(),
            community: "No Es Slug".into(),
            admin_email: "alguien@".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["coop_name", "community", "admin_email"]);
    }

    #[test]
    fn every_state_gives_a_slug() {
        for state in MEXICAN_STATES {
            assert!(!Slug::from_name(state).as_str().is_empty(), "{state}");
        }
        assert_eq!(Slug::from_name("Michoacán").as_str(), "michoacan");
    }
}
