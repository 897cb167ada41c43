//! Where an order's money goes, written to the ledger as it happens: the sale when the
//! payment arrives (split by each cooperative's rule in force), the advance on
//! made-to-order crafts, the release when a part is delivered (or some days after it
//! shipped) or a tour has taken place, and refunds. Each is written in the
//! transaction of the event that causes it, once (its source is unique).

use crate::StoreError;
use crate::entity::{
    booking, community, cooperative, craft, journal_entry, journal_posting, listing, order_event,
    order_line, order_part, orders, producer, refund, split_rule, tour_slot,
};
use crate::money::ledger::{self as books, About};
use crate::money::split_rules::{self, RuleVersion};
use crate::rows;
use chrono::NaiveDateTime;
use domain::booking::{BookingStatus, ShareOnceBegun};
use domain::clock::SiteTime;
use domain::commerce::order::PartStatus;
use domain::money::Money;
use domain::money::ledger::{self, AccountKind, Balances, Item, Refundable, SaleItem};
use domain::money::receipt::{Receipt, ReceiptLine};
use domain::money::split::{LineSplit, Shares};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::{BTreeMap, HashMap, HashSet};

fn sale_source(order: i32) -> String {
    format!("sale:order:{order}")
}

/// An order's items as the ledger sees them, with their parts and lines.
struct OrderItems {
    items: Vec<SaleItem>,
    lines: Vec<order_line::Model>,
    made_to_order: HashSet<i32>,
}

/// Reads order `order_id`'s items. Each part's rule is the one its sale recorded, or
/// (`fix_rules`, at the sale) the one in force now, which is then recorded.
async fn order_items(
    txn: &impl ConnectionTrait,
    order_id: i32,
    fix_rules: bool,
    now: NaiveDateTime,
) -> Result<OrderItems, StoreError> {
    let parts = order_part::Entity::find()
        .filter(order_part::Column::OrderId.eq(order_id))
        .order_by_asc(order_part::Column::Id)
        .all(txn)
        .await?;
    let part_ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    // A booking cancelled before the order was paid is no longer sold.
    let lines = order_line::Entity::find()
        .filter(order_line::Column::PartId.is_in(part_ids))
        .filter(order_line::Column::WithdrawnAt.is_null())
        .order_by_asc(order_line::Column::Id)
        .all(txn)
        .await?;
    let listing_ids: Vec<i32> = lines.iter().map(|l| l.listing_id).collect();
    let listings: HashMap<i32, listing::Model> = listing::Entity::find()
        .filter(listing::Column::Id.is_in(listing_ids.clone()))
        .all(txn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let made_to_order: HashSet<i32> = craft::Entity::find()
        .filter(craft::Column::ListingId.is_in(listing_ids))
        .filter(craft::Column::MadeToOrder.eq(true))
        .all(txn)
        .await?
        .into_iter()
        .map(|c| c.listing_id)
        .collect();
    let mut items = Vec::new();
    for part in &parts {
        let rule = match part.split_rule_id {
            Some(id) => rule_by_id(txn, id).await?,
            None if fix_rules => {
                let rule =
                    split_rules::in_force(txn, part.cooperative_id, SiteTime::from_naive(now))
                        .await?;
                order_part::Entity::update_many()
                    .col_expr(order_part::Column::SplitRuleId, Expr::val(rule.id))
                    .filter(order_part::Column::Id.eq(part.id))
                    .exec(txn)
                    .await?;
                rule
            }
            None => continue,
        };
        let community = cooperative::Entity::find_by_id(part.cooperative_id)
            .one(txn)
            .await?
            .ok_or_else(|| rows::bad("order_part", "cooperative_id", &part.id.to_string()))?
            .community_id;
        for line in lines.iter().filter(|l| l.part_id == part.id) {
            items.push(SaleItem {
                item: Item::Line(line.id),
                amount: Money::mxn(line.total_centavos),
                producer: listings.get(&line.listing_id).and_then(|l| l.producer_id),
                cooperative: part.cooperative_id,
                community,
                rule: rule.rule,
            });
        }
        if part.shipping_centavos > 0 {
            items.push(SaleItem {
                item: Item::Shipping(part.id),
                amount: Money::mxn(part.shipping_centavos),
                producer: None,
                cooperative: part.cooperative_id,
                community,
                rule: rule.rule,
            });
        }
    }
    let made_to_order = lines
        .iter()
        .filter(|l| made_to_order.contains(&l.listing_id))
        .map(|l| l.id)
        .collect();
    Ok(OrderItems {
        items,
        lines,
        made_to_order,
    })
}

async fn rule_by_id(txn: &impl ConnectionTrait, id: i32) -> Result<RuleVersion, StoreError> {
    let row = split_rule::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| rows::bad("order_part", "split_rule_id", &id.to_string()))?;
    split_rules::version_of(row)
}

/// Order `order`'s payment arrived, `fee` kept by the provider: the sale is split and
/// written, and made-to-order crafts' advances are made available.
pub(crate) async fn record_sale(
    txn: &impl ConnectionTrait,
    order: &orders::Model,
    fee: Money,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if books::posted(txn, &sale_source(order.id)).await? {
        return Ok(());
    }
    let of = order_items(txn, order.id, true, now).await?;
    let sale = ledger::sale(order.id, &of.items, fee)
        .map_err(|e| rows::bad("orders", "total_centavos", &e.to_string()))?;
    let about = |source: String, memo: String| About {
        source,
        order: Some(order.id),
        memo: Some(memo),
        ..About::default()
    };
    books::post(
        txn,
        &sale.entry,
        about(
            sale_source(order.id),
            format!("{} {}", order.code, Money::mxn(order.total_centavos)),
        ),
        now,
    )
    .await?;
    let written = Balances::from_postings(sale.entry.postings());
    for item in &of.items {
        let Item::Line(line) = item.item else {
            continue;
        };
        if !of.made_to_order.contains(&line) || item.rule.advance_points == 0 {
            continue;
        }
        if let Some(entry) = ledger::advance(&written, item.item, item.rule.advance_points) {
            let memo = format!("{} advance", order.code);
            books::post(
                txn,
                &entry,
                about(format!("advance:line:{line}"), memo),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// Part `part`'s crafts and shipping were delivered (or counted as delivered): what
/// is pending for them becomes available. Its bookings are released by their dates.
/// Whether a release was written.
pub(crate) async fn release_part(
    txn: &impl ConnectionTrait,
    part: &order_part::Model,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let lines: Vec<i32> = order_line::Entity::find()
        .filter(order_line::Column::PartId.eq(part.id))
        .filter(order_line::Column::BookingId.is_null())
        .all(txn)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    let items = Condition::any()
        .add(
            Condition::all()
                .add(journal_posting::Column::ItemKind.eq("line"))
                .add(journal_posting::Column::ItemId.is_in(lines)),
        )
        .add(
            Condition::all()
                .add(journal_posting::Column::ItemKind.eq("shipping"))
                .add(journal_posting::Column::ItemId.eq(part.id)),
        );
    let written = release(
        txn,
        format!("release:part:{}", part.id),
        part.order_id,
        items,
        now,
    )
    .await?;
    // No longer waits for the release round; the first release's time stays.
    order_part::Entity::update_many()
        .col_expr(order_part::Column::SettledAt, Expr::val(now))
        .filter(order_part::Column::Id.eq(part.id))
        .filter(order_part::Column::SettledAt.is_null())
        .exec(txn)
        .await?;
    Ok(written)
}

/// Posts the release of what `items` hold as pending, under `source`, unless it was
/// posted before. Whether an entry was written.
async fn release(
    txn: &impl ConnectionTrait,
    source: String,
    order: i32,
    items: Condition,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    if books::posted(txn, &source).await? {
        return Ok(false);
    }
    let balances = books::balances(txn, items).await?;
    let Some(entry) = ledger::release(&balances) else {
        return Ok(false);
    };
    let about = About {
        source,
        order: Some(order),
        ..About::default()
    };
    books::post(txn, &entry, about, now).await?;
    Ok(true)
}

/// Releases what has come due by `now`: the bookings whose tour or event has begun,
/// and the shipped parts nobody marked delivered within their rule's days. Only the
/// lines and parts still waiting (`settled_at` unset) are read, through their indexes,
/// so a round costs the same however long the history. How many releases were written.
pub async fn release_due(
    db: &sea_orm::DatabaseConnection,
    now: SiteTime,
) -> Result<usize, StoreError> {
    let now = now.naive();
    let mut written = 0;
    let txn = crate::db::write_transaction(db).await?;
    let of_booking = order_line::Entity::belongs_to(booking::Entity)
        .from(order_line::Column::BookingId)
        .to(booking::Column::Id)
        .into();
    let at_slot = booking::Entity::belongs_to(tour_slot::Entity)
        .from(booking::Column::SlotId)
        .to(tour_slot::Column::Id)
        .into();
    let begun: Vec<(i32, String, Option<i32>)> = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::Id)
        .column(booking::Column::Status)
        .column(booking::Column::OrderId)
        .join(JoinType::InnerJoin, of_booking)
        .join(JoinType::InnerJoin, at_slot)
        .filter(order_line::Column::SettledAt.is_null())
        .filter(order_line::Column::BookingId.is_not_null())
        .filter(tour_slot::Column::StartsAt.lte(now))
        .order_by_asc(order_line::Column::Id)
        .into_tuple()
        .all(&txn)
        .await?;
    for (line, status, order) in begun {
        let share = BookingStatus::parse(&status).map(BookingStatus::share_once_begun);
        match (share, order) {
            (Some(ShareOnceBegun::Release), Some(order)) => {
                let items = Condition::all()
                    .add(journal_posting::Column::ItemKind.eq("line"))
                    .add(journal_posting::Column::ItemId.eq(line));
                let source = format!("release:line:{line}");
                written += usize::from(release(&txn, source, order, items, now).await?);
            }
            (Some(ShareOnceBegun::NothingHeld), _) => {}
            // Waiting for its payment: a later round looks again.
            _ => continue,
        }
        settle_line(&txn, line, now).await?;
    }
    let shipped = order_part::Entity::find()
        .filter(order_part::Column::Status.eq(PartStatus::Shipped.code()))
        .filter(order_part::Column::SettledAt.is_null())
        .all(&txn)
        .await?;
    for part in shipped {
        let Some(rule_id) = part.split_rule_id else {
            continue;
        };
        let days = rule_by_id(&txn, rule_id).await?.release_days_after_shipping;
        let since = order_event::Entity::find()
            .filter(order_event::Column::PartId.eq(part.id))
            .filter(order_event::Column::ToStatus.eq(PartStatus::Shipped.code()))
            .order_by_desc(order_event::Column::At)
            .one(&txn)
            .await?
            .map(|e| e.at);
        if since.is_some_and(|at| at + chrono::Duration::days(i64::from(days)) <= now) {
            written += usize::from(release_part(&txn, &part, now).await?);
        }
    }
    txn.commit().await?;
    Ok(written)
}

/// Booking line `line` no longer waits for the release round. Conditional, so that the
/// first time stays.
async fn settle_line(
    txn: &impl ConnectionTrait,
    line: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    order_line::Entity::update_many()
        .col_expr(order_line::Column::SettledAt, Expr::val(now))
        .filter(order_line::Column::Id.eq(line))
        .filter(order_line::Column::SettledAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}

/// Refund `row` was given back (or, `owed`, is owed to the buyer): each recipient of
/// the lines it refunds gives back its share. A refund of an order whose sale was
/// never written (paid after it had expired) moves no shares.
pub(crate) async fn record_refund(
    txn: &impl ConnectionTrait,
    row: &refund::Model,
    owed: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let source = format!("refund:{}", row.id);
    if !books::posted(txn, &sale_source(row.order_id)).await? || books::posted(txn, &source).await?
    {
        return Ok(());
    }
    let of = order_items(txn, row.order_id, false, now).await?;
    let booking_lines: HashSet<i32> = of
        .lines
        .iter()
        .filter(|l| row.booking_id.is_some() && l.booking_id == row.booking_id)
        .map(|l| l.id)
        .collect();
    let part_of_line: HashMap<i32, i32> = of.lines.iter().map(|l| (l.id, l.part_id)).collect();
    let concerned = |item: &SaleItem| match (row.booking_id, row.part_id, item.item) {
        (Some(_), _, Item::Line(l)) => booking_lines.contains(&l),
        (Some(_), _, Item::Shipping(_)) => false,
        (None, Some(part), Item::Line(l)) => part_of_line.get(&l) == Some(&part),
        (None, Some(part), Item::Shipping(p)) => p == part,
        (None, None, _) => true,
    };
    let items: Vec<SaleItem> = of.items.iter().copied().filter(concerned).collect();
    let before = refunded_before(txn, row.order_id).await?;
    let refundables: Vec<Refundable> = items
        .iter()
        .map(|s| Refundable {
            sale: *s,
            order: row.order_id,
            refunded_before: Money::mxn(*before.get(&s.item).unwrap_or(&0)),
        })
        .collect();
    let balances = books::balances(
        txn,
        Condition::all().add(journal_posting::Column::OrderId.eq(row.order_id)),
    )
    .await?;
    let entry = ledger::refund(
        &refundables,
        Money::mxn(row.amount_centavos),
        &balances,
        owed,
    )
    .map_err(|e| rows::bad("refund", "amount_centavos", &e.to_string()))?;
    let about = About {
        source,
        order: Some(row.order_id),
        memo: Some(row.reason.clone()),
        actor: row.asked_by,
        ..About::default()
    };
    books::post(txn, &entry, about, now).await?;
    Ok(())
}

/// What was refunded of each item of order `order` before: the money that left the
/// provider (or became owed) in its refund entries.
async fn refunded_before(
    txn: &impl ConnectionTrait,
    order: i32,
) -> Result<BTreeMap<Item, i64>, StoreError> {
    let refunds: Vec<i32> = journal_entry::Entity::find()
        .filter(journal_entry::Column::OrderId.eq(order))
        .filter(journal_entry::Column::Kind.is_in([
            ledger::EntryKind::Refund.code(),
            ledger::EntryKind::RefundOwed.code(),
        ]))
        .all(txn)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let postings = journal_posting::Entity::find()
        .filter(journal_posting::Column::EntryId.is_in(refunds))
        .filter(journal_posting::Column::AccountKind.is_in([
            AccountKind::Provider.code(),
            AccountKind::RefundsOwed.code(),
        ]))
        .all(txn)
        .await?;
    let mut out = BTreeMap::new();
    for p in &postings {
        let p = books::posting_of(p)?;
        if let Some(item) = p.item {
            *out.entry(item).or_default() -= p.centavos;
        }
    }
    Ok(out)
}

/// An owed refund was paid by bank transfer.
pub(crate) async fn record_refund_paid(
    txn: &impl ConnectionTrait,
    row: &refund::Model,
    reference: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if !books::posted(txn, &format!("refund:{}", row.id)).await? {
        return Ok(());
    }
    let entry = ledger::refund_paid(Money::mxn(row.amount_centavos), row.order_id)
        .map_err(|e| rows::bad("refund", "amount_centavos", &e.to_string()))?;
    let about = About {
        source: format!("refund-paid:{}", row.id),
        order: Some(row.order_id),
        memo: Some(reference.to_owned()),
        ..About::default()
    };
    books::post(txn, &entry, about, now).await?;
    Ok(())
}

/// The buyer's receipt for order `order_id`: for each line, how its price was split
/// when it was paid. `None` before the payment arrived.
pub async fn receipt(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<Receipt>, StoreError> {
    let Some(sale) = journal_entry::Entity::find()
        .filter(journal_entry::Column::Source.eq(sale_source(order_id)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let postings = journal_posting::Entity::find()
        .filter(journal_posting::Column::EntryId.eq(sale.id))
        .order_by_asc(journal_posting::Column::Id)
        .all(db)
        .await?;
    let postings = postings
        .iter()
        .map(books::posting_of)
        .collect::<Result<Vec<_>, _>>()?;
    let mut splits: Vec<(Item, LineSplit)> = Vec::new();
    let mut coop_of: HashMap<Item, i32> = HashMap::new();
    let zero = Money::mxn(0);
    let add = |m: Money, c: i64| Money::mxn(m.centavos() + c);
    for p in &postings {
        let Some(item) = p.item else { continue };
        if let Some(c) = p.cooperative {
            coop_of.insert(item, c);
        }
        let at = match splits.iter().position(|(i, _)| *i == item) {
            Some(at) => at,
            None => {
                let empty = Shares {
                    producer: zero,
                    cooperative: zero,
                    fund: zero,
                    platform: zero,
                };
                splits.push((
                    item,
                    LineSplit {
                        net: empty,
                        fee: zero,
                    },
                ));
                splits.len() - 1
            }
        };
        let s = &mut splits[at].1;
        let owed = -p.centavos;
        match p.account.kind {
            AccountKind::Fees if p.centavos > 0 => s.fee = add(s.fee, p.centavos),
            AccountKind::ProducerPending => s.net.producer = add(s.net.producer, owed),
            // A line without a producer: the producer's share is the cooperative's.
            AccountKind::CooperativePending => s.net.cooperative = add(s.net.cooperative, owed),
            AccountKind::FundPending => s.net.fund = add(s.net.fund, owed),
            AccountKind::Platform => s.net.platform = add(s.net.platform, owed),
            _ => {}
        }
    }
    let line_ids: Vec<i32> = splits
        .iter()
        .filter_map(|(i, _)| match i {
            Item::Line(l) => Some(*l),
            Item::Shipping(_) => None,
        })
        .collect();
    let lines: HashMap<i32, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::Id.is_in(line_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let listings: HashMap<i32, listing::Model> = listing::Entity::find()
        .filter(listing::Column::Id.is_in(lines.values().map(|l| l.listing_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let producers: HashMap<i32, String> = producer::Entity::find()
        .filter(producer::Column::Id.is_in(listings.values().filter_map(|l| l.producer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let coops: HashMap<i32, cooperative::Model> = cooperative::Entity::find()
        .filter(cooperative::Column::Id.is_in(coop_of.values().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let communities: HashMap<i32, String> = community::Entity::find()
        .filter(community::Column::Id.is_in(coops.values().map(|c| c.community_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut out = Vec::new();
    for (item, split) in splits {
        let coop = coop_of.get(&item).and_then(|c| coops.get(c));
        let (title, producer) = match item {
            Item::Line(l) => {
                let line = lines.get(&l);
                let producer = line
                    .and_then(|l| listings.get(&l.listing_id))
                    .and_then(|l| l.producer_id)
                    .and_then(|p| producers.get(&p).cloned());
                (line.map(|l| l.title.clone()), producer)
            }
            Item::Shipping(_) => (None, None),
        };
        out.push(ReceiptLine {
            title,
            producer,
            cooperative: coop.map(|c| c.name.clone()).unwrap_or_default(),
            community: coop
                .and_then(|c| communities.get(&c.community_id).cloned())
                .unwrap_or_default(),
            split,
        });
    }
    Ok(Some(Receipt { lines: out }))
}
