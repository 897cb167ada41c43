//! A producer's public profile, as they (or their helper) edit it from the
//! dashboard: the name visitors see, what they make or guide, their story, and one
//! photo. Shown next to each of their listings and on their cooperative's page.

use crate::LocalizedText;
use crate::catalog::PhotoRef;
use crate::catalog::listing_form::pair;
use crate::people::members::{MemberFieldError, MemberProblems, tidy_name};
use serde::{Deserialize, Serialize};

const NAME_MAX: usize = 120;
const SPECIALTY_MAX: usize = 160;
const BIO_MAX: usize = 3000;

/// The profile form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProducerProfileFields {
    pub name: String,
    pub specialty_es: String,
    pub specialty_en: String,
    pub bio_es: String,
    pub bio_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProducerProfile {
    pub name: String,
    pub specialty: LocalizedText,
    pub bio: LocalizedText,
}

/// What the profile page shows: the form's current values and the photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableProducer {
    pub id: i32,
    pub fields: ProducerProfileFields,
    pub photo: Option<PhotoRef>,
}

impl ProducerProfileFields {
    pub fn from_profile(p: &ProducerProfile) -> Self {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        ProducerProfileFields {
            name: p.name.clone(),
            specialty_es: text(&p.specialty.es),
            specialty_en: text(&p.specialty.en),
            bio_es: text(&p.bio.es),
            bio_en: text(&p.bio.en),
        }
    }

    pub fn parse(&self) -> Result<ProducerProfile, MemberProblems> {
        let mut problems = MemberProblems::new();
        let name = tidy_name(&self.name, NAME_MAX)
            .map_err(|e| problems.push(("name", e)))
            .unwrap_or_default();
        let specialty = pair(&self.specialty_es, &self.specialty_en, SPECIALTY_MAX, false)
            .map_err(|e| problems.push(("specialty_es", MemberFieldError::Text(e))))
            .unwrap_or_default();
        let bio = pair(&self.bio_es, &self.bio_en, BIO_MAX, false)
            .map_err(|e| problems.push(("bio_es", MemberFieldError::Text(e))))
            .unwrap_or_default();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ProducerProfile {
            name,
            specialty,
            bio,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_needs_a_name_and_keeps_each_language_apart() {
        let p = ProducerProfileFields {
            name: "  Rosario   Bautista ".into(),
            specialty_es: "Tapetes de lana".into(),
            bio_en: "Weaver since 1990.".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(p.name, "Rosario Bautista");
        assert_eq!(p.specialty.es.as_deref(), Some("Tapetes de lana"));
        assert_eq!(p.specialty.en, None);
        assert_eq!(p.bio.en.as_deref(), Some("Weaver since 1990."));
        assert_eq!(
            ProducerProfileFields::from_profile(&p).bio_en,
            "Weaver since 1990."
        );
    }

    #[test]
    fn a_profile_reports_each_mistake_next_to_its_field() {
        let bad = ProducerProfileFields {
            name: " ".into(),
            specialty_es: "x".repeat(SPECIALTY_MAX + 1),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "specialty_es"]);
    }
}
