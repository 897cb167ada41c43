//! The double-entry ledger: its accounts, its journal entries, and the rules that
//! make each entry from the event that causes it (a sale, a fee, a release, a refund,
//! a payout, a member's payment, a fund's spending).
//!
//! Every amount is signed: positive is a debit, negative a credit, and the postings of
//! every entry add up to zero ([`Entry::new`] refuses any that does not). The money
//! held at the payment provider is an asset (a debit balance); what is owed to
//! producers, cooperatives, funds and the platform are liabilities (credit balances):
//! [`Account::owed`] shows them as positive amounts. Entries are never changed: a
//! correction is another entry.

use crate::money::split::{
    LineSplit, Recipient, SplitRule, largest_remainder, split_line, split_shipping,
};
use crate::money::{Currency, Money};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kinds of account. Those with an owner name it (a producer, a cooperative, a
/// community); the others are the platform's own, one each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AccountKind {
    /// Money held by the payment provider (Stripe, or the simulated one) for the platform.
    Provider,
    /// Payment processing fees: every fee passes through here to whoever carries it.
    Fees,
    /// The platform's commission.
    Platform,
    /// Refunds owed to buyers that the provider cannot make (OXXO): paid by transfer.
    RefundsOwed,
    /// A producer's share not yet available (the craft not delivered, the tour not run).
    ProducerPending,
    /// A producer's share the next payout pays to their cooperative.
    ProducerAvailable,
    /// Paid out to the producer's cooperative, not yet passed on to the producer.
    ProducerAtCooperative,
    CooperativePending,
    CooperativeAvailable,
    /// Money the cooperative received for its members and has not yet paid them.
    CooperativeHoldsForMembers,
    FundPending,
    /// A community fund's money to spend on the projects its members approve.
    FundAvailable,
    /// A cooperative's payout on its way: set aside when the payout starts, sent when
    /// the provider confirms it (or put back if it is cancelled).
    PayoutInTransit,
}

impl AccountKind {
    pub const ALL: [AccountKind; 13] = [
        AccountKind::Provider,
        AccountKind::Fees,
        AccountKind::Platform,
        AccountKind::RefundsOwed,
        AccountKind::ProducerPending,
        AccountKind::ProducerAvailable,
        AccountKind::ProducerAtCooperative,
        AccountKind::CooperativePending,
        AccountKind::CooperativeAvailable,
        AccountKind::CooperativeHoldsForMembers,
        AccountKind::FundPending,
        AccountKind::FundAvailable,
        AccountKind::PayoutInTransit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Provider => "provider",
            AccountKind::Fees => "fees",
            AccountKind::Platform => "platform",
            AccountKind::RefundsOwed => "refunds_owed",
            AccountKind::ProducerPending => "producer_pending",
            AccountKind::ProducerAvailable => "producer_available",
            AccountKind::ProducerAtCooperative => "producer_at_cooperative",
            AccountKind::CooperativePending => "cooperative_pending",
            AccountKind::CooperativeAvailable => "cooperative_available",
            AccountKind::CooperativeHoldsForMembers => "cooperative_holds_for_members",
            AccountKind::FundPending => "fund_pending",
            AccountKind::FundAvailable => "fund_available",
            AccountKind::PayoutInTransit => "payout_in_transit",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        AccountKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Assets keep debit balances; everything else here is owed to someone.
    pub fn is_asset(self) -> bool {
        matches!(
            self,
            AccountKind::Provider | AccountKind::CooperativeHoldsForMembers
        )
    }

    /// A recipient's account before and after its share becomes available.
    pub fn pending_of(who: Recipient) -> Option<(AccountKind, AccountKind)> {
        match who {
            Recipient::Producer => {
                Some((AccountKind::ProducerPending, AccountKind::ProducerAvailable))
            }
            Recipient::Cooperative => Some((
                AccountKind::CooperativePending,
                AccountKind::CooperativeAvailable,
            )),
            Recipient::Fund => Some((AccountKind::FundPending, AccountKind::FundAvailable)),
            Recipient::Platform => None,
        }
    }
}

/// One account: a kind and, for the kinds that have one, its owner's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Account {
    pub kind: AccountKind,
    pub owner: Option<i32>,
}

impl Account {
    pub const PROVIDER: Account = Account::platform(AccountKind::Provider);
    pub const FEES: Account = Account::platform(AccountKind::Fees);
    pub const PLATFORM: Account = Account::platform(AccountKind::Platform);
    pub const REFUNDS_OWED: Account = Account::platform(AccountKind::RefundsOwed);

    const fn platform(kind: AccountKind) -> Account {
        Account { kind, owner: None }
    }

    pub const fn of(kind: AccountKind, owner: i32) -> Account {
        Account {
            kind,
            owner: Some(owner),
        }
    }

    /// A balance (the sum of postings) as the amount this account holds or is owed:
    /// positive for money there.
    pub fn owed(self, balance: i64) -> i64 {
        if self.kind.is_asset() {
            balance
        } else {
            -balance
        }
    }
}

/// What a line of a sale is: an order line, or a part's shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Item {
    Line(i32),
    Shipping(i32),
}

/// One posting of an entry. `order`, `item` and `cooperative` say what it concerns,
/// so that balances can be read per order (for transfers), per line (for the
/// buyer's receipt) and per cooperative (for its ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: Account,
    pub centavos: i64,
    pub order: Option<i32>,
    pub item: Option<Item>,
    pub cooperative: Option<i32>,
}

/// Why the ledger was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntryKind {
    /// A buyer's payment arrived, with its fee; split among the recipients.
    Sale,
    /// Shares became available (delivered, the tour took place).
    Release,
    /// Part of a made-to-order craft's producer share, available when paid.
    Advance,
    /// Money given back to the buyer through the provider.
    Refund,
    /// A refund the provider cannot make, owed to the buyer.
    RefundOwed,
    /// An owed refund paid by bank transfer.
    RefundPaid,
    /// A cooperative's available balance set aside for a payout.
    PayoutStarted,
    /// The payout reached the cooperative.
    Payout,
    /// A payout that was cancelled: what it had set aside is available again.
    PayoutCancelled,
    /// A cooperative paid one of its members.
    MemberPayment,
    /// A community fund paid for an approved project.
    FundSpending,
}

impl EntryKind {
    pub const ALL: [EntryKind; 11] = [
        EntryKind::Sale,
        EntryKind::Release,
        EntryKind::Advance,
        EntryKind::Refund,
        EntryKind::RefundOwed,
        EntryKind::RefundPaid,
        EntryKind::PayoutStarted,
        EntryKind::Payout,
        EntryKind::PayoutCancelled,
        EntryKind::MemberPayment,
        EntryKind::FundSpending,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Sale => "sale",
            EntryKind::Release => "release",
            EntryKind::Advance => "advance",
            EntryKind::Refund => "refund",
            EntryKind::RefundOwed => "refund_owed",
            EntryKind::RefundPaid => "refund_paid",
            EntryKind::PayoutStarted => "payout_started",
            EntryKind::Payout => "payout",
            EntryKind::PayoutCancelled => "payout_cancelled",
            EntryKind::MemberPayment => "member_payment",
            EntryKind::FundSpending => "fund_spending",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        EntryKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("the postings add up to {0} centavos, not zero")]
    Unbalanced(i64),
    #[error("an entry needs postings")]
    Empty,
    #[error("there is nothing to pay")]
    NothingToPay,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("only {available} is available")]
    MoreThanAvailable { available: Money },
    #[error("only {left} is left to refund")]
    MoreThanPaid { left: Money },
}

/// A journal entry whose postings add up to zero: the only kind there is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    kind: EntryKind,
    postings: Vec<Posting>,
}

impl Entry {
    /// The entry, if its postings balance. Zero postings are dropped.
    pub fn new(kind: EntryKind, postings: Vec<Posting>) -> Result<Entry, LedgerError> {
        let postings: Vec<Posting> = postings.into_iter().filter(|p| p.centavos != 0).collect();
        if postings.is_empty() {
            return Err(LedgerError::Empty);
        }
        let sum: i64 = postings.iter().map(|p| p.centavos).sum();
        if sum != 0 {
            return Err(LedgerError::Unbalanced(sum));
        }
        Ok(Entry { kind, postings })
    }

    pub fn kind(&self) -> EntryKind {
        self.kind
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }
}

/// One line of a sale, with everything its split needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleItem {
    pub item: Item,
    pub amount: Money,
    /// The artisan or guide (none for shipping, or a listing without one: then the
    /// cooperative takes the producer's share).
    pub producer: Option<i32>,
    pub cooperative: i32,
    pub community: i32,
    pub rule: SplitRule,
}

/// What a sale's split made: the entry, and each item's split for the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sale {
    pub entry: Entry,
    pub splits: Vec<(Item, LineSplit)>,
}

/// Whose account a recipient's share of `item` goes to, pending or (for the platform)
/// at once.
fn share_account(item: &SaleItem, who: Recipient, available: bool) -> Account {
    let owner_kind = |who: Recipient| {
        AccountKind::pending_of(who).map(|(pending, avail)| if available { avail } else { pending })
    };
    match who {
        Recipient::Platform => Account::PLATFORM,
        Recipient::Producer => match item.producer {
            Some(p) => Account::of(owner_kind(who).expect("has pending"), p),
            None => share_account(item, Recipient::Cooperative, available),
        },
        Recipient::Cooperative => {
            Account::of(owner_kind(who).expect("has pending"), item.cooperative)
        }
        Recipient::Fund => Account::of(owner_kind(who).expect("has pending"), item.community),
    }
}

fn posting(account: Account, centavos: i64, order: i32, item: &SaleItem) -> Posting {
    Posting {
        account,
        centavos,
        order: Some(order),
        item: Some(item.item),
        cooperative: Some(item.cooperative),
    }
}

/// The entry for order `order`'s payment of `items` (the money held by the provider
/// grows by what was paid), with the provider's `fee` on the whole payment shared
/// among the items in proportion to their amounts (largest remainder) and carried as
/// each item's rule says.
pub fn sale(order: i32, items: &[SaleItem], fee: Money) -> Result<Sale, LedgerError> {
    let currency = fee.currency();
    let weights: Vec<i64> = items.iter().map(|i| i.amount.centavos()).collect();
    let fees = largest_remainder(fee.centavos(), &weights).ok_or(LedgerError::NothingToPay)?;
    let mut postings = Vec::new();
    let mut splits = Vec::new();
    for (item, fee) in items.iter().zip(fees) {
        let fee = Money::from_centavos(fee, currency);
        let split = match item.item {
            Item::Line(_) => split_line(&item.rule, item.amount, fee),
            Item::Shipping(_) => split_shipping(&item.rule, item.amount, fee),
        };
        postings.push(posting(
            Account::PROVIDER,
            item.amount.centavos(),
            order,
            item,
        ));
        // The provider keeps the fee: it passes through the fees account to the
        // recipients who carry it, whose net shares are smaller by as much.
        postings.push(posting(Account::PROVIDER, -fee.centavos(), order, item));
        postings.push(posting(Account::FEES, fee.centavos(), order, item));
        postings.push(posting(Account::FEES, -fee.centavos(), order, item));
        for who in Recipient::ALL {
            postings.push(posting(
                share_account(item, who, false),
                -split.net.of(who).centavos(),
                order,
                item,
            ));
        }
        splits.push((item.item, split));
    }
    Ok(Sale {
        entry: Entry::new(EntryKind::Sale, merge(postings))?,
        splits,
    })
}

/// Adds up postings to the same account about the same things.
fn merge(postings: Vec<Posting>) -> Vec<Posting> {
    let mut out: Vec<Posting> = Vec::new();
    for p in postings {
        match out.iter_mut().find(|q| {
            q.account == p.account
                && q.order == p.order
                && q.item == p.item
                && q.cooperative == p.cooperative
                && q.centavos.signum() == p.centavos.signum()
        }) {
            Some(q) => q.centavos += p.centavos,
            None => out.push(p),
        }
    }
    out
}

/// Balances per account and item, read from the postings of some items (for a
/// release or a refund) or of a cooperative (for a payout).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    by: BTreeMap<Where, i64>,
}

/// What a balance is of: an account, for an order, an item and a cooperative.
type Where = (Account, Option<i32>, Option<Item>, Option<i32>);

impl Balances {
    pub fn add(&mut self, p: &Posting) {
        *self
            .by
            .entry((p.account, p.order, p.item, p.cooperative))
            .or_default() += p.centavos;
    }

    pub fn from_postings<'a>(postings: impl IntoIterator<Item = &'a Posting>) -> Balances {
        let mut b = Balances::default();
        for p in postings {
            b.add(p);
        }
        b
    }

    /// Only the balances of postings that `keep` says concern what is asked about.
    pub fn only(&self, keep: impl Fn(&Posting) -> bool) -> Balances {
        let mut b = Balances::default();
        for (at, balance) in self.nonzero() {
            if keep(&at) {
                b.add(&Posting {
                    centavos: balance,
                    ..at
                });
            }
        }
        b
    }

    /// The balance of `account` over everything.
    pub fn of(&self, account: Account) -> i64 {
        self.by
            .iter()
            .filter(|((a, ..), _)| *a == account)
            .map(|(_, v)| v)
            .sum()
    }

    /// The balance of `account` for `item`.
    pub fn of_item(&self, account: Account, item: Item) -> i64 {
        self.by
            .iter()
            .filter(|((a, _, i, _), _)| *a == account && *i == Some(item))
            .map(|(_, v)| v)
            .sum()
    }

    /// Every (account, order, item, cooperative) with a balance that is not zero.
    pub fn nonzero(&self) -> impl Iterator<Item = (Posting, i64)> + '_ {
        self.by
            .iter()
            .filter(|(_, v)| **v != 0)
            .map(|((a, o, i, c), v)| {
                (
                    Posting {
                        account: *a,
                        centavos: 0,
                        order: *o,
                        item: *i,
                        cooperative: *c,
                    },
                    *v,
                )
            })
    }
}

/// Moves what `kinds` hold (pending) for the items in `balances` to their available
/// accounts: the entry when a part is delivered or a tour has taken place.
/// `None` when nothing is pending.
pub fn release(balances: &Balances) -> Option<Entry> {
    let mut postings = Vec::new();
    for (at, balance) in balances.nonzero() {
        let Some(available) = available_of(at.account.kind) else {
            continue;
        };
        postings.push(Posting {
            centavos: -balance,
            ..at
        });
        postings.push(Posting {
            account: Account {
                kind: available,
                owner: at.account.owner,
            },
            centavos: balance,
            ..at
        });
    }
    Entry::new(EntryKind::Release, postings).ok()
}

fn available_of(kind: AccountKind) -> Option<AccountKind> {
    Recipient::ALL
        .into_iter()
        .filter_map(AccountKind::pending_of)
        .find(|(pending, _)| *pending == kind)
        .map(|(_, available)| available)
}

/// The advance on a made-to-order craft: `points` (of 10 000) of what its producer has
/// pending on `item` becomes available now. `None` when that is nothing.
pub fn advance(balances: &Balances, item: Item, points: u32) -> Option<Entry> {
    let mut postings = Vec::new();
    for (at, balance) in balances.nonzero() {
        if at.item != Some(item) || at.account.kind != AccountKind::ProducerPending {
            continue;
        }
        let owed = -balance;
        let now = i64::try_from(i128::from(owed) * i128::from(points) / 10_000).ok()?;
        postings.push(Posting {
            centavos: now,
            ..at
        });
        postings.push(Posting {
            account: Account::of(AccountKind::ProducerAvailable, at.account.owner?),
            centavos: -now,
            ..at
        });
    }
    Entry::new(EntryKind::Advance, postings).ok()
}

/// An item as a refund sees it: what was paid for it, what was refunded of it
/// before, and its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refundable {
    pub sale: SaleItem,
    pub order: i32,
    pub refunded_before: Money,
}

/// The entry for refunding `amount` of `items`: the amount is shared among the items
/// in proportion to what is left of each (largest remainder), and each item's
/// recipients give back their gross shares of it by the rule, so that the refunds of
/// an item always add up to the split of their sum (the fee stays with its carrier:
/// the provider keeps it). Each recipient gives back from pending first, then from
/// available — below zero if it was paid out already, which the next payout nets.
/// The money leaves the provider, or, when `owed`, is owed to the buyer.
pub fn refund(
    items: &[Refundable],
    amount: Money,
    balances: &Balances,
    owed: bool,
) -> Result<Entry, LedgerError> {
    let currency = amount.currency();
    if amount.centavos() <= 0 {
        return Err(LedgerError::NotPositive);
    }
    let left: Vec<i64> = items
        .iter()
        .map(|i| i.sale.amount.centavos() - i.refunded_before.centavos())
        .collect();
    let total_left: i64 = left.iter().sum();
    if amount.centavos() > total_left {
        return Err(LedgerError::MoreThanPaid {
            left: Money::from_centavos(total_left, currency),
        });
    }
    let parts = largest_remainder(amount.centavos(), &left).ok_or(LedgerError::NothingToPay)?;
    let to = if owed {
        Account::REFUNDS_OWED
    } else {
        Account::PROVIDER
    };
    let mut postings = Vec::new();
    // What each pending account still holds for an item, as this refund takes from it.
    let mut pending_left: BTreeMap<(Account, Item), i64> = BTreeMap::new();
    for (r, part) in items.iter().zip(parts) {
        if part == 0 {
            continue;
        }
        let s = &r.sale;
        let split_of = |m: i64| match s.item {
            Item::Line(_) => s.rule.split(Money::from_centavos(m, currency)),
            Item::Shipping(_) => {
                split_shipping(
                    &s.rule,
                    Money::from_centavos(m, currency),
                    Money::zero(currency),
                )
                .net
            }
        };
        let before = split_of(r.refunded_before.centavos());
        let after = split_of(r.refunded_before.centavos() + part);
        postings.push(posting(to, -part, r.order, s));
        for who in Recipient::ALL {
            let back = after.of(who).centavos() - before.of(who).centavos();
            let pending = share_account(s, who, false);
            let available = share_account(s, who, true);
            let left = pending_left
                .entry((pending, s.item))
                .or_insert_with(|| -balances.of_item(pending, s.item));
            // Pending first (a centavo the rounding gives back stays there too), then
            // available; once nothing is pending, all of it from available.
            let from_pending = if pending == available {
                back
            } else if *left > 0 {
                back.min(*left)
            } else {
                0
            };
            *left -= from_pending;
            postings.push(posting(pending, from_pending, r.order, s));
            if pending != available {
                postings.push(posting(available, back - from_pending, r.order, s));
            }
        }
    }
    Entry::new(
        if owed {
            EntryKind::RefundOwed
        } else {
            EntryKind::Refund
        },
        merge(postings),
    )
}

/// An owed refund paid by bank transfer: the platform's money goes to the buyer.
pub fn refund_paid(amount: Money, order: i32) -> Result<Entry, LedgerError> {
    if amount.centavos() <= 0 {
        return Err(LedgerError::NotPositive);
    }
    let p = |account, centavos| Posting {
        account,
        centavos,
        order: Some(order),
        item: None,
        cooperative: None,
    };
    Entry::new(
        EntryKind::RefundPaid,
        vec![
            p(Account::REFUNDS_OWED, amount.centavos()),
            p(Account::PROVIDER, -amount.centavos()),
        ],
    )
}

/// A payout to cooperative `cooperative`: what one transfer sends, for one order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub order: Option<i32>,
    pub centavos: i64,
}

/// A payout as it starts: the entry that sets its money aside, and the transfers
/// that will send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    pub entry: Entry,
    pub total: Money,
    pub transfers: Vec<Transfer>,
}

/// Starts paying cooperative `cooperative` everything available to it and its
/// members in `balances` (its postings): each available balance goes to zero and the
/// sum waits in transit until [`payout_sent`] (or [`payout_cancelled`]). Negative
/// balances (refunds after an earlier payout) are netted: the transfers, one per
/// order with money to send, add up to the sum.
pub fn payout(
    cooperative: i32,
    balances: &Balances,
    currency: Currency,
) -> Result<Payout, LedgerError> {
    let mut postings = Vec::new();
    let mut per_order: BTreeMap<Option<i32>, i64> = BTreeMap::new();
    for (at, balance) in balances.nonzero() {
        if at.cooperative != Some(cooperative)
            || !matches!(
                at.account.kind,
                AccountKind::CooperativeAvailable | AccountKind::ProducerAvailable
            )
        {
            continue;
        }
        let owed = -balance;
        postings.push(Posting {
            centavos: owed,
            ..at
        });
        postings.push(Posting {
            account: Account::of(AccountKind::PayoutInTransit, cooperative),
            centavos: -owed,
            ..at
        });
        *per_order.entry(at.order).or_default() += owed;
    }
    let total: i64 = per_order.values().sum();
    if total <= 0 {
        return Err(LedgerError::NothingToPay);
    }
    Ok(Payout {
        entry: Entry::new(EntryKind::PayoutStarted, postings)?,
        total: Money::from_centavos(total, currency),
        transfers: net_transfers(per_order),
    })
}

/// The payout started by `started` reached the cooperative: the provider paid what
/// was in transit, and what was its members' is now held by the cooperative for them.
pub fn payout_sent(cooperative: i32, started: &[Posting]) -> Result<Entry, LedgerError> {
    let mut postings = Vec::new();
    for p in started {
        if p.account.kind != AccountKind::PayoutInTransit {
            continue;
        }
        // The in-transit posting was a credit of what was owed: clear it.
        let owed = -p.centavos;
        postings.push(Posting {
            centavos: owed,
            ..*p
        });
        postings.push(Posting {
            account: Account::PROVIDER,
            centavos: -owed,
            ..*p
        });
    }
    for p in started {
        if p.account.kind != AccountKind::ProducerAvailable {
            continue;
        }
        let producer = p.account.owner.expect("a producer's account");
        postings.push(Posting {
            account: Account::of(AccountKind::ProducerAtCooperative, producer),
            centavos: -p.centavos,
            ..*p
        });
        postings.push(Posting {
            account: Account::of(AccountKind::CooperativeHoldsForMembers, cooperative),
            centavos: p.centavos,
            ..*p
        });
    }
    Entry::new(EntryKind::Payout, postings)
}

/// A payout that never reached the cooperative was cancelled: the reverse of what
/// `started` set aside, so everything is available again.
pub fn payout_cancelled(started: &[Posting]) -> Result<Entry, LedgerError> {
    Entry::new(
        EntryKind::PayoutCancelled,
        started
            .iter()
            .map(|p| Posting {
                centavos: -p.centavos,
                ..*p
            })
            .collect(),
    )
}

/// One transfer per order with money to send; an order that owes (a refund after a
/// payout) is netted against the others, the earliest orders first, so that no
/// transfer is negative and their sum is the payout.
fn net_transfers(per_order: BTreeMap<Option<i32>, i64>) -> Vec<Transfer> {
    let mut owing: i64 = per_order.values().filter(|v| **v < 0).map(|v| -v).sum();
    let mut out = Vec::new();
    for (order, amount) in per_order {
        if amount <= 0 {
            continue;
        }
        let netted = amount.min(owing);
        owing -= netted;
        if amount > netted {
            out.push(Transfer {
                order,
                centavos: amount - netted,
            });
        }
    }
    out
}

/// A cooperative paid its member `producer` `amount` (cash or bank transfer).
pub fn member_payment(
    cooperative: i32,
    producer: i32,
    amount: Money,
    held_for_them: Money,
) -> Result<Entry, LedgerError> {
    if amount.centavos() <= 0 {
        return Err(LedgerError::NotPositive);
    }
    if amount.centavos() > held_for_them.centavos() {
        return Err(LedgerError::MoreThanAvailable {
            available: held_for_them,
        });
    }
    let p = |account, centavos| Posting {
        account,
        centavos,
        order: None,
        item: None,
        cooperative: Some(cooperative),
    };
    Entry::new(
        EntryKind::MemberPayment,
        vec![
            p(
                Account::of(AccountKind::ProducerAtCooperative, producer),
                amount.centavos(),
            ),
            p(
                Account::of(AccountKind::CooperativeHoldsForMembers, cooperative),
                -amount.centavos(),
            ),
        ],
    )
}

/// Community `community`'s fund pays `amount` for an approved project.
pub fn fund_spending(
    community: i32,
    amount: Money,
    fund_available: Money,
) -> Result<Entry, LedgerError> {
    if amount.centavos() <= 0 {
        return Err(LedgerError::NotPositive);
    }
    if amount.centavos() > fund_available.centavos() {
        return Err(LedgerError::MoreThanAvailable {
            available: fund_available,
        });
    }
    let p = |account, centavos| Posting {
        account,
        centavos,
        order: None,
        item: None,
        cooperative: None,
    };
    Entry::new(
        EntryKind::FundSpending,
        vec![
            p(
                Account::of(AccountKind::FundAvailable, community),
                amount.centavos(),
            ),
            p(Account::PROVIDER, -amount.centavos()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::split::FeeSchedule;

    fn item(line: i32, pesos: i64, producer: i32, cooperative: i32) -> SaleItem {
        SaleItem {
            item: Item::Line(line),
            amount: Money::mxn(pesos * 100),
            producer: Some(producer),
            cooperative,
            community: 100,
            rule: SplitRule::DEFAULT,
        }
    }

    /// The worked example of the architecture notes: a $2,400 rug and two $350 pots
    /// from two cooperatives, on the default rule, with Stripe's Mexican fee.
    #[test]
    fn a_worked_sale() {
        let items = [item(1, 2_400, 11, 1), item(2, 700, 21, 2)];
        let fee = FeeSchedule::STRIPE_MEXICO.fee(Money::mxn(3_100_00));
        assert_eq!(fee, Money::mxn(133_06));
        let sale = sale(7, &items, fee).unwrap();
        let b = Balances::from_postings(sale.entry.postings());
        assert_eq!(b.of(Account::PROVIDER), 3_100_00 - 133_06);
        assert_eq!(sale.splits[0].1.fee, Money::mxn(103_01));
        assert_eq!(sale.splits[1].1.fee, Money::mxn(30_05));
        let rug = Item::Line(1);
        assert_eq!(
            b.of_item(Account::of(AccountKind::ProducerPending, 11), rug),
            -1_920_00
        );
        assert_eq!(
            b.of_item(Account::of(AccountKind::CooperativePending, 1), rug),
            -240_00
        );
        assert_eq!(
            b.of_item(Account::of(AccountKind::FundPending, 100), rug),
            -120_00
        );
        assert_eq!(b.of_item(Account::PLATFORM, rug), -16_99);
        assert_eq!(b.of_item(Account::PLATFORM, Item::Line(2)), -4_95);
        assert_eq!(b.of(Account::FEES), 0);
        let released = release(&b.only(|p| p.item == Some(rug))).unwrap();
        let after =
            Balances::from_postings(sale.entry.postings().iter().chain(released.postings()));
        assert_eq!(
            after.of(Account::of(AccountKind::ProducerAvailable, 11)),
            -1_920_00
        );
        assert_eq!(after.of(Account::of(AccountKind::ProducerPending, 11)), 0);
        assert_eq!(
            after.of(Account::of(AccountKind::ProducerPending, 21)),
            -560_00
        );
    }
}
