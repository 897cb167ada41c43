//! Money is an integer number of centavos together with its currency. Never a float.

pub mod finance_forms;
pub mod finances;
pub mod fund;
pub mod ledger;
pub mod payout;
pub mod public_totals;
pub mod receipt;
pub mod split;

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Currency {
    #[serde(rename = "MXN")]
    Mxn,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Mxn => "MXN",
        }
    }

    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        match code {
            "MXN" => Ok(Currency::Mxn),
            other => Err(MoneyError::UnknownCurrency(other.to_owned())),
        }
    }
}

/// The most one price may be: 500,000 pesos. With the cart's limit on quantities,
/// totals stay far from overflowing, and under what a card payment can take (Stripe
/// takes at most 999,999.99 pesos at once).
pub const PRICE_CEILING: Money = Money::mxn(500_000_00);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    centavos: i64,
    currency: Currency,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    #[error("{0:?} is not an amount of pesos")]
    NotAnAmount(String),
    #[error("amounts cannot be negative")]
    Negative,
    #[error("amount too large")]
    TooLarge,
}

impl Money {
    pub const fn from_centavos(centavos: i64, currency: Currency) -> Self {
        Money { centavos, currency }
    }

    pub const fn mxn(centavos: i64) -> Self {
        Money::from_centavos(centavos, Currency::Mxn)
    }

    pub const fn centavos(self) -> i64 {
        self.centavos
    }

    pub const fn currency(self) -> Currency {
        self.currency
    }

    pub const fn zero(currency: Currency) -> Self {
        Money::from_centavos(0, currency)
    }

    /// The sum, or `None` if the currencies differ or it overflows.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.centavos.checked_add(other.centavos))
            .flatten()
            .map(|c| Money::from_centavos(c, self.currency))
    }

    /// The difference, or `None` if the currencies differ or it overflows.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.centavos.checked_sub(other.centavos))
            .flatten()
            .map(|c| Money::from_centavos(c, self.currency))
    }

    /// `count` times this amount (a unit price times a quantity).
    pub fn checked_times(self, count: u32) -> Option<Money> {
        self.centavos
            .checked_mul(i64::from(count))
            .map(|c| Money::from_centavos(c, self.currency))
    }

    /// Adds up `amounts` of `currency`; `None` if one is in another currency or the
    /// sum overflows.
    pub fn sum(currency: Currency, amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// Parses what a person types as an amount of pesos: `250`, `250.5`, `1,250.00`, `$300`.
    /// At most two decimals; no negative amounts.
    pub fn parse_pesos(input: &str, currency: Currency) -> Result<Self, MoneyError> {
        let not_amount = || MoneyError::NotAnAmount(input.to_owned());
        let cleaned: String = input
            .trim()
            .trim_start_matches('$')
            .chars()
            .filter(|c| *c != ',' && *c != ' ')
            .collect();
        if cleaned.starts_with('-') {
            return Err(MoneyError::Negative);
        }
        let (whole, fraction) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || fraction.len() > 2
        {
            return Err(not_amount());
        }
        let pesos: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| MoneyError::TooLarge)?
        };
        let centavos_part: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not_amount())? * 10,
            _ => fraction.parse().map_err(|_| not_amount())?,
        };
        let centavos = pesos
            .checked_mul(100)
            .and_then(|c| c.checked_add(centavos_part))
            .ok_or(MoneyError::TooLarge)?;
        Ok(Money::from_centavos(centavos, currency))
    }
}

/// `$1,250.00 MXN`: the way prices are written in Mexico, with the currency code so
/// that foreign visitors never mistake pesos for dollars.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.centavos < 0 { "-" } else { "" };
        let abs = self.centavos.unsigned_abs();
        let pesos = abs / 100;
        let cents = abs % 100;
        let digits = pesos.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        write!(f, "{sign}${grouped}.{cents:02} {}", self.currency.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_thousands_separators_and_currency() {
        assert_eq!(Money::mxn(125_000).to_string(), "$1,250.00 MXN");
        assert_eq!(Money::mxn(5).to_string(), "$0.05 MXN");
        assert_eq!(Money::mxn(123_456_789).to_string(), "$1,234,567.89 MXN");
        assert_eq!(Money::mxn(0).to_string(), "$0.00 MXN");
    }

    #[test]
    fn adds_only_the_same_currency_and_never_overflows() {
        let a = Money::mxn(150_00);
        assert_eq!(a.checked_add(Money::mxn(30_00)), Some(Money::mxn(180_00)));
        assert_eq!(a.checked_sub(Money::mxn(200_00)), Some(Money::mxn(-50_00)));
        assert_eq!(a.checked_times(3), Some(Money::mxn(450_00)));
        assert_eq!(Money::mxn(i64::MAX).checked_add(Money::mxn(1)), None);
        assert_eq!(Money::mxn(i64::MAX).checked_times(2), None);
        assert_eq!(
            Money::sum(Currency::Mxn, [a, a, Money::mxn(1)]),
            Some(Money::mxn(300_01))
        );
    }

    #[test]
    fn parses_amounts_people_type() {
        let p = |s| Money::parse_pesos(s, Currency::Mxn).map(Money::centavos);
        assert_eq!(p("250"), Ok(25_000));
        assert_eq!(p("250.5"), Ok(25_050));
        assert_eq!(p("1,250.00"), Ok(125_000));
        assert_eq!(p("$300"), Ok(30_000));
        assert_eq!(p(".5"), Ok(50));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        let p = |s| Money::parse_pesos(s, Currency::Mxn);
        assert!(matches!(p("abc"), Err(MoneyError::NotAnAmount(_))));
        assert!(matches!(p("1.234"), Err(MoneyError::NotAnAmount(_))));
        assert!(matches!(p(""), Err(MoneyError::NotAnAmount(_))));
        assert!(matches!(p("-5"), Err(MoneyError::Negative)));
        assert!(matches!(
            p("99999999999999999999"),
            Err(MoneyError::TooLarge)
        ));
    }
}
