//! What can be wrong with one field of any form: the words every form's problems
//! share. A form's own problems (`ListingFieldError`, `FinanceFieldError`…) say these
//! as `Field(FieldProblem::…)` and add only what is theirs; every message, in Spanish
//! and English, is in `app/locales/{es,en}.json` (`app::forms::FieldError::message`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldProblem {
    /// Left empty.
    Required,
    /// More than `max` characters.
    TooLong { max: usize },
    /// Not a whole number.
    NotAWholeNumber,
    /// A number outside `min..=max`.
    OutOfRange { min: u32, max: u32 },
    /// Not an amount in pesos above zero.
    NotAnAmount,
    /// An amount above what a price may be ([`crate::money::PRICE_CEILING`]).
    AboveCeiling,
    /// Not a percentage from 0 to 100.
    NotAPercent,
    /// Not a date written as `YYYY-MM-DD`.
    NotADate,
    /// Not a date and time.
    NotADateTime,
    /// A date that has not come yet, where only past ones make sense.
    InTheFuture,
    /// Not one of the choices the form offers.
    NotAChoice,
}

impl FieldProblem {
    /// [`FieldProblem::Required`] if `text` is empty, [`FieldProblem::TooLong`] if it
    /// has more than `max` characters.
    pub fn of_text(text: &str, max: usize) -> Option<FieldProblem> {
        if text.is_empty() {
            Some(FieldProblem::Required)
        } else if text.chars().count() > max {
            Some(FieldProblem::TooLong { max })
        } else {
            None
        }
    }

    /// A date written `YYYY-MM-DD` that is not after `today`.
    pub fn past_date(
        text: &str,
        today: chrono::NaiveDate,
    ) -> Result<chrono::NaiveDate, FieldProblem> {
        match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) if date > today => Err(FieldProblem::InTheFuture),
            Ok(date) => Ok(date),
            Err(_) => Err(FieldProblem::NotADate),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_needed_and_has_a_length() {
        assert_eq!(FieldProblem::of_text("", 5), Some(FieldProblem::Required));
        assert_eq!(
            FieldProblem::of_text("abcdef", 5),
            Some(FieldProblem::TooLong { max: 5 })
        );
        assert_eq!(FieldProblem::of_text("ñañañ", 5), None);
    }

    #[test]
    fn a_past_date_is_not_in_the_future() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(FieldProblem::past_date("2026-12-05", today), Ok(today));
        assert_eq!(
            FieldProblem::past_date("2026-12-06", today),
            Err(FieldProblem::InTheFuture)
        );
        assert_eq!(
            FieldProblem::past_date("5/12/2026", today),
            Err(FieldProblem::NotADate)
        );
    }
}
