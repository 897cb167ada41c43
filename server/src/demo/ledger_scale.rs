//! `tianguis seed --demo --postings N` (for `bench/`): three years of sales until the
//! ledger holds N postings, so that the cooperative, community and fund pages are
//! measured over a long history. Every order goes through the store's own operations,
//! as the demo's history does: a cart, the checkout, the simulated card, collection
//! at the cooperative (which releases the shares); one order in twenty has a part
//! refunded, and each cooperative with money available is paid out every quarter.
//! At the end the ledger is checked: every entry adds up to zero, and each
//! cooperative's and community's public totals are what its postings add up to again.

use super::SeedError;
use super::history::{bad, past_order};
use chrono::{Duration, NaiveDateTime};
use domain::Money;
use domain::clock::SiteTime;
use domain::money::payout::PayoutMethod;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use store::entity::{craft, journal_posting, listing, order_part};
use store::money::payouts::{Manual, PayoutError};

/// How far back the history goes.
const YEARS_DAYS: i64 = 3 * 365;
/// Orders between two looks at how many postings the ledger holds.
const BATCH: usize = 200;
/// Days between a cooperative's payouts.
const PAYOUT_EVERY_DAYS: i64 = 91;

/// What the history added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerHistory {
    pub orders: usize,
    pub refunds: usize,
    pub payouts: usize,
    pub postings: u64,
}

/// A small, seeded generator of choices (the same history each time).
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Sells until the ledger holds `postings` postings (nothing if it does), the orders
/// spread over the three years before `now` in the order they are made.
pub async fn grow_ledger(
    db: &DatabaseConnection,
    postings: u64,
    now: NaiveDateTime,
) -> Result<LedgerHistory, SeedError> {
    let count = || journal_posting::Entity::find().count(db);
    let had = count().await?;
    let mut done = LedgerHistory {
        orders: 0,
        refunds: 0,
        payouts: 0,
        postings: had,
    };
    if had >= postings {
        return Ok(done);
    }
    // Crafts with stock to sell, or made to order, of published listings: (listing,
    // cooperative, stock, made to order). Each sale takes one from the stock kept
    // here, so no order is refused for a craft sold out.
    let mut crafts: Vec<(i32, i32, i32, bool)> = listing::Entity::find()
        .select_only()
        .columns([listing::Column::Id, listing::Column::CooperativeId])
        .columns([craft::Column::Stock, craft::Column::MadeToOrder])
        .inner_join(craft::Entity)
        .filter(listing::Column::Status.eq(domain::ListingStatus::Published.code()))
        .filter(
            sea_orm::Condition::any()
                .add(craft::Column::MadeToOrder.eq(true))
                .add(craft::Column::Stock.gt(0)),
        )
        .into_tuple()
        .all(db)
        .await?;
    let provider =
        payments::Provider::Simulated(payments::simulated::Simulated::new(db.clone(), 3));
    let payments = payments::Payments::new(provider, db.clone(), 3);
    // The orders from three years ago until a fortnight ago: all collected, and
    // their refunds made, before `now`.
    let start = now - Duration::days(YEARS_DAYS);
    let span = (YEARS_DAYS - 15) * 24 * 60;
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut next_payouts = start + Duration::days(PAYOUT_EVERY_DAYS);
    let mut sold_by: std::collections::BTreeSet<i32> = Default::default();
    // Postings an order brings, measured as it goes: how far along the years the
    // next order is.
    let mut per_order = 30.0;
    while done.postings < postings {
        let left = (postings - done.postings) as f64 / per_order;
        let batch = (left.ceil() as usize).clamp(1, BATCH);
        let (postings_before, orders_before) = (done.postings, done.orders);
        for i in 0..batch {
            let made = (done.postings - had) as f64 + i as f64 * per_order;
            let share = (made / (postings - had) as f64).min(1.0);
            let at = start + Duration::minutes((span as f64 * share) as i64);
            if at >= next_payouts {
                done.payouts += pay_out(db, &sold_by, at).await?;
                next_payouts = at + Duration::days(PAYOUT_EVERY_DAYS);
            }
            let n = done.orders;
            let mut picked: Vec<(i32, i32)> = Vec::new();
            for _ in 0..1 + dice.below(3) {
                if crafts.is_empty() {
                    return Err(bad("every craft is sold out"));
                }
                let which = dice.below(crafts.len());
                let (id, coop, stock, made_to_order) = &mut crafts[which];
                picked.push((*id, *coop));
                *stock -= 1;
                if *stock == 0 && !*made_to_order {
                    crafts.swap_remove(which);
                }
            }
            let lines: Vec<(i32, u32)> = picked.iter().map(|(craft, _)| (*craft, 1)).collect();
            let buyer = format!("comprador{n}@example.mx");
            let collected = Duration::days(1 + dice.below(10) as i64);
            let order = past_order(
                db,
                &payments,
                ("Cliente Frecuente", &buyer),
                &lines,
                at,
                Some(collected),
                1_000_000 + n,
            )
            .await?;
            done.orders += 1;
            sold_by.extend(picked.iter().map(|(_, coop)| *coop));
            if dice.below(20) == 0 {
                refund_a_part(&payments, order, at + collected).await?;
                done.refunds += 1;
            }
        }
        done.postings = count().await?;
        if done.orders > orders_before {
            per_order =
                (done.postings - postings_before) as f64 / (done.orders - orders_before) as f64;
        }
    }
    check(db, SiteTime::from_naive(now)).await?;
    Ok(done)
}

/// Half of the first part of `order` given back, after it was collected.
async fn refund_a_part(
    payments: &payments::Payments,
    order: i32,
    at: NaiveDateTime,
) -> Result<(), SeedError> {
    let part = order_part::Entity::find()
        .filter(order_part::Column::OrderId.eq(order))
        .one(payments.db())
        .await?
        .ok_or_else(|| bad("an order without parts"))?;
    let ask = store::commerce::refunds::RefundAsk {
        order_id: order,
        part_id: Some(part.id),
        booking_id: None,
        amount: Money::mxn(part.goods_centavos / 2),
        reason: "Llegó con un hilo suelto".to_owned(),
        asked_by: None,
        for_withdrawn: false,
    };
    payments
        .refund(&ask, None, SiteTime::from_naive(at + Duration::days(2)))
        .await
        .map_err(bad)?;
    Ok(())
}

/// Pays out what each of `cooperatives` has available, by SPEI; how many were paid.
async fn pay_out(
    db: &DatabaseConnection,
    cooperatives: &std::collections::BTreeSet<i32>,
    at: NaiveDateTime,
) -> Result<usize, SeedError> {
    let mut paid = 0;
    for &coop in cooperatives {
        let how = Manual {
            method: PayoutMethod::Spei,
            reference: format!("SPEI {coop}-{}", at.format("%Y%m%d")),
            paid_on: at.date(),
            actor: None,
        };
        match store::money::payouts::record_manual(db, coop, &how, SiteTime::from_naive(at)).await {
            Ok(_) => paid += 1,
            Err(PayoutError::NothingToPay) => {}
            Err(e) => return Err(bad(e)),
        }
    }
    Ok(paid)
}

/// The ledger's checks: no entry that does not add up to zero, and every public
/// total the same as the ledger added up again.
async fn check(db: &DatabaseConnection, now: SiteTime) -> Result<(), SeedError> {
    let unbalanced = store::money::ledger::unbalanced_entries(db)
        .await
        .map_err(super::store_error)?;
    if !unbalanced.is_empty() {
        return Err(bad(format!("entries that do not add up: {unbalanced:?}")));
    }
    let off = store::money::finances::totals_off_the_ledger(db, now)
        .await
        .map_err(super::store_error)?;
    if !off.is_empty() {
        return Err(bad(format!(
            "public totals that are not the ledger's (whose, kept, recounted): {off:?}"
        )));
    }
    Ok(())
}
