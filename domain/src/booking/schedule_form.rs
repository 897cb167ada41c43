//! The schedule forms of the dashboard: a listing's booking rules, and one opening
//! rule at a time (every week on a weekday at a time, an extra date, a closed day).

use crate::booking::schedule::OpeningRule;
use crate::booking::slot::BookingRules;
use crate::booking::{CancellationPolicy, PartyLimits};
use crate::catalog::listing_form::{ListingFieldError, number, pair};
use crate::field::FieldProblem;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

pub type ScheduleProblems = Vec<(&'static str, ListingFieldError)>;

/// The booking rules form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BookingRulesFields {
    pub capacity: String,
    pub min_party: String,
    pub max_party: String,
    pub cutoff_hours: String,
    pub horizon_days: String,
    pub policy: String,
    pub bring_es: String,
    pub bring_en: String,
}

impl BookingRulesFields {
    /// The form filled with `rules`.
    pub fn of(rules: &BookingRules) -> Self {
        BookingRulesFields {
            capacity: rules.capacity.to_string(),
            min_party: rules.party.min.to_string(),
            max_party: rules.party.max.to_string(),
            cutoff_hours: rules.cutoff_hours.to_string(),
            horizon_days: rules.horizon_days.to_string(),
            policy: rules.policy.code().to_owned(),
            bring_es: rules.bring.es.clone().unwrap_or_default(),
            bring_en: rules.bring.en.clone().unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<BookingRules, ScheduleProblems> {
        let mut problems = ScheduleProblems::new();
        let mut check = |field: &'static str, r: Result<u32, ListingFieldError>| {
            r.map_err(|e| problems.push((field, e))).ok()
        };
        let capacity = check("capacity", number(&self.capacity, 1, 1000));
        let min = check("min_party", number(&self.min_party, 1, 1000));
        let max = check("max_party", number(&self.max_party, 1, 1000));
        let cutoff = check("cutoff_hours", number(&self.cutoff_hours, 0, 24 * 30));
        let horizon = check("horizon_days", number(&self.horizon_days, 1, 730));
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            problems.push((
                "max_party",
                ListingFieldError::Field(FieldProblem::OutOfRange { min, max: 1000 }),
            ));
        }
        let policy = CancellationPolicy::parse(&self.policy);
        if policy.is_none() {
            problems.push(("policy", ListingFieldError::Field(FieldProblem::Required)));
        }
        let bring = pair(&self.bring_es, &self.bring_en, 500, false)
            .map_err(|e| problems.push(("bring_es", e)))
            .ok();
        match (capacity, min, max, cutoff, horizon, policy, bring) {
            (
                Some(capacity),
                Some(min),
                Some(max),
                Some(cutoff_hours),
                Some(horizon_days),
                Some(policy),
                Some(bring),
            ) if problems.is_empty() => Ok(BookingRules {
                capacity,
                party: PartyLimits { min, max },
                cutoff_hours,
                horizon_days,
                policy,
                bring,
            }),
            _ => Err(problems),
        }
    }
}

/// One opening rule, as typed: `kind` is `weekly`, `extra` or `closed`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpeningRuleFields {
    pub kind: String,
    /// 1 = Monday … 7 = Sunday.
    pub weekday: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
}

impl OpeningRuleFields {
    pub fn parse(&self) -> Result<OpeningRule, ScheduleProblems> {
        let date = || {
            NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .map_err(|_| vec![("date", ListingFieldError::Field(FieldProblem::NotADateTime))])
        };
        let time = || {
            NaiveTime::parse_from_str(self.time.trim(), "%H:%M")
                .map_err(|_| vec![("time", ListingFieldError::Field(FieldProblem::NotADateTime))])
        };
        match self.kind.as_str() {
            "weekly" => {
                let weekday = number(&self.weekday, 1, 7).map_err(|e| vec![("weekday", e)])?;
                Ok(OpeningRule::Weekly {
                    weekday,
                    starts: time()?,
                })
            }
            "extra" => Ok(OpeningRule::Extra {
                at: date()?.and_time(time()?),
            }),
            "closed" => Ok(OpeningRule::Closed { on: date()? }),
            _ => Err(vec![(
                "kind",
                ListingFieldError::Field(FieldProblem::Required),
            )]),
        }
    }
}

/// Each ticket type's limit per date, `None` for none.
pub type TicketLimits = Vec<(String, Option<u32>)>;

/// The limits form: `limit_{code}` per ticket type, empty for none.
pub fn parse_ticket_limits(
    fields: &std::collections::BTreeMap<String, String>,
    tickets: &[crate::catalog::TicketType],
) -> Result<TicketLimits, Vec<(String, ListingFieldError)>> {
    let mut limits = Vec::new();
    let mut problems = Vec::new();
    for t in tickets {
        let field = format!("limit_{}", t.code);
        let typed = fields.get(&field).map(|s| s.trim()).unwrap_or_default();
        if typed.is_empty() {
            limits.push((t.code.clone(), None));
            continue;
        }
        match number(typed, 0, 1000) {
            Ok(n) => limits.push((t.code.clone(), Some(n))),
            Err(e) => problems.push((field, e)),
        }
    }
    if problems.is_empty() {
        Ok(limits)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> BookingRulesFields {
        BookingRulesFields {
            capacity: "12".into(),
            min_party: "1".into(),
            max_party: "8".into(),
            cutoff_hours: "12".into(),
            horizon_days: "90".into(),
            policy: "moderate".into(),
            bring_es: "Agua".into(),
            bring_en: String::new(),
        }
    }

    #[test]
    fn booking_rules_read_as_typed() {
        let parsed = rules().parse().unwrap();
        assert_eq!(parsed.capacity, 12);
        assert_eq!(parsed.policy, CancellationPolicy::Moderate);
        assert_eq!(BookingRulesFields::of(&parsed).parse(), Ok(parsed));
    }

    #[test]
    fn booking_rules_say_what_is_wrong() {
        let mut bad = rules();
        bad.capacity = "0".into();
        bad.min_party = "9".into();
        bad.policy = "whenever".into();
        let fields: Vec<&str> = bad.parse().unwrap_err().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["capacity", "max_party", "policy"]);
    }

    #[test]
    fn ticket_limits_are_numbers_or_nothing() {
        let tickets: Vec<crate::catalog::TicketType> = ["adult", "resident"]
            .iter()
            .map(|c| crate::catalog::TicketType {
                code: (*c).to_owned(),
                price: crate::Money::mxn(100),
                limit_per_slot: None,
            })
            .collect();
        let form = |r: &str| {
            [
                ("limit_adult".to_owned(), String::new()),
                ("limit_resident".to_owned(), r.to_owned()),
            ]
            .into_iter()
            .collect()
        };
        assert_eq!(
            parse_ticket_limits(&form("4"), &tickets),
            Ok(vec![
                ("adult".to_owned(), None),
                ("resident".to_owned(), Some(4))
            ])
        );
        assert_eq!(
            parse_ticket_limits(&form("cuatro"), &tickets).unwrap_err()[0].0,
            "limit_resident"
        );
    }

    #[test]
    fn opening_rules_of_each_kind() {
        let weekly = OpeningRuleFields {
            kind: "weekly".into(),
            weekday: "6".into(),
            time: "09:30".into(),
            ..Default::default()
        };
        assert_eq!(
            weekly.parse(),
            Ok(OpeningRule::Weekly {
                weekday: 6,
                starts: NaiveTime::from_hms_opt(9, 30, 0).unwrap()
            })
        );
        let closed = OpeningRuleFields {
            kind: "closed".into(),
            date: "2026-12-12".into(),
            ..Default::default()
        };
        assert!(matches!(closed.parse(), Ok(OpeningRule::Closed { .. })));
        let bad = OpeningRuleFields {
            kind: "extra".into(),
            date: "12/12/2026".into(),
            time: "9".into(),
            ..Default::default()
        };
        assert_eq!(bad.parse().unwrap_err()[0].0, "date");
        let day8 = OpeningRuleFields {
            kind: "weekly".into(),
            weekday: "8".into(),
            time: "09:00".into(),
            ..Default::default()
        };
        assert_eq!(day8.parse().unwrap_err()[0].0, "weekday");
    }
}
