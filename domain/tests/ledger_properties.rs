//! Random sequences of sales across cooperatives with random split rules, fees,
//! advances, deliveries, partial and full refunds before and after payouts, payouts,
//! members' payments and fund spending. After every step: every journal entry
//! balances, no centavo appears or disappears, each account's balance is the sum of
//! its postings, and the pending / available / paid-out amounts agree with a model
//! that keeps them per line and recipient without any ledger; the public totals'
//! running sums agree with the journal added up again.

// Amounts are written pesos_centavos (`333_33` is $333.33).
#![allow(clippy::inconsistent_digit_grouping)]

use domain::money::ledger::{
    self, Account, AccountKind, Balances, Entry, Item, LedgerError, Refundable, SaleItem,
};
use domain::money::public_totals::{
    FUND_KINDS, PRODUCER_KINDS, SalesShares, counts_as_sold, sales_shares,
};
use domain::money::split::{FeeSchedule, Recipient, SplitRule, largest_remainder, split_shipping};
use domain::money::{Currency, Money};
use proptest::prelude::*;
use std::collections::BTreeMap;

const COOPS: [i32; 3] = [1, 2, 3];

fn community_of(coop: i32) -> i32 {
    if coop == 3 { 200 } else { 100 }
}

fn producer_of(coop: i32, which: u8) -> i32 {
    coop * 10 + i32::from(which % 2) + 1
}

#[derive(Debug, Clone)]
enum Op {
    Sale {
        lines: Vec<(usize, u8, i64, bool)>,
        shipping: Vec<(usize, i64)>,
        fee: FeeSchedule,
    },
    Deliver(usize),
    Refund {
        order: usize,
        percent: i64,
        owed: bool,
    },
    PayOwed(usize),
    Payout {
        coop: usize,
        cancelled: bool,
    },
    PayMember {
        coop: usize,
        which: u8,
        percent: i64,
    },
    Spend {
        community: usize,
        percent: i64,
    },
}

fn rule() -> impl Strategy<Value = SplitRule> {
    (
        0u32..=10_000,
        0u32..=10_000,
        0u32..=10_000,
        0usize..4,
        prop_oneof![Just(0u32), Just(5_000), Just(3_333)],
    )
        .prop_map(|(a, b, c, carrier, advance)| {
            let mut cuts = [a, b, c];
            cuts.sort();
            SplitRule {
                producer_points: cuts[0],
                cooperative_points: cuts[1] - cuts[0],
                fund_points: cuts[2] - cuts[1],
                platform_points: 10_000 - cuts[2],
                fees_carried_by: Recipient::ALL[carrier],
                advance_points: advance,
            }
            .parse()
            .expect("adds up")
        })
}

fn op() -> impl Strategy<Value = Op> {
    let amount = prop_oneof![1i64..=3, 1i64..=200_000, Just(100), Just(333_33)];
    prop_oneof![
        4 => (
            prop::collection::vec((0usize..3, any::<u8>(), amount, any::<bool>()), 1..4),
            prop::collection::vec((0usize..3, 0i64..20_000), 0..2),
            (0u32..700, 0i64..500),
        )
            .prop_map(|(lines, shipping, (points, fixed_centavos))| Op::Sale {
                lines,
                shipping,
                fee: FeeSchedule { points, fixed_centavos },
            }),
        2 => any::<usize>().prop_map(Op::Deliver),
        2 => (any::<usize>(), 1i64..=100, any::<bool>())
            .prop_map(|(order, percent, owed)| Op::Refund { order, percent, owed }),
        1 => any::<usize>().prop_map(Op::PayOwed),
        2 => (0usize..3, prop::bool::weighted(0.2))
            .prop_map(|(coop, cancelled)| Op::Payout { coop, cancelled }),
        1 => (0usize..3, any::<u8>(), 1i64..=100)
            .prop_map(|(coop, which, percent)| Op::PayMember { coop, which, percent }),
        1 => (0usize..2, 1i64..=100).prop_map(|(community, percent)| Op::Spend { community, percent }),
    ]
}

/// One recipient's money for one line, as the model keeps it.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    pending: i64,
    available: i64,
}

#[derive(Debug, Clone)]
struct ModelItem {
    sale: SaleItem,
    order: i32,
    slots: [Slot; 4],
    refunded: i64,
}

#[derive(Debug, Default)]
struct Model {
    items: Vec<ModelItem>,
    orders: Vec<(i32, bool)>,
    at_cooperative: BTreeMap<i32, i64>,
    held_by_coop: BTreeMap<i32, i64>,
    spent: BTreeMap<i32, i64>,
    provider_in: i64,
    provider_out: i64,
    owed: BTreeMap<i32, i64>,
}

impl Model {
    fn account_of(item: &ModelItem, who: Recipient, available: bool) -> Account {
        let kind =
            |pending: AccountKind, avail: AccountKind| if available { avail } else { pending };
        match who {
            Recipient::Platform => Account::PLATFORM,
            Recipient::Producer => match item.sale.producer {
                Some(p) => Account::of(
                    kind(AccountKind::ProducerPending, AccountKind::ProducerAvailable),
                    p,
                ),
                None => Model::account_of(item, Recipient::Cooperative, available),
            },
            Recipient::Cooperative => Account::of(
                kind(
                    AccountKind::CooperativePending,
                    AccountKind::CooperativeAvailable,
                ),
                item.sale.cooperative,
            ),
            Recipient::Fund => Account::of(
                kind(AccountKind::FundPending, AccountKind::FundAvailable),
                item.sale.community,
            ),
        }
    }

    /// What the model says each account is owed (positive), without a ledger.
    fn owed(&self) -> BTreeMap<Account, i64> {
        let mut out: BTreeMap<Account, i64> = BTreeMap::new();
        for item in &self.items {
            for (i, who) in Recipient::ALL.into_iter().enumerate() {
                let slot = item.slots[i];
                if who == Recipient::Platform {
                    *out.entry(Account::PLATFORM).or_default() += slot.available;
                    continue;
                }
                *out.entry(Model::account_of(item, who, false)).or_default() += slot.pending;
                *out.entry(Model::account_of(item, who, true)).or_default() += slot.available;
            }
        }
        for (p, v) in &self.at_cooperative {
            *out.entry(Account::of(AccountKind::ProducerAtCooperative, *p))
                .or_default() += v;
        }
        for (c, v) in &self.held_by_coop {
            *out.entry(Account::of(AccountKind::CooperativeHoldsForMembers, *c))
                .or_default() += v;
        }
        for (f, v) in &self.spent {
            *out.entry(Account::of(AccountKind::FundAvailable, *f))
                .or_default() -= v;
        }
        *out.entry(Account::REFUNDS_OWED).or_default() += self.owed.values().sum::<i64>();
        *out.entry(Account::PROVIDER).or_default() += self.provider_in - self.provider_out;
        out
    }
}

struct Books {
    entries: Vec<Entry>,
    balances: Balances,
    /// The public totals' running sums per cooperative, added to entry by entry.
    public: BTreeMap<i32, SalesShares>,
}

impl Books {
    fn post(&mut self, entry: Entry) {
        let sum: i64 = entry.postings().iter().map(|p| p.centavos).sum();
        assert_eq!(sum, 0, "an entry that does not balance: {entry:?}");
        for p in entry.postings() {
            self.balances.add(p);
        }
        for (coop, shares) in
            sales_shares(entry.kind(), entry.postings(), |c| Some(community_of(c)))
        {
            *self.public.entry(coop).or_default() += shares;
        }
        self.entries.push(entry);
    }
}

fn mxn(c: i64) -> Money {
    Money::mxn(c)
}

fn percent_of(amount: i64, percent: i64) -> i64 {
    (amount * percent)
        .div_euclid(100)
        .max(if amount > 0 { 1 } else { 0 })
        .min(amount)
}

fn run(rules: [SplitRule; 3], ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut books = Books {
        entries: Vec::new(),
        balances: Balances::default(),
        public: BTreeMap::new(),
    };
    let mut m = Model::default();
    let mut next_line = 1;
    for op in ops {
        match op {
            Op::Sale {
                lines,
                shipping,
                fee,
            } => {
                let order = m.orders.len() as i32 + 1;
                let mut items = Vec::new();
                let mut made_to_order = Vec::new();
                for (coop, which, amount, mto) in lines {
                    let c = COOPS[coop];
                    items.push(SaleItem {
                        item: Item::Line(next_line),
                        amount: mxn(amount),
                        producer: Some(producer_of(c, which)),
                        cooperative: c,
                        community: community_of(c),
                        rule: rules[coop],
                    });
                    made_to_order.push(mto);
                    next_line += 1;
                }
                for (coop, amount) in shipping {
                    let c = COOPS[coop];
                    if amount == 0 {
                        continue;
                    }
                    items.push(SaleItem {
                        item: Item::Shipping(next_line),
                        amount: mxn(amount),
                        producer: None,
                        cooperative: c,
                        community: community_of(c),
                        rule: rules[coop],
                    });
                    made_to_order.push(false);
                    next_line += 1;
                }
                let total: i64 = items.iter().map(|i| i.amount.centavos()).sum();
                let fee_paid = fee.fee(mxn(total)).centavos();
                let sale = ledger::sale(order, &items, mxn(fee_paid)).expect("a sale");
                // The model's own split: the fee shared by largest remainder, each item
                // split by its rule.
                let weights: Vec<i64> = items.iter().map(|i| i.amount.centavos()).collect();
                let fees = largest_remainder(fee_paid, &weights).unwrap();
                for ((item, fee), (_, split)) in items.iter().zip(&fees).zip(&sale.splits) {
                    prop_assert_eq!(split.total(), item.amount, "a receipt line adds up");
                    prop_assert_eq!(split.fee, mxn(*fee));
                }
                let sale_postings = Balances::from_postings(sale.entry.postings());
                books.post(sale.entry);
                m.provider_in += total - fee_paid;
                for ((item, (_, split)), mto) in items.iter().zip(&sale.splits).zip(made_to_order) {
                    let mut slots = [Slot::default(); 4];
                    for (i, who) in Recipient::ALL.into_iter().enumerate() {
                        slots[i] = if who == Recipient::Platform {
                            Slot {
                                pending: 0,
                                available: split.net.of(who).centavos(),
                            }
                        } else {
                            Slot {
                                pending: split.net.of(who).centavos(),
                                available: 0,
                            }
                        };
                    }
                    if mto && item.rule.advance_points > 0 && matches!(item.item, Item::Line(_)) {
                        if let Some(entry) =
                            ledger::advance(&sale_postings, item.item, item.rule.advance_points)
                        {
                            books.post(entry);
                        }
                        let a = slots[0].pending * i64::from(item.rule.advance_points) / 10_000;
                        slots[0].pending -= a;
                        slots[0].available += a;
                    }
                    m.items.push(ModelItem {
                        sale: *item,
                        order,
                        slots,
                        refunded: 0,
                    });
                }
                m.orders.push((order, false));
            }
            Op::Deliver(i) => {
                if m.orders.is_empty() {
                    continue;
                }
                let (order, delivered) = m.orders[i % m.orders.len()];
                if delivered {
                    continue;
                }
                let at = i % m.orders.len();
                m.orders[at].1 = true;
                let these = books
                    .balances
                    .only(|p| p.order == Some(order) && p.item.is_some());
                if let Some(entry) = ledger::release(&these) {
                    books.post(entry);
                }
                for item in m.items.iter_mut().filter(|it| it.order == order) {
                    for slot in &mut item.slots {
                        slot.available += slot.pending;
                        slot.pending = 0;
                    }
                }
            }
            Op::Refund {
                order,
                percent,
                owed,
            } => {
                if m.orders.is_empty() {
                    continue;
                }
                let (order, _) = m.orders[order % m.orders.len()];
                let of_order: Vec<usize> = (0..m.items.len())
                    .filter(|i| m.items[*i].order == order)
                    .collect();
                let left: i64 = of_order
                    .iter()
                    .map(|i| m.items[*i].sale.amount.centavos() - m.items[*i].refunded)
                    .sum();
                if left == 0 {
                    let r = ledger::refund(&[], mxn(1), &books.balances, owed);
                    prop_assert!(r.is_err());
                    continue;
                }
                let amount = percent_of(left, percent);
                let refundables: Vec<Refundable> = of_order
                    .iter()
                    .map(|i| Refundable {
                        sale: m.items[*i].sale,
                        order,
                        refunded_before: mxn(m.items[*i].refunded),
                    })
                    .collect();
                let too_much = ledger::refund(&refundables, mxn(left + 1), &books.balances, owed);
                prop_assert_eq!(too_much, Err(LedgerError::MoreThanPaid { left: mxn(left) }));
                let entry = ledger::refund(&refundables, mxn(amount), &books.balances, owed)
                    .expect("a refund of what is left");
                books.post(entry);
                // The model: shared by what is left of each line, each line's recipients
                // giving back the change in their gross share, pending first.
                let weights: Vec<i64> = of_order
                    .iter()
                    .map(|i| m.items[*i].sale.amount.centavos() - m.items[*i].refunded)
                    .collect();
                let parts = largest_remainder(amount, &weights).unwrap();
                for (i, part) in of_order.iter().zip(parts) {
                    let item = &mut m.items[*i];
                    let gross = |c: i64| match item.sale.item {
                        Item::Line(_) => item.sale.rule.split(mxn(c)),
                        Item::Shipping(_) => split_shipping(&item.sale.rule, mxn(c), mxn(0)).net,
                    };
                    let before = gross(item.refunded);
                    let after = gross(item.refunded + part);
                    for (s, who) in Recipient::ALL.into_iter().enumerate() {
                        let back = after.of(who).centavos() - before.of(who).centavos();
                        let slot = &mut item.slots[s];
                        let from_pending = if slot.pending > 0 {
                            back.min(slot.pending)
                        } else {
                            0
                        };
                        slot.pending -= from_pending;
                        slot.available -= back - from_pending;
                    }
                    item.refunded += part;
                }
                if owed {
                    *m.owed.entry(order).or_default() += amount;
                } else {
                    m.provider_out += amount;
                }
            }
            Op::PayOwed(i) => {
                if m.orders.is_empty() {
                    continue;
                }
                let (order, _) = m.orders[i % m.orders.len()];
                let owed = m.owed.remove(&order).unwrap_or(0);
                if owed == 0 {
                    prop_assert!(ledger::refund_paid(mxn(0), order).is_err());
                    continue;
                }
                books.post(ledger::refund_paid(mxn(owed), order).unwrap());
                m.provider_out += owed;
            }
            Op::Payout { coop, cancelled } => {
                let c = COOPS[coop];
                let expected: i64 = m
                    .items
                    .iter()
                    .filter(|it| it.sale.cooperative == c)
                    .map(|it| it.slots[0].available + it.slots[1].available)
                    .sum();
                match ledger::payout(c, &books.balances, Currency::Mxn) {
                    Err(e) => {
                        prop_assert_eq!(e, LedgerError::NothingToPay);
                        prop_assert!(
                            expected <= 0,
                            "nothing to pay, yet the model owes {}",
                            expected
                        );
                    }
                    Ok(payout) => {
                        prop_assert_eq!(payout.total, mxn(expected));
                        prop_assert!(payout.transfers.iter().all(|t| t.centavos > 0));
                        prop_assert_eq!(
                            payout.transfers.iter().map(|t| t.centavos).sum::<i64>(),
                            expected
                        );
                        let started = payout.entry.postings().to_vec();
                        books.post(payout.entry);
                        let in_transit = Account::of(AccountKind::PayoutInTransit, c);
                        prop_assert_eq!(in_transit.owed(books.balances.of(in_transit)), expected);
                        if cancelled {
                            books.post(ledger::payout_cancelled(&started).unwrap());
                            prop_assert_eq!(books.balances.of(in_transit), 0);
                            check(&books, &m)?;
                            continue;
                        }
                        books.post(ledger::payout_sent(c, &started).unwrap());
                        prop_assert_eq!(books.balances.of(in_transit), 0);
                        m.provider_out += expected;
                        for it in m.items.iter_mut().filter(|it| it.sale.cooperative == c) {
                            if let Some(p) = it.sale.producer {
                                *m.at_cooperative.entry(p).or_default() += it.slots[0].available;
                                *m.held_by_coop.entry(c).or_default() += it.slots[0].available;
                                it.slots[0].available = 0;
                            } else {
                                // No producer: their share was the cooperative's own.
                                it.slots[1].available += it.slots[0].available;
                                it.slots[0].available = 0;
                            }
                            it.slots[1].available = 0;
                        }
                    }
                }
            }
            Op::PayMember {
                coop,
                which,
                percent,
            } => {
                let c = COOPS[coop];
                let p = producer_of(c, which);
                let held = *m.at_cooperative.get(&p).unwrap_or(&0);
                let in_books = Account::of(AccountKind::ProducerAtCooperative, p).owed(
                    books
                        .balances
                        .of(Account::of(AccountKind::ProducerAtCooperative, p)),
                );
                prop_assert_eq!(in_books, held);
                if held <= 0 {
                    prop_assert!(ledger::member_payment(c, p, mxn(1), mxn(held)).is_err());
                    continue;
                }
                let amount = percent_of(held, percent);
                books.post(ledger::member_payment(c, p, mxn(amount), mxn(held)).unwrap());
                *m.at_cooperative.entry(p).or_default() -= amount;
                *m.held_by_coop.entry(c).or_default() -= amount;
            }
            Op::Spend { community, percent } => {
                let f = [100, 200][community];
                let account = Account::of(AccountKind::FundAvailable, f);
                let available = account.owed(books.balances.of(account));
                if available <= 0 {
                    prop_assert!(ledger::fund_spending(f, mxn(1), mxn(available)).is_err());
                    continue;
                }
                let amount = percent_of(available, percent);
                prop_assert!(ledger::fund_spending(f, mxn(available + 1), mxn(available)).is_err());
                books.post(ledger::fund_spending(f, mxn(amount), mxn(available)).unwrap());
                *m.spent.entry(f).or_default() += amount;
                m.provider_out += amount;
            }
        }
        check(&books, &m)?;
    }
    Ok(())
}

fn check(books: &Books, m: &Model) -> Result<(), TestCaseError> {
    // Each account is the sum of its postings, read again from every entry.
    let again = Balances::from_postings(books.entries.iter().flat_map(|e| e.postings()));
    prop_assert_eq!(&again, &books.balances);
    // No centavo appears or disappears: all balances together are zero.
    let mut accounts: Vec<Account> = books
        .entries
        .iter()
        .flat_map(|e| e.postings().iter().map(|p| p.account))
        .collect();
    accounts.sort();
    accounts.dedup();
    let sum: i64 = accounts.iter().map(|a| books.balances.of(*a)).sum();
    prop_assert_eq!(sum, 0);
    // The fees account only passes fees on.
    prop_assert_eq!(books.balances.of(Account::FEES), 0);
    // Every account holds what the model says, and the model's accounts are all there.
    let model = m.owed();
    for a in &accounts {
        let books_says = a.owed(books.balances.of(*a));
        prop_assert_eq!(books_says, *model.get(a).unwrap_or(&0), "account {:?}", a);
    }
    for (a, v) in &model {
        if *v != 0 {
            prop_assert!(
                accounts.contains(a),
                "the model's {:?} holds {} the books lack",
                a,
                v
            );
        }
    }
    // Pending never goes below zero; what the provider holds is what came in less what
    // went out.
    for a in &accounts {
        if matches!(
            a.kind,
            AccountKind::ProducerPending
                | AccountKind::CooperativePending
                | AccountKind::FundPending
        ) {
            prop_assert!(a.owed(books.balances.of(*a)) >= 0, "{:?} below zero", a);
        }
    }
    prop_assert_eq!(
        books.balances.of(Account::PROVIDER),
        m.provider_in - m.provider_out
    );
    check_public_totals(books, m)
}

/// The public totals' running sums, added entry by entry, are what the whole journal
/// adds up to again; and what each community's fund got of sales is what it holds,
/// pending or available, plus what it spent.
fn check_public_totals(books: &Books, m: &Model) -> Result<(), TestCaseError> {
    let mut recount: BTreeMap<i32, SalesShares> = BTreeMap::new();
    for entry in books.entries.iter().filter(|e| counts_as_sold(e.kind())) {
        for p in entry.postings() {
            let Some(coop) = p.cooperative else { continue };
            let owed = p.account.owed(p.centavos);
            let shares = recount.entry(coop).or_default();
            if PRODUCER_KINDS.contains(&p.account.kind) {
                shares.to_producers += owed;
            } else if FUND_KINDS.contains(&p.account.kind)
                && p.account.owner == Some(community_of(coop))
            {
                shares.to_fund += owed;
            }
        }
    }
    let kept = |totals: &BTreeMap<i32, SalesShares>| {
        totals
            .iter()
            .filter(|(_, s)| !s.is_zero())
            .map(|(c, s)| (*c, *s))
            .collect::<BTreeMap<_, _>>()
    };
    prop_assert_eq!(kept(&books.public), kept(&recount));
    for community in [100, 200] {
        let given: i64 = books
            .public
            .iter()
            .filter(|(coop, _)| community_of(**coop) == community)
            .map(|(_, s)| s.to_fund)
            .sum();
        let held: i64 = [AccountKind::FundPending, AccountKind::FundAvailable]
            .into_iter()
            .map(|kind| {
                let fund = Account::of(kind, community);
                fund.owed(books.balances.of(fund))
            })
            .sum();
        prop_assert_eq!(
            given,
            held + m.spent.get(&community).copied().unwrap_or(0),
            "fund {}",
            community
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_ledger_always_balances_and_agrees_with_the_model(
        rules in [rule(), rule(), rule()],
        ops in prop::collection::vec(op(), 1..40),
    ) {
        run(rules, ops)?;
    }

    #[test]
    fn a_split_always_adds_up_and_is_within_a_centavo(rule in rule(), total in 0i64..10_000_000_000) {
        let s = rule.split(mxn(total));
        prop_assert_eq!(s.total(), mxn(total));
        for who in Recipient::ALL {
            let exact = i128::from(total) * i128::from(rule.points(who));
            let got = i128::from(s.of(who).centavos()) * 10_000;
            prop_assert!((got - exact).abs() < 10_000, "{:?}", who);
        }
    }
}
