//! How a cooperative sends its crafts: its own rates (a flat amount plus so much per
//! item, free above an amount) and whether buyers may collect at the cooperative.

use crate::commerce::order::Delivery;
use crate::field::FieldProblem;
use crate::{Currency, Money};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingRates {
    /// Whether it ships at all (a cooperative may offer pickup only).
    pub ships: bool,
    pub flat: Money,
    pub per_item: Money,
    /// Goods worth at least this much ship free.
    pub free_above: Option<Money>,
    pub pickup: bool,
}

impl ShippingRates {
    /// What a cooperative that has set nothing charges: a parcel by the national post.
    pub fn standard() -> Self {
        ShippingRates {
            ships: true,
            flat: Money::mxn(150_00),
            per_item: Money::mxn(30_00),
            free_above: Some(Money::mxn(2_000_00)),
            pickup: true,
        }
    }

    /// The ways this cooperative delivers, in the order the checkout offers them.
    pub fn deliveries(&self) -> Vec<Delivery> {
        let mut ways = Vec::new();
        if self.ships {
            ways.push(Delivery::Ship);
        }
        if self.pickup {
            ways.push(Delivery::Pickup);
        }
        ways
    }

    /// What delivering `items` crafts worth `goods` costs by `delivery`, or `None` if
    /// the cooperative does not deliver that way (or the sum overflows).
    pub fn quote(&self, delivery: Delivery, items: u32, goods: Money) -> Option<Money> {
        let free = Money::zero(goods.currency());
        match delivery {
            Delivery::None => Some(free),
            Delivery::Pickup => self.pickup.then_some(free),
            Delivery::Ship if !self.ships => None,
            Delivery::Ship if items == 0 => Some(free),
            Delivery::Ship => {
                if self
                    .free_above
                    .is_some_and(|above| goods.centavos() >= above.centavos())
                {
                    return Some(free);
                }
                self.flat.checked_add(self.per_item.checked_times(items)?)
            }
        }
    }
}

/// A cooperative's shipping form, as typed (pesos).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingFields {
    pub ships: bool,
    pub flat: String,
    pub per_item: String,
    /// Empty: never free.
    pub free_above: String,
    pub pickup: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShippingFieldError {
    /// What any form can get wrong.
    Field(FieldProblem),
    /// Neither shipping nor pickup: nobody could receive a craft.
    NoWay,
}

impl ShippingFields {
    pub fn of(rates: &ShippingRates) -> Self {
        let pesos = |m: Money| format!("{}.{:02}", m.centavos() / 100, m.centavos() % 100);
        ShippingFields {
            ships: rates.ships,
            flat: pesos(rates.flat),
            per_item: pesos(rates.per_item),
            free_above: rates.free_above.map(pesos).unwrap_or_default(),
            pickup: rates.pickup,
        }
    }

    pub fn parse(&self) -> Result<ShippingRates, Vec<(&'static str, ShippingFieldError)>> {
        let mut problems = Vec::new();
        let mut amount = |field: &'static str, typed: &str| {
            Money::parse_pesos(typed, Currency::Mxn)
                .map_err(|_| {
                    problems.push((field, ShippingFieldError::Field(FieldProblem::NotAnAmount)))
                })
                .ok()
        };
        let flat = amount("flat", &self.flat);
        let per_item = amount("per_item", &self.per_item);
        let free_above = match self.free_above.trim() {
            "" => Some(None),
            typed => amount("free_above", typed).map(Some),
        };
        if !self.ships && !self.pickup {
            problems.push(("ships", ShippingFieldError::NoWay));
        }
        match (flat, per_item, free_above) {
            (Some(flat), Some(per_item), Some(free_above)) if problems.is_empty() => {
                Ok(ShippingRates {
                    ships: self.ships,
                    flat,
                    per_item,
                    free_above,
                    pickup: self.pickup,
                })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipping_is_flat_plus_per_item_and_free_above_the_amount() {
        let rates = ShippingRates::standard();
        let quote = |items, goods| rates.quote(Delivery::Ship, items, Money::mxn(goods));
        assert_eq!(quote(1, 500_00), Some(Money::mxn(180_00)));
        assert_eq!(quote(3, 900_00), Some(Money::mxn(240_00)));
        assert_eq!(quote(3, 2_000_00), Some(Money::mxn(0)));
        assert_eq!(
            rates.quote(Delivery::Pickup, 3, Money::mxn(900_00)),
            Some(Money::mxn(0))
        );
    }

    #[test]
    fn a_way_the_cooperative_does_not_offer_has_no_price() {
        let pickup_only = ShippingRates {
            ships: false,
            ..ShippingRates::standard()
        };
        assert_eq!(
            pickup_only.quote(Delivery::Ship, 1, Money::mxn(100_00)),
            None
        );
        assert_eq!(pickup_only.deliveries(), vec![Delivery::Pickup]);
    }

    #[test]
    fn the_form_reads_pesos_and_needs_one_way_to_deliver() {
        let fields = ShippingFields {
            ships: true,
            flat: "120".into(),
            per_item: "25.50".into(),
            free_above: "".into(),
            pickup: false,
        };
        let rates = fields.parse().unwrap();
        assert_eq!(rates.per_item, Money::mxn(25_50));
        assert_eq!(rates.free_above, None);
        assert_eq!(ShippingFields::of(&rates).parse(), Ok(rates));

        let bad = ShippingFields {
            ships: false,
            pickup: false,
            flat: "ten".into(),
            ..fields
        };
        assert_eq!(
            bad.parse(),
            Err(vec![
                ("flat", ShippingFieldError::Field(FieldProblem::NotAnAmount)),
                ("ships", ShippingFieldError::NoWay)
            ])
        );
    }
}
