//! A listing as its producer types it into the dashboard form, parsed into a
//! [`ListingDraft`] the store can save, or into every problem at once, each tied to
//! its field. Every text exists in Spanish and English; a title and a summary are
//! needed in at least one of them (the page shows the other language marked as such
//! until somebody translates it).

use crate::catalog::{Category, Dimensions};
use crate::field::FieldProblem;
use crate::{Currency, ListingKind, LocalizedText, Money};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The form's fields, as typed. Every field is text: numbers and dates are parsed
/// here, so a mistake is reported next to its field instead of failing the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListingFields {
    pub category: String,
    pub title_es: String,
    pub title_en: String,
    pub summary_es: String,
    pub summary_en: String,
    pub description_es: String,
    pub description_en: String,
    /// Crafts: the price. Tours: per person. Events: the general ticket (0 is free).
    pub price: String,
    pub stock: String,
    pub materials_es: String,
    pub materials_en: String,
    pub technique_es: String,
    pub technique_en: String,
    /// Crafts: width, height and depth in centimetres (all three, or none).
    pub width_cm: String,
    pub height_cm: String,
    pub depth_cm: String,
    /// Crafts: "on" when made when ordered (a checkbox; stock does not limit it).
    pub made_to_order: String,
    /// Crafts: days to make one when made to order.
    pub lead_days: String,
    pub duration_minutes: String,
    pub meeting_point_es: String,
    pub meeting_point_en: String,
    /// Tours: languages it is guided in, as ISO codes separated by commas.
    pub languages: String,
    pub max_group_size: String,
    /// Events: `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends).
    pub starts_at: String,
    pub ends_at: String,
    pub venue_es: String,
    pub venue_en: String,
}

/// A listing's content, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingDraft {
    pub kind: ListingKind,
    pub category: Category,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub description: LocalizedText,
    pub price: Money,
    pub details: DraftDetails,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftDetails {
    Craft {
        stock: u32,
        materials: LocalizedText,
        technique: LocalizedText,
        dimensions: Option<Dimensions>,
        made_to_order: bool,
        lead_days: Option<u32>,
    },
    Tour {
        duration_minutes: u32,
        meeting_point: LocalizedText,
        languages: Vec<String>,
        max_group_size: u32,
    },
    Event {
        starts_at: NaiveDateTime,
        ends_at: NaiveDateTime,
        venue: LocalizedText,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListingFieldError {
    /// Needed in Spanish or English (or both).
    RequiredInOneLanguage,
    /// What any form can get wrong.
    Field(FieldProblem),
    EndsBeforeItStarts,
    NotACategoryOfThisKind,
    NotALanguageList,
}

pub type FieldProblems = Vec<(&'static str, ListingFieldError)>;

const TITLE_MAX: usize = 120;
const SUMMARY_MAX: usize = 300;
const TEXT_MAX: usize = 5000;
const LINE_MAX: usize = 300;
/// The largest side a craft may have, in centimetres (a loom-sized rug).
const DIMENSION_MAX_CM: u32 = 2_000;
/// The longest a made-to-order craft may take, in days.
const LEAD_DAYS_MAX: u32 = 365;

impl ListingFields {
    /// The fields a draft was made from, to fill the edit form.
    pub fn from_draft(draft: &ListingDraft) -> Self {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let mut f = ListingFields {
            category: draft.category.code().to_owned(),
            title_es: text(&draft.title.es),
            title_en: text(&draft.title.en),
            summary_es: text(&draft.summary.es),
            summary_en: text(&draft.summary.en),
            description_es: text(&draft.description.es),
            description_en: text(&draft.description.en),
            price: pesos(draft.price),
            ..Default::default()
        };
        match &draft.details {
            DraftDetails::Craft {
                stock,
                materials,
                technique,
                dimensions,
                made_to_order,
                lead_days,
            } => {
                f.stock = stock.to_string();
                if let Some(d) = dimensions {
                    f.width_cm = d.width_cm.to_string();
                    f.height_cm = d.height_cm.to_string();
                    f.depth_cm = d.depth_cm.to_string();
                }
                if *made_to_order {
                    f.made_to_order = "on".to_owned();
                }
                f.lead_days = lead_days.map(|d| d.to_string()).unwrap_or_default();
                f.materials_es = text(&materials.es);
                f.materials_en = text(&materials.en);
                f.technique_es = text(&technique.es);
                f.technique_en = text(&technique.en);
            }
            DraftDetails::Tour {
                duration_minutes,
                meeting_point,
                languages,
                max_group_size,
            } => {
                f.duration_minutes = duration_minutes.to_string();
                f.meeting_point_es = text(&meeting_point.es);
                f.meeting_point_en = text(&meeting_point.en);
                f.languages = languages.join(", ");
                f.max_group_size = max_group_size.to_string();
            }
            DraftDetails::Event {
                starts_at,
                ends_at,
                venue,
            } => {
                f.starts_at = starts_at.format(DATETIME_LOCAL).to_string();
                f.ends_at = ends_at.format(DATETIME_LOCAL).to_string();
                f.venue_es = text(&venue.es);
                f.venue_en = text(&venue.en);
            }
        }
        f
    }

    /// The listing these fields describe, or every problem with them.
    pub fn parse(&self, kind: ListingKind) -> Result<ListingDraft, FieldProblems> {
        let mut problems = FieldProblems::new();
        let mut check = |field: &'static str, result: Result<(), ListingFieldError>| {
            if let Err(e) = result {
                problems.push((field, e));
            }
        };

        let category = Category::parse(self.category.trim())
            .filter(|c| kind.categories().contains(c))
            .ok_or(ListingFieldError::NotACategoryOfThisKind);
        check("category", category.map(|_| ()));
        let title = pair(&self.title_es, &self.title_en, TITLE_MAX, true);
        check("title_es", title.clone().map(|_| ()));
        let summary = pair(&self.summary_es, &self.summary_en, SUMMARY_MAX, true);
        check("summary_es", summary.clone().map(|_| ()));
        let description = pair(&self.description_es, &self.description_en, TEXT_MAX, false);
        check("description_es", description.clone().map(|_| ()));
        let price = Money::parse_pesos(&self.price, Currency::Mxn)
            .map_err(|_| ListingFieldError::Field(FieldProblem::NotAnAmount))
            .and_then(|m| {
                // A craft or a tour for nothing is a typo; a free event is not.
                if m.centavos() == 0 && kind != ListingKind::Event {
                    Err(ListingFieldError::Field(FieldProblem::NotAnAmount))
                } else if m.centavos() > crate::money::PRICE_CEILING.centavos() {
                    Err(ListingFieldError::Field(FieldProblem::AboveCeiling))
                } else {
                    Ok(m)
                }
            });
        check("price", price.map(|_| ()));

        let details = match kind {
            ListingKind::Craft => {
                let stock = number(&self.stock, 0, 100_000);
                check("stock", stock.map(|_| ()));
                let materials = pair(&self.materials_es, &self.materials_en, LINE_MAX, false);
                check("materials_es", materials.clone().map(|_| ()));
                let technique = pair(&self.technique_es, &self.technique_en, LINE_MAX, false);
                check("technique_es", technique.clone().map(|_| ()));
                let sizes = [
                    ("width_cm", &self.width_cm),
                    ("height_cm", &self.height_cm),
                    ("depth_cm", &self.depth_cm),
                ];
                let given = sizes.iter().filter(|(_, v)| !v.trim().is_empty()).count();
                let mut cm = Vec::new();
                for (field, value) in sizes {
                    // All three or none: a missing one, once another is given, is asked for.
                    if given == 0 {
                        continue;
                    }
                    let n = number(value, 1, DIMENSION_MAX_CM);
                    check(field, n.map(|_| ()));
                    cm.push(n);
                }
                let dimensions = match cm.as_slice() {
                    [] => Ok(None),
                    [Ok(w), Ok(h), Ok(d)] => Ok(Some(Dimensions {
                        width_cm: *w,
                        height_cm: *h,
                        depth_cm: *d,
                    })),
                    _ => Err(()),
                };
                let made_to_order = !self.made_to_order.trim().is_empty();
                let lead_days = if self.lead_days.trim().is_empty() {
                    Ok(None)
                } else {
                    number(&self.lead_days, 1, LEAD_DAYS_MAX).map(Some)
                };
                check("lead_days", lead_days.map(|_| ()));
                match (stock, materials, technique, dimensions, lead_days) {
                    (Ok(stock), Ok(materials), Ok(technique), Ok(dimensions), Ok(lead_days)) => {
                        Some(DraftDetails::Craft {
                            stock,
                            materials,
                            technique,
                            dimensions,
                            made_to_order,
                            lead_days,
                        })
                    }
                    _ => None,
                }
            }
            ListingKind::Tour => {
                let duration = number(&self.duration_minutes, 15, 7 * 24 * 60);
                check("duration_minutes", duration.map(|_| ()));
                let meeting = pair(
                    &self.meeting_point_es,
                    &self.meeting_point_en,
                    LINE_MAX,
                    true,
                );
                check("meeting_point_es", meeting.clone().map(|_| ()));
                let languages = language_list(&self.languages);
                check("languages", languages.clone().map(|_| ()));
                let group = number(&self.max_group_size, 1, 500);
                check("max_group_size", group.map(|_| ()));
                match (duration, meeting, languages, group) {
                    (
                        Ok(duration_minutes),
                        Ok(meeting_point),
                        Ok(languages),
                        Ok(max_group_size),
                    ) => Some(DraftDetails::Tour {
                        duration_minutes,
                        meeting_point,
                        languages,
                        max_group_size,
                    }),
                    _ => None,
                }
            }
            ListingKind::Event => {
                let starts = datetime(&self.starts_at);
                check("starts_at", starts.map(|_| ()));
                let ends = datetime(&self.ends_at).and_then(|end| match starts {
                    Ok(start) if end <= start => Err(ListingFieldError::EndsBeforeItStarts),
                    _ => Ok(end),
                });
                check("ends_at", ends.map(|_| ()));
                let venue = pair(&self.venue_es, &self.venue_en, LINE_MAX, true);
                check("venue_es", venue.clone().map(|_| ()));
                match (starts, ends, venue) {
                    (Ok(starts_at), Ok(ends_at), Ok(venue)) => Some(DraftDetails::Event {
                        starts_at,
                        ends_at,
                        venue,
                    }),
                    _ => None,
                }
            }
        };

        match (category, title, summary, description, price, details) {
            (Ok(category), Ok(title), Ok(summary), Ok(description), Ok(price), Some(details))
                if problems.is_empty() =>
            {
                Ok(ListingDraft {
                    kind,
                    category,
                    title,
                    summary,
                    description,
                    price,
                    details,
                })
            }
            _ => Err(problems),
        }
    }
}

/// The format of `<input type="datetime-local">`.
pub const DATETIME_LOCAL: &str = "%Y-%m-%dT%H:%M";

fn pesos(money: Money) -> String {
    let c = money.centavos();
    if c % 100 == 0 {
        (c / 100).to_string()
    } else {
        format!("{}.{:02}", c / 100, c % 100)
    }
}

/// A text in both languages; with `required`, at least one of them.
pub(crate) fn pair(
    es: &str,
    en: &str,
    max: usize,
    required: bool,
) -> Result<LocalizedText, ListingFieldError> {
    let clean = |s: &str| {
        let t = s.trim().replace("\r\n", "\n");
        (!t.is_empty()).then_some(t)
    };
    let text = LocalizedText {
        es: clean(es),
        en: clean(en),
    };
    if [&text.es, &text.en]
        .into_iter()
        .flatten()
        .any(|t| t.chars().count() > max)
    {
        return Err(ListingFieldError::Field(FieldProblem::TooLong { max }));
    }
    if required && text.es.is_none() && text.en.is_none() {
        return Err(ListingFieldError::RequiredInOneLanguage);
    }
    Ok(text)
}

pub(crate) fn number(input: &str, min: u32, max: u32) -> Result<u32, ListingFieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ListingFieldError::Field(FieldProblem::Required));
    }
    let n: u32 = input
        .parse()
        .map_err(|_| ListingFieldError::Field(FieldProblem::NotAWholeNumber))?;
    if n < min || n > max {
        return Err(ListingFieldError::Field(FieldProblem::OutOfRange {
            min,
            max,
        }));
    }
    Ok(n)
}

fn datetime(input: &str) -> Result<NaiveDateTime, ListingFieldError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ListingFieldError::Field(FieldProblem::Required));
    }
    NaiveDateTime::parse_from_str(input, DATETIME_LOCAL)
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%d %H:%M"))
        .map_err(|_| ListingFieldError::Field(FieldProblem::NotADateTime))
}

/// `es, zap, en` → `["es", "zap", "en"]`: two- or three-letter ISO 639 codes.
fn language_list(input: &str) -> Result<Vec<String>, ListingFieldError> {
    let codes: Vec<String> = input
        .split([',', ' '])
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.is_empty() {
        return Err(ListingFieldError::Field(FieldProblem::Required));
    }
    if codes
        .iter()
        .any(|c| !(2..=3).contains(&c.len()) || !c.chars().all(|ch| ch.is_ascii_lowercase()))
    {
        return Err(ListingFieldError::NotALanguageList);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn craft() -> ListingFields {
        ListingFields {
            category: "textiles".into(),
            title_es: "Tapete de lana".into(),
            summary_es: "Teñido con grana cochinilla".into(),
            price: "1,250.50".into(),
            stock: "3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_craft_in_spanish_only_is_a_draft() {
        let draft = craft().parse(ListingKind::Craft).unwrap();
        assert_eq!(draft.title.es.as_deref(), Some("Tapete de lana"));
        assert_eq!(draft.title.en, None);
        assert_eq!(draft.price, Money::mxn(125_050));
        assert!(matches!(
            draft.details,
            DraftDetails::Craft { stock: 3, .. }
        ));
        let again = ListingFields::from_draft(&draft).parse(ListingKind::Craft);
        assert_eq!(again, Ok(draft), "the edit form gives back the same draft");
    }

    #[test]
    fn a_craft_s_size_is_all_three_sides_or_none_and_made_to_order_keeps_its_days() {
        let sized = ListingFields {
            width_cm: "120".into(),
            height_cm: "80".into(),
            depth_cm: "1".into(),
            made_to_order: "on".into(),
            lead_days: "21".into(),
            ..craft()
        };
        let draft = sized.parse(ListingKind::Craft).unwrap();
        let DraftDetails::Craft {
            dimensions,
            made_to_order,
            lead_days,
            ..
        } = &draft.details
        else {
            panic!("a craft");
        };
        assert_eq!(
            (*dimensions, *made_to_order, *lead_days),
            (
                Some(Dimensions {
                    width_cm: 120,
                    height_cm: 80,
                    depth_cm: 1
                }),
                true,
                Some(21)
            )
        );
        assert_eq!(
            ListingFields::from_draft(&draft).parse(ListingKind::Craft),
            Ok(draft)
        );
        let half = ListingFields {
            width_cm: "120".into(),
            lead_days: "0".into(),
            ..craft()
        };
        let problems = half.parse(ListingKind::Craft).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["height_cm", "depth_cm", "lead_days"]);
    }

    #[test]
    fn a_price_above_the_ceiling_is_refused_and_one_at_it_is_not() {
        for (typed, refused) in [
            ("500,000", false),
            ("500,000.01", true),
            ("9999999999999999", true),
            ("92233720368547758.07", true),
        ] {
            let parsed = ListingFields {
                price: typed.into(),
                ..craft()
            }
            .parse(ListingKind::Craft);
            assert_eq!(parsed.is_err(), refused, "{typed}: {parsed:?}");
        }
        let problems = ListingFields {
            price: "600000".into(),
            ..craft()
        }
        .parse(ListingKind::Craft)
        .unwrap_err();
        assert_eq!(
            problems,
            vec![(
                "price",
                ListingFieldError::Field(FieldProblem::AboveCeiling)
            )]
        );
    }

    #[test]
    fn every_problem_is_reported_next_to_its_field() {
        let bad = ListingFields {
            category: "pottery".into(),
            price: "mucho".into(),
            stock: "-1".into(),
            ..Default::default()
        };
        let problems = bad.parse(ListingKind::Tour).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "category",
                "title_es",
                "summary_es",
                "price",
                "duration_minutes",
                "meeting_point_es",
                "languages",
                "max_group_size"
            ]
        );
        let craft_problems = ListingFields {
            stock: "-1".into(),
            ..craft()
        }
        .parse(ListingKind::Craft)
        .unwrap_err();
        assert_eq!(
            craft_problems,
            vec![(
                "stock",
                ListingFieldError::Field(FieldProblem::NotAWholeNumber)
            )]
        );
    }

    #[test]
    fn an_event_ends_after_it_starts_and_may_be_free() {
        let event = ListingFields {
            category: "festival".into(),
            title_es: "Guelaguetza".into(),
            summary_es: "Fiesta".into(),
            price: "0".into(),
            starts_at: "2026-07-20T10:00".into(),
            ends_at: "2026-07-20T09:00".into(),
            venue_es: "Cerro del Fortín".into(),
            ..Default::default()
        };
        assert_eq!(
            event.parse(ListingKind::Event).unwrap_err(),
            vec![("ends_at", ListingFieldError::EndsBeforeItStarts)]
        );
        let fixed = ListingFields {
            ends_at: "2026-07-20T18:00".into(),
            ..event
        };
        assert_eq!(
            fixed.parse(ListingKind::Event).unwrap().price,
            Money::mxn(0)
        );
        let free_craft = ListingFields {
            price: "0".into(),
            ..craft()
        };
        assert_eq!(
            free_craft.parse(ListingKind::Craft).unwrap_err(),
            vec![("price", ListingFieldError::Field(FieldProblem::NotAnAmount))]
        );
    }

    #[test]
    fn texts_have_limits() {
        let long = ListingFields {
            title_en: "x".repeat(TITLE_MAX + 1),
            ..craft()
        };
        assert_eq!(
            long.parse(ListingKind::Craft).unwrap_err(),
            vec![(
                "title_es",
                ListingFieldError::Field(FieldProblem::TooLong { max: TITLE_MAX })
            )]
        );
    }
}
