//! The checkout form: who is buying (name, email, an optional phone), how each
//! cooperative's crafts reach them (shipped or collected), and the address when
//! anything ships. Totals never come from the form: the store prices the cart.

use crate::commerce::order::Delivery;
use crate::field::FieldProblem;
use crate::{Email, EmailError, PersonName, PersonNameError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckoutFieldError {
    Email(EmailError),
    Name(PersonNameError),
    /// A phone that is not 10 to 15 digits (spaces, dashes and a leading + allowed).
    Phone,
    /// A line of the address left empty while something ships, or too long.
    Field(FieldProblem),
    /// Mexican postal codes are five digits.
    PostalCode,
    /// A delivery the cooperative does not offer (or none chosen).
    Delivery,
}

pub type CheckoutProblems = Vec<(String, CheckoutFieldError)>;

/// Where shipped crafts go (Mexico only: the cooperatives ship nationally).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub city: String,
    pub state: String,
    pub postal_code: String,
    /// Between which streets, a landmark: what a courier in a village needs.
    pub references: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub name: PersonName,
    pub email: Email,
    pub phone: Option<String>,
    /// Each cooperative with crafts in the cart, and how its part is delivered.
    pub deliveries: BTreeMap<i32, Delivery>,
    pub address: Option<Address>,
}

/// The name of the delivery field of cooperative `cooperative_id`.
pub fn delivery_field(cooperative_id: i32) -> String {
    format!("delivery_{cooperative_id}")
}

const MAX_LINE: usize = 200;

/// Reads the checkout form. `offered` lists, for each cooperative with crafts in the
/// cart, the deliveries it offers; a cooperative that offers one way needs no choice.
pub fn parse_checkout(
    fields: &BTreeMap<String, String>,
    offered: &[(i32, Vec<Delivery>)],
) -> Result<Checkout, CheckoutProblems> {
    let get = |k: &str| fields.get(k).map(|v| v.trim()).unwrap_or("");
    let mut problems: CheckoutProblems = Vec::new();
    let mut report = |field: &str, e| problems.push((field.to_owned(), e));

    let name = PersonName::parse(get("name"))
        .map_err(|e| report("name", CheckoutFieldError::Name(e)))
        .ok();
    let email = Email::parse(get("email"))
        .map_err(|e| report("email", CheckoutFieldError::Email(e)))
        .ok();
    let phone = match get("phone") {
        "" => None,
        typed => {
            let digits = typed.chars().filter(char::is_ascii_digit).count();
            let allowed = typed
                .char_indices()
                .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (c == '+' && i == 0));
            if allowed && (10..=15).contains(&digits) {
                Some(typed.to_owned())
            } else {
                report("phone", CheckoutFieldError::Phone);
                None
            }
        }
    };

    let mut deliveries = BTreeMap::new();
    for (cooperative, ways) in offered {
        let field = delivery_field(*cooperative);
        let chosen = match (ways.as_slice(), get(&field)) {
            ([only], "") => Some(*only),
            (_, typed) => Delivery::parse(typed).filter(|d| ways.contains(d)),
        };
        match chosen {
            Some(d) => {
                deliveries.insert(*cooperative, d);
            }
            None => report(&field, CheckoutFieldError::Delivery),
        }
    }

    let ships = deliveries.values().any(|d| *d == Delivery::Ship);
    let mut line = |field: &str, required: bool| -> String {
        let value = get(field).split_whitespace().collect::<Vec<_>>().join(" ");
        if required && value.is_empty() {
            report(field, CheckoutFieldError::Field(FieldProblem::Required));
        } else if value.chars().count() > MAX_LINE {
            report(
                field,
                CheckoutFieldError::Field(FieldProblem::TooLong { max: MAX_LINE }),
            );
        }
        value
    };
    let address = ships.then(|| Address {
        street: line("street", true),
        city: line("city", true),
        state: line("state", true),
        postal_code: line("postal_code", true),
        references: line("references", false),
    });
    if let Some(a) = &address
        && !a.postal_code.is_empty()
        && !(a.postal_code.len() == 5 && a.postal_code.chars().all(|c| c.is_ascii_digit()))
    {
        report("postal_code", CheckoutFieldError::PostalCode);
    }

    match (name, email) {
        (Some(name), Some(email)) if problems.is_empty() => Ok(Checkout {
            name,
            email,
            phone,
            deliveries,
            address,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const BOTH: &[Delivery] = &[Delivery::Ship, Delivery::Pickup];

    #[test]
    fn a_pickup_only_checkout_needs_no_address() {
        let offered = vec![(1, BOTH.to_vec()), (2, vec![Delivery::Pickup])];
        let c = parse_checkout(
            &form(&[
                ("name", "Ana López"),
                ("email", "ana@example.mx"),
                ("delivery_1", "pickup"),
            ]),
            &offered,
        )
        .unwrap();
        assert_eq!(c.deliveries[&1], Delivery::Pickup);
        assert_eq!(c.deliveries[&2], Delivery::Pickup);
        assert_eq!(c.address, None);
        assert_eq!(c.phone, None);
    }

    #[test]
    fn shipping_needs_a_whole_address_with_a_five_digit_postal_code() {
        let offered = vec![(1, BOTH.to_vec())];
        let problems = parse_checkout(
            &form(&[
                ("name", "Ana"),
                ("email", "ana@example.mx"),
                ("delivery_1", "ship"),
                ("street", "Av. Juárez 12"),
                ("postal_code", "7000"),
                ("phone", "55 1234"),
            ]),
            &offered,
        )
        .unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["phone", "city", "state", "postal_code"]);
        assert!(problems.contains(&("postal_code".into(), CheckoutFieldError::PostalCode)));
    }

    #[test]
    fn a_delivery_the_cooperative_does_not_offer_is_refused() {
        let offered = vec![(7, vec![Delivery::Pickup, Delivery::Ship])];
        let problems = parse_checkout(
            &form(&[
                ("name", "Ana"),
                ("email", "ana@example.mx"),
                ("delivery_7", "drone"),
            ]),
            &offered,
        )
        .unwrap_err();
        assert_eq!(
            problems,
            vec![("delivery_7".to_string(), CheckoutFieldError::Delivery)]
        );
    }

    #[test]
    fn a_full_shipped_checkout_reads_back() {
        let c = parse_checkout(
            &form(&[
                ("name", " Ana   López "),
                ("email", "Ana@Example.MX"),
                ("phone", "+52 951 123 4567"),
                ("delivery_3", "ship"),
                ("street", "Av. Juárez 12"),
                ("city", "Teotitlán del Valle"),
                ("state", "Oaxaca"),
                ("postal_code", "70420"),
            ]),
            &[(3, BOTH.to_vec())],
        )
        .unwrap();
        assert_eq!(c.name.as_str(), "Ana López");
        assert_eq!(c.phone.as_deref(), Some("+52 951 123 4567"));
        assert_eq!(c.address.unwrap().postal_code, "70420");
    }
}
