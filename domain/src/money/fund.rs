//! A community fund's participatory budget: members of the community's cooperatives
//! propose projects, vote for or against each while its vote is open (one vote per
//! member and proposal, changeable until it closes), and then the winning proposals
//! are approved in vote order for as long as the fund's balance covers them.
//!
//! ```text
//! voting ──count (after the vote closes)──▶ approved ──spent in full──▶ done
//!                                      └──▶ not approved
//! ```

use crate::commerce::order::codes;
use crate::field::FieldProblem;
use crate::money::Money;
use crate::money::finance_forms::{FinanceFieldError, parse_amount};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProposalStatus {
    Voting,
    Approved,
    NotApproved,
    /// Approved and spent in full.
    Done,
}

codes!(ProposalStatus {
    Voting => "voting",
    Approved => "approved",
    NotApproved => "not_approved",
    Done => "done",
});

/// Whether a vote may be cast or changed at `now`.
pub fn vote_is_open(opens: NaiveDateTime, closes: NaiveDateTime, now: NaiveDateTime) -> bool {
    opens <= now && now < closes
}

/// A proposal as the count sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub id: i32,
    pub amount: Money,
    pub votes_for: u32,
    pub votes_against: u32,
}

/// Decides the proposals whose votes have closed: a proposal wins with more votes for
/// than against; winners are taken by most votes for (then the widest margin, then
/// the earliest proposed) and approved while what is left of `balance` covers them;
/// a winner too large for what is left is passed over for smaller ones behind it.
/// Each proposal's id with whether it was approved.
pub fn count(proposals: &[Counted], balance: Money) -> Vec<(i32, bool)> {
    let mut order: Vec<&Counted> = proposals.iter().collect();
    order.sort_by(|a, b| {
        b.votes_for
            .cmp(&a.votes_for)
            .then(
                (i64::from(b.votes_for) - i64::from(b.votes_against))
                    .cmp(&(i64::from(a.votes_for) - i64::from(a.votes_against))),
            )
            .then(a.id.cmp(&b.id))
    });
    let mut left = balance.centavos();
    order
        .into_iter()
        .map(|p| {
            let wins = p.votes_for > p.votes_against;
            let fits = p.amount.centavos() <= left;
            if wins && fits {
                left -= p.amount.centavos();
            }
            (p.id, wins && fits)
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProposal {
    pub title_es: String,
    pub title_en: String,
    pub description_es: String,
    pub description_en: String,
    pub amount: Money,
    pub voting_opens: NaiveDateTime,
    pub voting_closes: NaiveDateTime,
}

/// A form's problems, each by the name of its field.
pub type FundProblems = Vec<(String, FinanceFieldError)>;

/// Reads a proposal form: both languages' title and description, the amount in pesos,
/// and how many days the vote stays open from `now` (1 to 60; 14 if left empty).
pub fn parse_proposal(
    fields: &BTreeMap<String, String>,
    now: NaiveDateTime,
) -> Result<NewProposal, FundProblems> {
    let get = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or("");
    let mut problems = Vec::new();
    let mut text = |key: &str, max: usize| {
        let v = get(key);
        if let Some(problem) = FieldProblem::of_text(v, max) {
            problems.push((key.to_owned(), FinanceFieldError::Field(problem)));
        }
        v.to_owned()
    };
    let title_es = text("title_es", 120);
    let title_en = text("title_en", 120);
    let description_es = text("description_es", 4_000);
    let description_en = text("description_en", 4_000);
    let amount = parse_amount(get("amount"))
        .map_err(|e| problems.push(("amount".to_owned(), e)))
        .ok();
    let days = match get("days") {
        "" => Some(14),
        d => d.parse::<i64>().ok().filter(|d| (1..=60).contains(d)),
    };
    if days.is_none() {
        problems.push(("days".to_owned(), FinanceFieldError::VoteDays));
    }
    match (amount, days, problems.is_empty()) {
        (Some(amount), Some(days), true) => Ok(NewProposal {
            title_es,
            title_en,
            description_es,
            description_en,
            amount,
            voting_opens: now,
            voting_closes: now + chrono::Duration::days(days),
        }),
        _ => Err(problems),
    }
}

/// What a cooperative admin typed to record spending on an approved proposal (the
/// receipt's photo comes beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingFields {
    pub amount: Money,
    pub note: String,
    pub spent_on: chrono::NaiveDate,
}

/// Longest note on a spending.
pub const SPENDING_NOTE_MAX: usize = 500;

/// Reads the spending form's `spend_amount` (pesos above zero), `spend_note` (what it
/// paid for, at most [`SPENDING_NOTE_MAX`] characters) and `spend_on` (a date not
/// after `today`).
pub fn parse_spending(
    fields: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<SpendingFields, FundProblems> {
    let get = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or("");
    let mut problems = Vec::new();
    let amount = parse_amount(get("spend_amount"))
        .map_err(|e| problems.push(("spend_amount".to_owned(), e)))
        .ok();
    let note = get("spend_note");
    if let Some(problem) = FieldProblem::of_text(note, SPENDING_NOTE_MAX) {
        problems.push(("spend_note".to_owned(), FinanceFieldError::Field(problem)));
    }
    let spent_on = FieldProblem::past_date(get("spend_on"), today)
        .map_err(|e| problems.push(("spend_on".to_owned(), FinanceFieldError::Field(e))))
        .ok();
    match (amount, spent_on, problems.is_empty()) {
        (Some(amount), Some(spent_on), true) => Ok(SpendingFields {
            amount,
            note: note.to_owned(),
            spent_on,
        }),
        _ => Err(problems),
    }
}

/// A proposal as the fund's public page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalView {
    pub id: i32,
    pub title: crate::LocalizedText,
    pub description: crate::LocalizedText,
    pub amount: Money,
    pub status: ProposalStatus,
    pub voting_opens: NaiveDateTime,
    pub voting_closes: NaiveDateTime,
    pub votes_for: u32,
    pub votes_against: u32,
    /// How the person looking voted, if they did.
    pub my_vote: Option<bool>,
    /// Spent on it so far.
    pub spent: Money,
    pub proposed_by: String,
}

/// One payment from the fund, with its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpendingView {
    pub proposal_id: i32,
    pub proposal: crate::LocalizedText,
    pub amount: Money,
    pub note: String,
    /// The receipt photo's key (`/media/{key}-{width}.webp`).
    pub receipt_photo: Option<String>,
    pub spent_on: chrono::NaiveDate,
}

/// A community fund's public page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundView {
    pub standing: crate::money::finances::FundStanding,
    /// Approved and not yet spent: what the next count cannot promise again.
    pub promised: Money,
    /// What each cooperative's sales gave the fund (after refunds), most first.
    pub inflows: Vec<(String, Money)>,
    pub proposals: Vec<ProposalView>,
    pub spending: Vec<SpendingView>,
    /// The person looking belongs to one of the community's cooperatives.
    pub can_vote: bool,
    /// The person looking administers one of them (or runs the platform).
    pub can_record_spending: bool,
}

/// What is free to approve: the fund's available balance less what approved
/// proposals were promised and have not yet spent.
pub fn free_to_approve(available: Money, promised: Money) -> Money {
    Money::mxn((available.centavos() - promised.centavos()).max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(id: i32, pesos: i64, votes_for: u32, votes_against: u32) -> Counted {
        Counted {
            id,
            amount: Money::mxn(pesos * 100),
            votes_for,
            votes_against,
        }
    }

    #[test]
    fn winners_are_approved_in_vote_order_within_the_balance() {
        let proposals = [
            p(1, 600, 5, 1),
            p(2, 500, 7, 0),
            p(3, 300, 4, 0),
            p(4, 100, 1, 3),
        ];
        let decided = count(&proposals, Money::mxn(1_000_00));
        assert_eq!(decided, vec![(2, true), (1, false), (3, true), (4, false)]);
    }

    #[test]
    fn a_tie_goes_to_the_widest_margin_then_the_first_proposed() {
        let proposals = [p(1, 100, 3, 2), p(2, 100, 3, 0), p(3, 100, 3, 0)];
        assert_eq!(
            count(&proposals, Money::mxn(200_00)),
            vec![(2, true), (3, true), (1, false)]
        );
    }

    #[test]
    fn a_proposal_needs_both_languages_an_amount_and_a_window() {
        let now = NaiveDateTime::default();
        let fields: BTreeMap<String, String> = [
            ("title_es", "Techo del taller"),
            ("title_en", ""),
            ("description_es", "Láminas nuevas"),
            ("description_en", "New roof sheets"),
            ("amount", "0"),
            ("days", "90"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let problems = parse_proposal(&fields, now).unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, vec!["title_en", "amount", "days"]);
    }

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn spending_needs_an_amount_a_note_and_a_past_date() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let ok = parse_spending(
            &form(&[
                ("spend_amount", "1,250.50"),
                ("spend_note", " Cemento "),
                ("spend_on", "2026-12-01"),
            ]),
            today,
        )
        .unwrap();
        assert_eq!(ok.amount.centavos(), 125_050);
        assert_eq!(ok.note, "Cemento");
        let problems = parse_spending(
            &form(&[
                ("spend_amount", "0"),
                ("spend_note", ""),
                ("spend_on", "2026-12-06"),
            ]),
            today,
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                (
                    "spend_amount".to_owned(),
                    FinanceFieldError::Field(FieldProblem::NotAnAmount)
                ),
                (
                    "spend_note".to_owned(),
                    FinanceFieldError::Field(FieldProblem::Required)
                ),
                (
                    "spend_on".to_owned(),
                    FinanceFieldError::Field(FieldProblem::InTheFuture)
                ),
            ]
        );
        let long = "a".repeat(SPENDING_NOTE_MAX + 1);
        let problems = parse_spending(
            &form(&[
                ("spend_amount", "10"),
                ("spend_note", &long),
                ("spend_on", "ayer"),
            ]),
            today,
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                (
                    "spend_note".to_owned(),
                    FinanceFieldError::Field(FieldProblem::TooLong {
                        max: SPENDING_NOTE_MAX
                    })
                ),
                (
                    "spend_on".to_owned(),
                    FinanceFieldError::Field(FieldProblem::NotADate)
                ),
            ]
        );
    }

    #[test]
    fn a_proposal_says_which_field_is_wrong() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let problems = parse_proposal(
            &form(&[
                ("title_es", "Techo"),
                ("title_en", &"x".repeat(121)),
                ("description_es", "Para la escuela"),
                ("description_en", "For the school"),
                ("amount", "mil"),
                ("days", "61"),
            ]),
            now,
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                (
                    "title_en".to_owned(),
                    FinanceFieldError::Field(FieldProblem::TooLong { max: 120 })
                ),
                (
                    "amount".to_owned(),
                    FinanceFieldError::Field(FieldProblem::NotAnAmount)
                ),
                ("days".to_owned(), FinanceFieldError::VoteDays),
            ]
        );
    }
}
