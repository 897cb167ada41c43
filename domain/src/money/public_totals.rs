//! The public totals of where the money went (a cooperative's or community's page),
//! kept as running sums per month and for all time: what one journal entry adds to
//! them, and which months "the last 12 months" are. A page then reads a few rows,
//! whatever the length of the history (`store::money::public_totals`).

use crate::money::ledger::{AccountKind, EntryKind, Posting};
use chrono::{Datelike, NaiveDateTime};
use std::collections::BTreeMap;

/// The period of the running sums that holds everything, beside the months.
pub const ALL_TIME: &str = "all";

/// What a cooperative's sales gave, in one period (signed: a refund takes back).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesShares {
    /// To its artisans and guides.
    pub to_producers: i64,
    /// To its community's fund.
    pub to_fund: i64,
}

impl SalesShares {
    pub fn is_zero(self) -> bool {
        self == SalesShares::default()
    }
}

impl std::ops::AddAssign for SalesShares {
    fn add_assign(&mut self, other: SalesShares) {
        self.to_producers += other.to_producers;
        self.to_fund += other.to_fund;
    }
}

/// The accounts whose shares are "to the artisans and guides".
pub const PRODUCER_KINDS: [AccountKind; 3] = [
    AccountKind::ProducerPending,
    AccountKind::ProducerAvailable,
    AccountKind::ProducerAtCooperative,
];

/// The accounts whose shares are "to the community fund".
pub const FUND_KINDS: [AccountKind; 2] = [AccountKind::FundPending, AccountKind::FundAvailable];

/// The entries that say what was sold: sales, and refunds that took part back.
pub fn counts_as_sold(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::Sale | EntryKind::Refund | EntryKind::RefundOwed
    )
}

/// What an entry of `kind` with these postings adds to each cooperative's sales
/// shares: its postings for the cooperative's artisans and guides, and for the fund
/// of the cooperative's own community (`community_of`). Nothing for entries that do
/// not say what was sold (releases and payouts move money already counted).
pub fn sales_shares(
    kind: EntryKind,
    postings: &[Posting],
    community_of: impl Fn(i32) -> Option<i32>,
) -> BTreeMap<i32, SalesShares> {
    let mut shares: BTreeMap<i32, SalesShares> = BTreeMap::new();
    if !counts_as_sold(kind) {
        return shares;
    }
    for p in postings {
        let Some(coop) = p.cooperative else { continue };
        let owed = p.account.owed(p.centavos);
        let add = if PRODUCER_KINDS.contains(&p.account.kind) {
            SalesShares {
                to_producers: owed,
                to_fund: 0,
            }
        } else if FUND_KINDS.contains(&p.account.kind)
            && p.account.owner.is_some()
            && p.account.owner == community_of(coop)
        {
            SalesShares {
                to_producers: 0,
                to_fund: owed,
            }
        } else {
            continue;
        };
        *shares.entry(coop).or_default() += add;
    }
    shares.retain(|_, s| !s.is_zero());
    shares
}

/// The month of a site time, as the running sums name it: `2026-12`.
pub fn month_of(at: NaiveDateTime) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

/// The first of the twelve months that "the last 12 months" add up at `now`: this
/// month and the eleven before it. Months named this way sort as text.
pub fn first_of_last_12_months(now: NaiveDateTime) -> String {
    let months = now.year() * 12 + now.month0() as i32 - 11;
    format!(
        "{:04}-{:02}",
        months.div_euclid(12),
        months.rem_euclid(12) + 1
    )
}

/// The periods of the totals "the last 12 months" add up at `now`, and the all-time
/// one: named one by one, the database finds each by its key (a range or an `OR` of the
/// two read every cooperative's months: 7.5 ms for a community's page at a million
/// ledger postings).
pub fn periods_shown(now: NaiveDateTime) -> Vec<String> {
    let this = now.year() * 12 + now.month0() as i32;
    (this - 11..=this)
        .map(|m| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1))
        .chain([ALL_TIME.to_owned()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_periods_shown_are_the_twelve_months_to_now_and_all_time() {
        let at = |y, m, d| {
            NaiveDate::from_ymd_opt(y, m, d)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap()
        };
        let shown = periods_shown(at(2027, 2, 14));
        assert_eq!(shown.len(), 13);
        assert_eq!(shown[0], "2026-03");
        assert_eq!(shown[0], first_of_last_12_months(at(2027, 2, 14)));
        assert_eq!(shown[10], "2027-01");
        assert_eq!(shown[11], month_of(at(2027, 2, 14)));
        assert_eq!(shown[12], ALL_TIME);
        assert_eq!(periods_shown(at(2026, 12, 31))[0], "2026-01");
    }
    use crate::money::ledger::Account;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(23, 59, 0)
            .unwrap()
    }

    #[test]
    fn the_last_12_months_are_this_month_and_the_eleven_before() {
        assert_eq!(month_of(at(2026, 12, 7)), "2026-12");
        assert_eq!(first_of_last_12_months(at(2026, 12, 7)), "2026-01");
        assert_eq!(first_of_last_12_months(at(2026, 11, 30)), "2025-12");
        assert_eq!(first_of_last_12_months(at(2027, 1, 1)), "2026-02");
        assert!(month_of(at(2025, 11, 30)) < first_of_last_12_months(at(2026, 11, 1)));
        assert!(month_of(at(2025, 12, 1)) >= first_of_last_12_months(at(2026, 11, 1)));
    }

    fn posting(kind: AccountKind, owner: Option<i32>, centavos: i64, coop: i32) -> Posting {
        Posting {
            account: Account { kind, owner },
            centavos,
            order: Some(1),
            item: None,
            cooperative: Some(coop),
        }
    }

    #[test]
    fn a_sale_counts_the_producers_and_the_own_communitys_fund_shares() {
        let postings = [
            posting(AccountKind::Provider, None, 10_000, 7),
            posting(AccountKind::ProducerPending, Some(3), -8_000, 7),
            posting(AccountKind::FundPending, Some(70), -1_000, 7),
            posting(AccountKind::FundPending, Some(99), -500, 7),
            posting(AccountKind::CooperativePending, Some(7), -500, 7),
        ];
        let shares = sales_shares(EntryKind::Sale, &postings, |coop| Some(coop * 10));
        assert_eq!(
            shares,
            BTreeMap::from([(
                7,
                SalesShares {
                    to_producers: 8_000,
                    to_fund: 1_000
                }
            )])
        );
        assert!(sales_shares(EntryKind::Release, &postings, |c| Some(c * 10)).is_empty());
        let refund = [posting(AccountKind::ProducerAvailable, Some(3), 2_000, 7)];
        assert_eq!(
            sales_shares(EntryKind::Refund, &refund, |c| Some(c * 10))[&7].to_producers,
            -2_000
        );
    }
}
