//! How a sale's money is split: a cooperative's split rule and the one exact rounding
//! rule that turns its percentages into centavos.
//!
//! **Rounding (largest remainder).** Each share's exact amount is `total × points /
//! 10 000`. Every share first gets the whole centavos of its exact amount; the
//! centavos still missing (fewer than the number of shares) go one each to the
//! shares with the largest fractional remainders, ties going to the share listed
//! first (producer, cooperative, community fund, platform). The shares therefore add
//! up to the total exactly: no centavo is created or lost, and no share is ever more
//! than one centavo from its exact amount.

use crate::money::Money;
use serde::{Deserialize, Serialize};

/// Percentages are written in basis points: 100 points are 1 %, 10 000 are all.
pub const ALL_POINTS: u32 = 10_000;

/// Who receives a share of a sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Recipient {
    /// The artisan or guide who made the craft or leads the tour.
    Producer,
    /// Their cooperative.
    Cooperative,
    /// The community fund of the cooperative's community.
    Fund,
    /// Tianguis, the platform.
    Platform,
}

impl Recipient {
    /// In the order ties are broken.
    pub const ALL: [Recipient; 4] = [
        Recipient::Producer,
        Recipient::Cooperative,
        Recipient::Fund,
        Recipient::Platform,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Recipient::Producer => "producer",
            Recipient::Cooperative => "cooperative",
            Recipient::Fund => "fund",
            Recipient::Platform => "platform",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Recipient::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Splits `total` centavos in proportion to `weights` by the largest remainder rule
/// (see the module's comment). `None` if every weight is zero while `total` is not.
/// Negative totals split as the negation of their absolute value's split.
pub fn largest_remainder(total: i64, weights: &[i64]) -> Option<Vec<i64>> {
    if total < 0 {
        return largest_remainder(-total, weights).map(|v| v.into_iter().map(|x| -x).collect());
    }
    let sum: i128 = weights.iter().map(|w| i128::from((*w).max(0))).sum();
    if sum == 0 {
        return (total == 0).then(|| vec![0; weights.len()]);
    }
    let total = i128::from(total);
    let mut parts = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = total * i128::from((*w).max(0));
        parts.push(exact / sum);
        remainders.push((exact % sum, i));
    }
    let given: i128 = parts.iter().sum();
    let missing = usize::try_from(total - given).expect("fewer than one centavo per share");
    // Largest remainder first; among equal remainders, the share listed first.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.into_iter().take(missing) {
        parts[i] += 1;
    }
    Some(
        parts
            .into_iter()
            .map(|p| i64::try_from(p).expect("a share is at most the total"))
            .collect(),
    )
}

/// A cooperative's split rule, as it stands in one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitRule {
    pub producer_points: u32,
    pub cooperative_points: u32,
    pub fund_points: u32,
    pub platform_points: u32,
    /// Who carries the payment provider's fee (by default the platform's commission).
    pub fees_carried_by: Recipient,
    /// The share of a made-to-order craft's producer share paid as soon as the order
    /// is paid (the rest on delivery).
    pub advance_points: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SplitRuleError {
    #[error("the shares add up to {0} points, not 10 000 (100 %)")]
    NotWhole(u32),
    #[error("the advance is more than 100 % of the producer's share")]
    AdvanceTooLarge,
}

impl SplitRule {
    /// Tianguis's default: 80 % to the producer, 10 % to the cooperative, 5 % to the
    /// community fund, 5 % to the platform, which also carries the payment fees.
    pub const DEFAULT: SplitRule = SplitRule {
        producer_points: 8_000,
        cooperative_points: 1_000,
        fund_points: 500,
        platform_points: 500,
        fees_carried_by: Recipient::Platform,
        advance_points: 0,
    };

    pub fn parse(self) -> Result<SplitRule, SplitRuleError> {
        let sum = self.producer_points
            + self.cooperative_points
            + self.fund_points
            + self.platform_points;
        if sum != ALL_POINTS {
            return Err(SplitRuleError::NotWhole(sum));
        }
        if self.advance_points > ALL_POINTS {
            return Err(SplitRuleError::AdvanceTooLarge);
        }
        Ok(self)
    }

    pub fn points(&self, who: Recipient) -> u32 {
        match who {
            Recipient::Producer => self.producer_points,
            Recipient::Cooperative => self.cooperative_points,
            Recipient::Fund => self.fund_points,
            Recipient::Platform => self.platform_points,
        }
    }

    /// Splits `amount` by this rule, exactly.
    pub fn split(&self, amount: Money) -> Shares {
        let weights = Recipient::ALL.map(|r| i64::from(self.points(r)));
        let parts = largest_remainder(amount.centavos(), &weights)
            .expect("a parsed rule's points add up to 10 000");
        let c = amount.currency();
        Shares {
            producer: Money::from_centavos(parts[0], c),
            cooperative: Money::from_centavos(parts[1], c),
            fund: Money::from_centavos(parts[2], c),
            platform: Money::from_centavos(parts[3], c),
        }
    }
}

/// An amount split among the four recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shares {
    pub producer: Money,
    pub cooperative: Money,
    pub fund: Money,
    pub platform: Money,
}

impl Shares {
    pub fn of(&self, who: Recipient) -> Money {
        match who {
            Recipient::Producer => self.producer,
            Recipient::Cooperative => self.cooperative,
            Recipient::Fund => self.fund,
            Recipient::Platform => self.platform,
        }
    }

    pub fn total(&self) -> Money {
        Money::sum(self.producer.currency(), Recipient::ALL.map(|r| self.of(r)))
            .expect("shares of one amount")
    }
}

/// One line of a sale as its buyer's receipt shows it: where each centavo went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSplit {
    /// Each recipient's share after the payment fee was taken from its carrier.
    pub net: Shares,
    /// The payment provider's fee on this line.
    pub fee: Money,
}

impl LineSplit {
    /// Always the line's amount: net shares plus the fee.
    pub fn total(&self) -> Money {
        self.net
            .total()
            .checked_add(self.fee)
            .expect("one currency")
    }
}

/// Splits one line of `amount` by `rule`, taking `fee` (this line's part of the
/// payment's fee) from the recipient the rule says carries it. A fee larger than that
/// recipient's share is carried, beyond it, by the platform.
pub fn split_line(rule: &SplitRule, amount: Money, fee: Money) -> LineSplit {
    let gross = rule.split(amount);
    let mut net = gross;
    let c = amount.currency();
    let carrier = rule.fees_carried_by;
    // What the carrier can carry; the platform carries the rest (or all of it).
    let carried = match carrier {
        Recipient::Platform => 0,
        _ => fee.centavos().min(gross.of(carrier).centavos().max(0)),
    };
    let less = |m: Money, n: i64| Money::from_centavos(m.centavos() - n, c);
    match carrier {
        Recipient::Producer => net.producer = less(net.producer, carried),
        Recipient::Cooperative => net.cooperative = less(net.cooperative, carried),
        Recipient::Fund => net.fund = less(net.fund, carried),
        Recipient::Platform => {}
    }
    net.platform = less(net.platform, fee.centavos() - carried);
    LineSplit { net, fee }
}

/// Shipping is the cooperative's: it posts the parcel. Its share of the fee is taken
/// from the rule's carrier if that is the cooperative or the platform, and otherwise by
/// the platform (a producer has no share of shipping to carry it from).
pub fn split_shipping(rule: &SplitRule, amount: Money, fee: Money) -> LineSplit {
    let c = amount.currency();
    let zero = Money::zero(c);
    let mut net = Shares {
        producer: zero,
        cooperative: amount,
        fund: zero,
        platform: zero,
    };
    let from_coop = if rule.fees_carried_by == Recipient::Cooperative {
        fee.centavos().min(amount.centavos().max(0))
    } else {
        0
    };
    net.cooperative = Money::from_centavos(amount.centavos() - from_coop, c);
    net.platform = Money::from_centavos(-(fee.centavos() - from_coop), c);
    LineSplit { net, fee }
}

/// The payment fee for `amount` as the provider charges it: `points` of the amount
/// plus a fixed part, rounded to the nearest centavo (half up). Used as the estimate
/// for the simulated provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeSchedule {
    pub points: u32,
    pub fixed_centavos: i64,
}

impl FeeSchedule {
    /// Stripe's published price for Mexican cards and OXXO: 3.6 % + $3.00 MXN, plus
    /// 16 % IVA on the fee.
    pub const STRIPE_MEXICO: FeeSchedule = FeeSchedule {
        points: 418,
        fixed_centavos: 3_48,
    };

    pub fn fee(&self, amount: Money) -> Money {
        let variable = (i128::from(amount.centavos()) * i128::from(self.points) + 5_000) / 10_000;
        let fee = i64::try_from(variable)
            .unwrap_or(i64::MAX)
            .saturating_add(self.fixed_centavos);
        Money::from_centavos(fee.min(amount.centavos()).max(0), amount.currency())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mxn(c: i64) -> Money {
        Money::mxn(c)
    }

    #[test]
    fn one_centavo_goes_to_the_largest_share() {
        let s = SplitRule::DEFAULT.split(mxn(1));
        assert_eq!(s.producer, mxn(1));
        assert_eq!(s.total(), mxn(1));
    }

    #[test]
    fn a_hundred_in_three_equal_parts_gives_the_extra_centavo_to_the_first() {
        assert_eq!(largest_remainder(100, &[1, 1, 1]), Some(vec![34, 33, 33]));
        assert_eq!(
            largest_remainder(-100, &[1, 1, 1]),
            Some(vec![-34, -33, -33])
        );
    }

    #[test]
    fn thirty_three_point_three_three_percent_splits_exactly() {
        let rule = SplitRule {
            producer_points: 3_333,
            cooperative_points: 3_333,
            fund_points: 3_334,
            platform_points: 0,
            fees_carried_by: Recipient::Cooperative,
            advance_points: 0,
        }
        .parse()
        .unwrap();
        for total in [1, 2, 3, 99, 100, 101, 1_00_00, 333_33, 999_999_99] {
            let s = rule.split(mxn(total));
            assert_eq!(s.total(), mxn(total), "total {total}");
            for r in Recipient::ALL {
                let exact = total as f64 * f64::from(rule.points(r)) / 10_000.0;
                assert!(
                    (s.of(r).centavos() as f64 - exact).abs() < 1.0,
                    "{r:?} of {total}"
                );
            }
        }
        assert_eq!(rule.split(mxn(100)).fund, mxn(34));
        assert_eq!(rule.split(mxn(1)).fund, mxn(1));
    }

    #[test]
    fn a_rule_must_add_up_to_one_hundred_percent() {
        let rule = SplitRule {
            platform_points: 600,
            ..SplitRule::DEFAULT
        };
        assert_eq!(rule.parse(), Err(SplitRuleError::NotWhole(10_100)));
    }

    #[test]
    fn the_fee_comes_out_of_its_carrier_and_the_line_still_adds_up() {
        let line = split_line(&SplitRule::DEFAULT, mxn(1_000_00), mxn(45_28));
        assert_eq!(line.net.producer, mxn(800_00));
        assert_eq!(line.net.platform, mxn(50_00 - 45_28));
        assert_eq!(line.total(), mxn(1_000_00));

        let coop_pays = SplitRule {
            fees_carried_by: Recipient::Cooperative,
            ..SplitRule::DEFAULT
        };
        let line = split_line(&coop_pays, mxn(100_00), mxn(12_00));
        assert_eq!(line.net.cooperative, mxn(0));
        assert_eq!(
            line.net.platform,
            mxn(5_00 - 2_00),
            "beyond its share, the platform"
        );
        assert_eq!(line.total(), mxn(100_00));
    }

    #[test]
    fn shipping_is_the_cooperatives() {
        let s = split_shipping(&SplitRule::DEFAULT, mxn(150_00), mxn(6_00));
        assert_eq!(s.net.cooperative, mxn(150_00));
        assert_eq!(s.net.platform, mxn(-6_00));
        assert_eq!(s.total(), mxn(150_00));
    }

    #[test]
    fn stripes_fee_on_a_thousand_pesos() {
        assert_eq!(
            FeeSchedule::STRIPE_MEXICO.fee(mxn(1_000_00)),
            mxn(41_80 + 3_48)
        );
        assert_eq!(
            FeeSchedule::STRIPE_MEXICO.fee(mxn(1_00)),
            mxn(1_00),
            "never more than paid"
        );
    }
}
