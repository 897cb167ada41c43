//! The forms of a cooperative's finances page: a cash or SPEI payout recorded by its
//! admin, a payment to a member, and the cooperative's split rule. Each reads what
//! was typed and says, field by field, what is wrong, in Spanish or English.

use crate::field::FieldProblem;
use crate::money::payout::PayoutMethod;
use crate::money::split::{ALL_POINTS, Recipient, SplitRule};
use crate::money::{Currency, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinanceFieldError {
    /// What any form can get wrong.
    Field(FieldProblem),
    /// Cash or SPEI (a transfer through Stripe is started, not recorded).
    NotAManualMethod,
    /// The shares the cooperative sets add up to this many hundredths of a percent,
    /// and must add up to `want`.
    SharesNotWhole {
        points: u32,
        want: u32,
    },
    AdvanceTooLarge,
    Days,
    NotAMember,
    /// A payout with nothing available to pay.
    NothingToPay,
    /// Another payout to the cooperative is still on its way.
    PayoutUnderWay,
    /// A member payment of more than the cooperative holds for the member.
    MoreThanHeld {
        held: Money,
    },
    /// A payout moved meanwhile (paid, or cancelled): it cannot be retried or cancelled.
    PayoutNotNow,
    /// Stripe made some of a failed payout's transfers after all (a timeout hid
    /// them): it cannot be cancelled, only sent again to finish it.
    PayoutWentThrough,
    /// This server takes no payments through Stripe.
    NoStripe,
    /// Stripe refused, or did not answer.
    StripeTrouble,
    /// The cooperative's Stripe account cannot receive transfers yet.
    NotConnected,
    /// A vote lasts from 1 to 60 days.
    VoteDays,
    /// Only members of the community's cooperatives propose and vote.
    NotACommunityMember,
    VoteClosed,
    NotApproved,
    /// More than what is left of the approved amount.
    MoreThanProposed {
        left: Money,
    },
    /// More than the fund has.
    FundHasOnly {
        available: Money,
    },
}

pub type FinanceProblems = Vec<(&'static str, FinanceFieldError)>;

/// `8000` points → `80`, `3333` → `33.33`.
pub fn percent(points: u32) -> String {
    let (whole, rest) = (points / 100, points % 100);
    match rest {
        0 => whole.to_string(),
        r if r % 10 == 0 => format!("{whole}.{}", r / 10),
        r => format!("{whole}.{r:02}"),
    }
}

/// `80`, `7.5`, `33,33` → hundredths of a percent; at most two decimals, 0–100 %.
pub fn parse_percent(input: &str) -> Option<u32> {
    let input = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = input.split_once('.').unwrap_or((&input, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let frac: u32 = format!("{frac:0<2}").parse().ok()?;
    let points = whole.checked_mul(100)?.checked_add(frac)?;
    (points <= ALL_POINTS).then_some(points)
}

/// A cash or SPEI payment as recorded: how, its reference, the day it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualPayment {
    pub method: PayoutMethod,
    pub reference: String,
    pub paid_on: NaiveDate,
}

const REFERENCE_MAX: usize = 120;

/// Reads a recorded payment's fields; `today` is the latest day it may say.
pub fn parse_manual(
    method: &str,
    reference: &str,
    paid_on: &str,
    today: NaiveDate,
) -> Result<ManualPayment, FinanceProblems> {
    let mut problems = Vec::new();
    let method = match PayoutMethod::parse(method.trim()) {
        Some(m) if m.is_manual() => Some(m),
        _ => {
            problems.push(("method", FinanceFieldError::NotAManualMethod));
            None
        }
    };
    let reference = reference.trim();
    if reference.is_empty() {
        problems.push((
            "reference",
            FinanceFieldError::Field(FieldProblem::Required),
        ));
    } else if reference.chars().count() > REFERENCE_MAX {
        problems.push((
            "reference",
            FinanceFieldError::Field(FieldProblem::TooLong { max: REFERENCE_MAX }),
        ));
    }
    let paid_on = match NaiveDate::parse_from_str(paid_on.trim(), "%Y-%m-%d") {
        Ok(d) if d > today => {
            problems.push((
                "paid_on",
                FinanceFieldError::Field(FieldProblem::InTheFuture),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(("paid_on", FinanceFieldError::Field(FieldProblem::NotADate)));
            None
        }
    };
    match (method, paid_on) {
        (Some(method), Some(paid_on)) if problems.is_empty() => Ok(ManualPayment {
            method,
            reference: reference.to_owned(),
            paid_on,
        }),
        _ => Err(problems),
    }
}

/// Reads a positive amount in pesos.
pub fn parse_amount(input: &str) -> Result<Money, FinanceFieldError> {
    match Money::parse_pesos(input.trim(), Currency::Mxn) {
        Ok(m) if m.centavos() > 0 => Ok(m),
        _ => Err(FinanceFieldError::Field(FieldProblem::NotAnAmount)),
    }
}

/// The split rule form, as typed: percentages of each line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitRuleFields {
    pub producer: String,
    pub cooperative: String,
    pub fund: String,
    pub advance: String,
    pub fees_carried_by: String,
    pub release_days: String,
}

impl SplitRuleFields {
    /// The form filled with the rule in force.
    pub fn of(rule: &SplitRule, release_days: u32) -> SplitRuleFields {
        SplitRuleFields {
            producer: percent(rule.producer_points),
            cooperative: percent(rule.cooperative_points),
            fund: percent(rule.fund_points),
            advance: percent(rule.advance_points),
            fees_carried_by: rule.fees_carried_by.code().to_owned(),
            release_days: release_days.to_string(),
        }
    }

    /// The new rule: the cooperative shares what the platform's commission
    /// (`platform_points`, which the platform sets) leaves. With it, after how many
    /// days a shipped part's shares become available if nobody marks it delivered.
    pub fn parse(&self, platform_points: u32) -> Result<(SplitRule, u32), FinanceProblems> {
        let mut problems = Vec::new();
        let mut pct = |field: &'static str, v: &str| match parse_percent(v) {
            Some(p) => p,
            None => {
                problems.push((field, FinanceFieldError::Field(FieldProblem::NotAPercent)));
                0
            }
        };
        let producer = pct("producer", &self.producer);
        let cooperative = pct("cooperative", &self.cooperative);
        let fund = pct("fund", &self.fund);
        let advance = pct("advance", &self.advance);
        let want = ALL_POINTS.saturating_sub(platform_points);
        if problems.is_empty() && producer + cooperative + fund != want {
            problems.push((
                "producer",
                FinanceFieldError::SharesNotWhole {
                    points: producer + cooperative + fund,
                    want,
                },
            ));
        }
        let fees_carried_by = match Recipient::parse(self.fees_carried_by.trim()) {
            Some(r) => r,
            None => {
                problems.push((
                    "fees_carried_by",
                    FinanceFieldError::Field(FieldProblem::Required),
                ));
                Recipient::Platform
            }
        };
        let days = match self.release_days.trim().parse::<u32>() {
            Ok(d) if d <= 90 => d,
            _ => {
                problems.push(("release_days", FinanceFieldError::Days));
                0
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let rule = SplitRule {
            producer_points: producer,
            cooperative_points: cooperative,
            fund_points: fund,
            platform_points,
            fees_carried_by,
            advance_points: advance,
        }
        .parse()
        .map_err(|_| vec![("advance", FinanceFieldError::AdvanceTooLarge)])?;
        Ok((rule, days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn percentages_read_like_people_write_them() {
        assert_eq!(parse_percent("80"), Some(8_000));
        assert_eq!(parse_percent("7.5"), Some(750));
        assert_eq!(parse_percent("33,33 %"), Some(3_333));
        assert_eq!(parse_percent("100"), Some(10_000));
        assert_eq!(parse_percent("100.01"), None);
        assert_eq!(parse_percent("1.234"), None);
        assert_eq!(parse_percent("-5"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(percent(3_333), "33.33");
        assert_eq!(percent(750), "7.5");
        assert_eq!(percent(8_000), "80");
    }

    #[test]
    fn a_recorded_payment_needs_its_method_reference_and_a_past_date() {
        let today = day("2026-12-02");
        let ok = parse_manual("spei", " 0123 4567 ", "2026-12-01", today).unwrap();
        assert_eq!(ok.method, PayoutMethod::Spei);
        assert_eq!(ok.reference, "0123 4567");
        let problems = parse_manual("transfer", "", "2026-12-03", today).unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("method", FinanceFieldError::NotAManualMethod),
                (
                    "reference",
                    FinanceFieldError::Field(FieldProblem::Required)
                ),
                (
                    "paid_on",
                    FinanceFieldError::Field(FieldProblem::InTheFuture)
                ),
            ]
        );
        assert_eq!(
            parse_manual("cash", "recibo 4", "2 dic", today).unwrap_err(),
            vec![("paid_on", FinanceFieldError::Field(FieldProblem::NotADate))]
        );
    }

    #[test]
    fn the_cooperative_shares_what_the_commission_leaves() {
        let fields = SplitRuleFields {
            producer: "85".into(),
            cooperative: "7.5".into(),
            fund: "2.5".into(),
            advance: "50".into(),
            fees_carried_by: "cooperative".into(),
            release_days: "10".into(),
        };
        let (rule, days) = fields.parse(500).unwrap();
        assert_eq!(rule.producer_points, 8_500);
        assert_eq!(rule.platform_points, 500);
        assert_eq!(rule.fees_carried_by, Recipient::Cooperative);
        assert_eq!(rule.advance_points, 5_000);
        assert_eq!(days, 10);
        let short = SplitRuleFields {
            producer: "80".into(),
            ..fields.clone()
        };
        assert_eq!(
            short.parse(500).unwrap_err(),
            vec![(
                "producer",
                FinanceFieldError::SharesNotWhole {
                    points: 9_000,
                    want: 9_500
                }
            )]
        );
        assert_eq!(SplitRuleFields::of(&rule, days), fields);
    }
}
