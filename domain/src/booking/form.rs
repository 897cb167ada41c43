//! The form a visitor books with: how many of each ticket type, a name and an
//! email. Prices are never read from the form: they are the listing's own.

use crate::booking::code::BookingCodeError;
use crate::booking::{PartyError, PartyLimits};
use crate::catalog::TicketType;
use crate::{Email, EmailError, PersonName, PersonNameError};
use std::collections::BTreeMap;

/// The most places of one ticket type a form may ask for.
pub const MAX_PER_TICKET: u32 = 99;

/// What can be wrong with a booking form, each said in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingFieldError {
    Email(EmailError),
    Name(PersonNameError),
    /// A count that is not a whole number from 0 to [`MAX_PER_TICKET`].
    NotACount,
    Party(PartyError),
    Code(BookingCodeError),
    /// A ticket type with a limit per date has fewer places left.
    TicketLeft {
        left: u32,
    },
}

pub type BookingProblems = Vec<(String, BookingFieldError)>;

/// A party that may ask for places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: PersonName,
    pub email: Email,
    /// Each chosen ticket type with its count (types with none are left out).
    pub tickets: Vec<(TicketType, u32)>,
}

impl Party {
    pub fn size(&self) -> u32 {
        self.tickets.iter().map(|(_, n)| n).sum()
    }
}

/// The name of the count field of ticket type `code`.
pub fn count_field(code: &str) -> String {
    format!("count_{code}")
}

/// Reads the booking form `fields` for ticket types `choices`, within `limits`, the
/// `left` places and the places left of limited ticket types (`ticket_left`). Every
/// problem is reported, each next to its field (the party size's next to the first
/// count).
pub fn parse_party(
    fields: &BTreeMap<String, String>,
    choices: &[TicketType],
    limits: PartyLimits,
    left: u32,
    ticket_left: &[(String, u32)],
) -> Result<Party, BookingProblems> {
    let mut problems = BookingProblems::new();
    let text = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let name = PersonName::parse(text("name"))
        .map_err(|e| problems.push(("name".to_owned(), BookingFieldError::Name(e))))
        .ok();
    let email = Email::parse(text("email"))
        .map_err(|e| problems.push(("email".to_owned(), BookingFieldError::Email(e))))
        .ok();
    let mut tickets = Vec::new();
    for ticket in choices {
        let field = count_field(&ticket.code);
        let typed = text(&field).trim();
        let count = if typed.is_empty() {
            Some(0)
        } else {
            typed.parse::<u32>().ok().filter(|n| *n <= MAX_PER_TICKET)
        };
        let of_ticket = ticket_left
            .iter()
            .find(|(code, _)| *code == ticket.code)
            .map(|(_, n)| *n);
        match (count, of_ticket) {
            (Some(0), _) => {}
            (Some(n), Some(left)) if n > left => {
                problems.push((field, BookingFieldError::TicketLeft { left }))
            }
            (Some(n), _) => tickets.push((ticket.clone(), n)),
            (None, _) => problems.push((field, BookingFieldError::NotACount)),
        }
    }
    let size: u32 = tickets.iter().map(|(_, n)| n).sum();
    let counts_fine = !problems
        .iter()
        .any(|(_, e)| *e == BookingFieldError::NotACount);
    if counts_fine && let Err(e) = limits.check(size, left) {
        let first = choices
            .first()
            .map(|t| count_field(&t.code))
            .unwrap_or_default();
        problems.push((first, BookingFieldError::Party(e)));
    }
    match (name, email, problems.is_empty()) {
        (Some(name), Some(email), true) => Ok(Party {
            name,
            email,
            tickets,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Money;

    fn choices() -> Vec<TicketType> {
        ["adult", "child", "resident"]
            .iter()
            .zip([35000, 15000, 10000])
            .map(|(code, c)| TicketType {
                code: (*code).to_owned(),
                price: Money::mxn(c),
                limit_per_slot: None,
            })
            .collect()
    }

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    const LIMITS: PartyLimits = PartyLimits { min: 1, max: 8 };

    #[test]
    fn two_adults_and_a_child_is_a_party_of_three() {
        let fields = form(&[
            ("name", "Ana López"),
            ("email", "ana@example.mx"),
            ("count_adult", "2"),
            ("count_child", "1"),
            ("count_resident", ""),
        ]);
        let party = parse_party(&fields, &choices(), LIMITS, 12, &[]).unwrap();
        assert_eq!(party.size(), 3);
        assert_eq!(party.tickets.len(), 2);
        assert_eq!(party.tickets[0].0.price, Money::mxn(35000));
    }

    #[test]
    fn every_problem_is_said_next_to_its_field() {
        let fields = form(&[("name", ""), ("email", "ana"), ("count_adult", "-1")]);
        let problems = parse_party(&fields, &choices(), LIMITS, 12, &[]).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["name", "email", "count_adult"]);
    }

    #[test]
    fn a_party_must_fit_the_tour_and_the_places_left() {
        let base = [("name", "Ana"), ("email", "ana@example.mx")];
        let with = |count: &'static str| {
            let mut pairs = base.to_vec();
            pairs.push(("count_adult", count));
            parse_party(&form(&pairs), &choices(), LIMITS, 4, &[]).unwrap_err()
        };
        assert_eq!(with("0")[0].1, BookingFieldError::Party(PartyError::Empty));
        assert_eq!(
            with("5")[0].1,
            BookingFieldError::Party(PartyError::NotEnoughLeft { left: 4 })
        );
        assert_eq!(
            with("9")[0].1,
            BookingFieldError::Party(PartyError::TooMany { max: 8 })
        );
        assert_eq!(with("100")[0].1, BookingFieldError::NotACount);
    }

    #[test]
    fn a_limited_ticket_type_has_its_own_places_left() {
        let fields = form(&[
            ("name", "Ana"),
            ("email", "ana@example.mx"),
            ("count_adult", "1"),
            ("count_resident", "3"),
        ]);
        let left = [("resident".to_owned(), 2)];
        let problems = parse_party(&fields, &choices(), LIMITS, 12, &left).unwrap_err();
        assert_eq!(
            problems,
            [(
                "count_resident".to_owned(),
                BookingFieldError::TicketLeft { left: 2 }
            )]
        );
        let fewer = form(&[
            ("name", "Ana"),
            ("email", "ana@example.mx"),
            ("count_resident", "2"),
        ]);
        assert!(parse_party(&fewer, &choices(), LIMITS, 12, &left).is_ok());
    }
}
