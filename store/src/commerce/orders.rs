//! Moving orders and their parts, each move recorded in `order_event` with when and
//! who; and reading an order back for its buyer and its cooperatives.
//!
//! Every move is a conditional UPDATE (`… WHERE status = <the state it was read
//! in>`), so two processes that learn the same news at once move it once.

use crate::booking::bookings;
use crate::db::write_transaction;
use crate::entity::{
    booking, cooperative, craft, order_event, order_line, order_part, orders, payment, refund,
};
use crate::{StoreError, rows};
use chrono::NaiveDateTime;
use domain::booking::view::Visit;
use domain::booking::{BookingAction, BookingStatus};
use domain::clock::SiteTime;
use domain::commerce::checkout_form::Address;
use domain::commerce::order::{
    Delivery, OrderAction, OrderCode, OrderStatus, PartAction, PartMoveError, PartStatus,
};
use domain::commerce::order_view::{
    OrderEventView, OrderLineView, OrderView, PartView, PaymentView, RefundView,
};
use domain::commerce::payment::{PaymentMethod, RefundStatus, Voucher};
use domain::{Money, booking::code::BookingCode};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeMap;

#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    order_id: i32,
    part_id: Option<i32>,
    action: &str,
    from: &str,
    to: &str,
    actor: Option<i32>,
    note: Option<String>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    order_event::ActiveModel {
        order_id: Set(order_id),
        part_id: Set(part_id),
        action: Set(action.to_owned()),
        from_status: Set(from.to_owned()),
        to_status: Set(to.to_owned()),
        actor_account_id: Set(actor),
        note: Set(note),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(crate) fn order_status(row: &orders::Model) -> Result<OrderStatus, StoreError> {
    OrderStatus::parse(&row.status).ok_or_else(|| rows::bad("orders", "status", &row.status))
}

fn part_status(row: &order_part::Model) -> Result<PartStatus, StoreError> {
    PartStatus::parse(&row.status).ok_or_else(|| rows::bad("order_part", "status", &row.status))
}

fn delivery_of(row: &order_part::Model) -> Result<Delivery, StoreError> {
    Delivery::parse(&row.delivery).ok_or_else(|| rows::bad("order_part", "delivery", &row.delivery))
}

/// Moves order `row` by `action` if it is still as it was read; the new status, or
/// `None` when the move is not allowed or somebody moved it first.
pub(crate) async fn move_order(
    txn: &impl ConnectionTrait,
    row: &orders::Model,
    action: OrderAction,
    actor: Option<i32>,
    note: Option<String>,
    now: NaiveDateTime,
) -> Result<Option<OrderStatus>, StoreError> {
    let from = order_status(row)?;
    let Ok(to) = from.after(action) else {
        return Ok(None);
    };
    let mut update = orders::Entity::update_many()
        .col_expr(orders::Column::Status, Expr::val(to.code()))
        .col_expr(orders::Column::UpdatedAt, Expr::val(now))
        .filter(orders::Column::Id.eq(row.id))
        .filter(orders::Column::Status.eq(from.code()));
    if action == OrderAction::Pay {
        update = update.col_expr(orders::Column::PaidAt, Expr::val(now));
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Ok(None);
    }
    record(
        txn,
        row.id,
        None,
        action.code(),
        from.code(),
        to.code(),
        actor,
        note,
        now,
    )
    .await?;
    Ok(Some(to))
}

/// Moves part `row` by `action`; as [`move_order`].
async fn move_part(
    txn: &impl ConnectionTrait,
    row: &order_part::Model,
    action: PartAction,
    actor: Option<i32>,
    note: Option<String>,
    now: NaiveDateTime,
) -> Result<Result<PartStatus, PartMoveError>, StoreError> {
    let from = part_status(row)?;
    let to = match from.after(action, delivery_of(row)?) {
        Ok(to) => to,
        Err(e) => return Ok(Err(e)),
    };
    let moved = order_part::Entity::update_many()
        .col_expr(order_part::Column::Status, Expr::val(to.code()))
        .col_expr(order_part::Column::UpdatedAt, Expr::val(now))
        .filter(order_part::Column::Id.eq(row.id))
        .filter(order_part::Column::Status.eq(from.code()))
        .exec(txn)
        .await?;
    if moved.rows_affected != 1 {
        return Ok(Err(PartMoveError::NotFrom { from, action }));
    }
    record(
        txn,
        row.order_id,
        Some(row.id),
        action.code(),
        from.code(),
        to.code(),
        actor,
        note,
        now,
    )
    .await?;
    Ok(Ok(to))
}

/// [`move_part`] for moves that follow from another (a refund that leaves nothing):
/// one that is not allowed is logged, not refused.
pub(crate) async fn move_part_by(
    txn: &impl ConnectionTrait,
    row: &order_part::Model,
    action: PartAction,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    if let Err(e) = move_part(txn, row, action, actor, None, now).await? {
        tracing::warn!(order = row.order_id, part = row.id, %e, "part move skipped");
    }
    Ok(())
}

async fn parts_of(
    txn: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Vec<order_part::Model>, StoreError> {
    Ok(order_part::Entity::find()
        .filter(order_part::Column::OrderId.eq(order_id))
        .order_by_asc(order_part::Column::Id)
        .all(txn)
        .await?)
}

async fn bookings_of(
    txn: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Vec<booking::Model>, StoreError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::OrderId.eq(order_id))
        .all(txn)
        .await?)
}

/// The money arrived: the order and each part are paid, each booking confirmed.
/// `false` if the order was not awaiting payment (paid already, or let go).
pub(crate) async fn mark_paid(
    txn: &impl ConnectionTrait,
    row: &orders::Model,
    fee: Money,
    note: Option<String>,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    if move_order(txn, row, OrderAction::Pay, None, note, now)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    for part in parts_of(txn, row.id).await? {
        move_part_by(txn, &part, PartAction::Pay, None, now).await?;
    }
    for b in bookings_of(txn, row.id).await? {
        // A booking of a paid order stays held until now, whatever its clock said:
        // the sweep leaves bookings of orders to their order.
        bookings::apply(txn, &b, BookingAction::Confirm, None, None, now).await?;
    }
    crate::money::revenue::record_sale(txn, row, fee, now).await?;
    Ok(true)
}

/// The money did not come (`Expire`) or the buyer gave up (`Cancel`): the order and
/// its parts end, the stock taken goes back, the bookings' places are freed. `false`
/// if the order was not awaiting payment. The slots that got places back.
pub(crate) async fn release(
    txn: &impl ConnectionTrait,
    row: &orders::Model,
    action: OrderAction,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<Option<Vec<i32>>, StoreError> {
    let part_action = match action {
        OrderAction::Cancel => PartAction::Cancel,
        _ => PartAction::Expire,
    };
    if move_order(txn, row, action, actor, None, now)
        .await?
        .is_none()
    {
        return Ok(None);
    }
    for part in parts_of(txn, row.id).await? {
        move_part_by(txn, &part, part_action, actor, now).await?;
        let lines = order_line::Entity::find()
            .filter(order_line::Column::PartId.eq(part.id))
            .filter(order_line::Column::TookStock.eq(true))
            .all(txn)
            .await?;
        for line in lines {
            craft::Entity::update_many()
                .col_expr(
                    craft::Column::Stock,
                    Expr::col(craft::Column::Stock).add(line.quantity),
                )
                .filter(craft::Column::ListingId.eq(line.listing_id))
                .exec(txn)
                .await?;
        }
    }
    let mut freed = Vec::new();
    for b in bookings_of(txn, row.id).await? {
        let booking_action = match action {
            OrderAction::Cancel => BookingAction::Cancel,
            _ => BookingAction::Expire,
        };
        if bookings::apply(txn, &b, booking_action, actor, None, now)
            .await?
            .is_some()
        {
            freed.push(b.slot_id);
        }
    }
    Ok(Some(freed))
}

/// An OXXO voucher was issued, to be paid by `expires` (site time): the order waits
/// until `pay_by` (the voucher's expiry and the day a cash payment takes to be
/// known), and its bookings say they are held until the voucher's expiry, the one
/// deadline the buyer is told. (A booking inside an order is let go by its order,
/// never by its own hold: `bookings::expire_due_holds`.)
pub(crate) async fn extend(
    txn: &impl ConnectionTrait,
    order_id: i32,
    expires: NaiveDateTime,
    pay_by: NaiveDateTime,
) -> Result<(), StoreError> {
    orders::Entity::update_many()
        .col_expr(orders::Column::PayBy, Expr::val(pay_by))
        .filter(orders::Column::Id.eq(order_id))
        .filter(orders::Column::Status.eq(OrderStatus::AwaitingPayment.code()))
        .exec(txn)
        .await?;
    booking::Entity::update_many()
        .col_expr(booking::Column::HeldUntil, Expr::val(expires))
        .filter(booking::Column::OrderId.eq(order_id))
        .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
        .exec(txn)
        .await?;
    Ok(())
}

/// The buyer gives up an order before paying it: as an expiry, but said so. The
/// caller has cancelled the payment at the provider first.
pub async fn cancel_unpaid(
    db: &DatabaseConnection,
    order_id: i32,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<Option<Vec<i32>>, StoreError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(row) = orders::Entity::find_by_id(order_id).one(&txn).await? else {
        return Ok(None);
    };
    let freed = release(&txn, &row, OrderAction::Cancel, actor, now).await?;
    txn.commit().await?;
    Ok(freed)
}

/// A booking taken out of its order before the order was paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawn {
    pub order_id: i32,
    /// What the order no longer asks for.
    pub amount: Money,
    /// Nothing else was left in it: the order is cancelled (the caller cancels its
    /// payment at the provider).
    pub emptied: bool,
    /// The slots that got places back with the order (when it was emptied).
    pub freed: Vec<i32>,
}

/// Booking `booking_id` (just cancelled, in the caller's transaction, which locked
/// order `order_id` first) was in that order: if the order is still awaiting payment, the booking's lines are no
/// longer sold (never credited by the sale), and the order's and its part's totals
/// lose them; an order left with nothing is cancelled. `None` when the order was not
/// awaiting payment (a paid booking is refunded by its policy instead).
pub(crate) async fn withdraw_booking(
    txn: &impl ConnectionTrait,
    booking_id: i32,
    order_id: i32,
    code: &BookingCode,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> Result<Option<Withdrawn>, StoreError> {
    // The caller locked the order row before the booking's (the settle step locks
    // it too), so a payment arriving now sees the order before or after, never half-way.
    let Some(order) = orders::Entity::find_by_id(order_id).one(txn).await? else {
        return Ok(None);
    };
    if order_status(&order)? != OrderStatus::AwaitingPayment {
        return Ok(None);
    }
    let lines = order_line::Entity::find()
        .filter(order_line::Column::BookingId.eq(booking_id))
        .filter(order_line::Column::WithdrawnAt.is_null())
        .all(txn)
        .await?;
    if lines.is_empty() {
        return Ok(None);
    }
    // Marked only if not marked yet: two cancellations at once withdraw it once.
    let marked = order_line::Entity::update_many()
        .col_expr(order_line::Column::WithdrawnAt, Expr::val(now))
        .filter(order_line::Column::BookingId.eq(booking_id))
        .filter(order_line::Column::WithdrawnAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected == 0 {
        return Ok(None);
    }
    let mut by_part: BTreeMap<i32, i64> = BTreeMap::new();
    for line in &lines {
        *by_part.entry(line.part_id).or_default() += line.total_centavos;
    }
    let amount: i64 = by_part.values().sum();
    for (part_id, centavos) in &by_part {
        order_part::Entity::update_many()
            .col_expr(
                order_part::Column::GoodsCentavos,
                Expr::col(order_part::Column::GoodsCentavos).sub(*centavos),
            )
            .col_expr(order_part::Column::UpdatedAt, Expr::val(now))
            .filter(order_part::Column::Id.eq(*part_id))
            .exec(txn)
            .await?;
    }
    // The order's totals follow, while it still awaits its payment (the settle step
    // reads them under the same rule).
    let lowered = orders::Entity::update_many()
        .col_expr(
            orders::Column::GoodsCentavos,
            Expr::col(orders::Column::GoodsCentavos).sub(amount),
        )
        .col_expr(
            orders::Column::TotalCentavos,
            Expr::col(orders::Column::TotalCentavos).sub(amount),
        )
        .col_expr(orders::Column::UpdatedAt, Expr::val(now))
        .filter(orders::Column::Id.eq(order.id))
        .filter(orders::Column::Status.eq(OrderStatus::AwaitingPayment.code()))
        .exec(txn)
        .await?;
    if lowered.rows_affected != 1 {
        return Err(rows::bad("orders", "status", &order.status));
    }
    let amount = Money::mxn(amount);
    for part_id in by_part.keys() {
        record(
            txn,
            order.id,
            Some(*part_id),
            "withdraw",
            &order.status,
            &order.status,
            actor,
            Some(format!("{code} −{amount}")),
            now,
        )
        .await?;
    }
    // What is still sold, by part: a part left with nothing is cancelled, an order
    // left with nothing is let go (its parts with it).
    let parts = parts_of(txn, order.id).await?;
    let live: Vec<i32> = order_line::Entity::find()
        .select_only()
        .column(order_line::Column::PartId)
        .filter(order_line::Column::PartId.is_in(parts.iter().map(|p| p.id)))
        .filter(order_line::Column::WithdrawnAt.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    let emptied = live.is_empty();
    let mut freed = Vec::new();
    if emptied {
        // `order` is as read: still awaiting payment, which is what the move checks.
        freed = release(txn, &order, OrderAction::Cancel, actor, now)
            .await?
            .unwrap_or_default();
    } else {
        for part in parts
            .iter()
            .filter(|p| by_part.contains_key(&p.id) && !live.contains(&p.id))
        {
            move_part_by(txn, part, PartAction::Cancel, actor, now).await?;
        }
    }
    Ok(Some(Withdrawn {
        order_id: order.id,
        amount,
        emptied,
        freed,
    }))
}

/// Cancels booking `found` at its holder's request, as `booking::bookings::cancel`
/// does; a booking in an order not yet paid is also taken out of it
/// ([`withdraw_booking`]), in the same transaction: the order no longer asks for it,
/// so paying the order later never pays for it. The refund recorded (nothing, for a
/// booking not paid), and the withdrawal if there was one.
pub async fn cancel_booking(
    db: &DatabaseConnection,
    found: &bookings::Found,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<Option<(bookings::Moved, Money, Option<Withdrawn>)>, bookings::HoldError> {
    let txn = write_transaction(db).await?;
    // The order is locked before the booking, as the settle step does: never the
    // other way round (two transactions waiting on each other).
    if let Some(order_id) = found.order_id {
        orders::Entity::find_by_id(order_id)
            .lock_exclusive()
            .one(&txn)
            .await?;
    }
    let Some((moved, refund)) = bookings::cancel_in(&txn, found, actor, now).await? else {
        return Ok(None);
    };
    let mut withdrawn = None;
    if let (bookings::Moved::Done(_), Some(order_id)) = (&moved, found.order_id) {
        withdrawn = withdraw_booking(
            &txn,
            found.id,
            order_id,
            &found.view.code,
            actor,
            now.naive(),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(Some((moved, refund, withdrawn)))
}

/// Calls slot `id` off, as `booking::bookings::cancel_slot_in` says; the bookings of
/// orders not yet paid are taken out of their orders in the same transaction. The
/// parties told and the orders changed; `None` if there is no such slot.
pub async fn call_off_slot(
    db: &DatabaseConnection,
    id: i32,
    actor: i32,
    letter: impl Fn(&bookings::CalledOff) -> crate::outbox::Letter,
    now: SiteTime,
) -> Result<Option<(Vec<bookings::CalledOff>, Vec<Withdrawn>)>, bookings::HoldError> {
    let txn = write_transaction(db).await?;
    // The orders are locked before their bookings, as the settle step does.
    let order_ids: Vec<i32> = booking::Entity::find()
        .select_only()
        .column(booking::Column::OrderId)
        .distinct()
        .filter(booking::Column::SlotId.eq(id))
        .filter(booking::Column::OrderId.is_not_null())
        .into_tuple()
        .all(&txn)
        .await?;
    if !order_ids.is_empty() {
        orders::Entity::find()
            .filter(orders::Column::Id.is_in(order_ids))
            .order_by_asc(orders::Column::Id)
            .lock_exclusive()
            .all(&txn)
            .await?;
    }
    let Some(told) = bookings::cancel_slot_in(&txn, id, actor, letter, now).await? else {
        return Ok(None);
    };
    let mut withdrawn = Vec::new();
    for party in &told {
        let Some(order_id) = party.order_id else {
            continue;
        };
        if let Some(w) = withdraw_booking(
            &txn,
            party.booking_id,
            order_id,
            &party.code,
            Some(actor),
            now.naive(),
        )
        .await?
        {
            withdrawn.push(w);
        }
    }
    txn.commit().await?;
    Ok(Some((told, withdrawn)))
}

/// An order found by its code, with what decides who may open it.
#[derive(Debug, Clone)]
pub struct FoundOrder {
    pub id: i32,
    pub view: OrderView,
    /// SHA-256 of each key that opens the order's link: the one made at checkout
    /// and one per later email with the link.
    pub key_hashes: Vec<String>,
    pub account_id: Option<i32>,
    pub lang: domain::Lang,
    /// Where its money went, for the paid order's email (read only for it).
    pub receipt: Option<domain::money::receipt::Receipt>,
}

impl FoundOrder {
    /// Whether whoever asks holds the order: its account, or a key of its link
    /// (compared by digest: only the digests are kept, and the time taken says
    /// nothing about a key).
    pub fn held_by(&self, account_id: Option<i32>, key: Option<&str>) -> bool {
        let own = account_id.is_some() && account_id == self.account_id;
        own || key.is_some_and(|k| self.key_hashes.contains(&rows::key_hash(k)))
    }

    /// Whether `cooperative_id` has a part in it.
    pub fn sold_by(&self, cooperative_id: i32) -> bool {
        self.view
            .parts
            .iter()
            .any(|p| p.cooperative_id == cooperative_id)
    }
}

/// An order as the email that sends its link again lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedOrder {
    pub id: i32,
    pub code: OrderCode,
    pub placed_at: NaiveDateTime,
    pub total: Money,
}

/// The newest orders placed with `email`, at most `limit`, newest first.
pub async fn newest_of_email(
    db: &impl ConnectionTrait,
    email: &domain::Email,
    limit: u64,
) -> Result<Vec<PlacedOrder>, StoreError> {
    orders::Entity::find()
        .filter(orders::Column::Email.eq(email.as_str()))
        .order_by_desc(orders::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|row| {
            Ok(PlacedOrder {
                id: row.id,
                code: OrderCode::parse(&row.code)
                    .map_err(|_| rows::bad("orders", "code", &row.code))?,
                placed_at: row.created_at,
                total: Money::mxn(row.total_centavos),
            })
        })
        .collect()
}

/// Order `code`, or `None`.
pub async fn by_code(
    db: &impl ConnectionTrait,
    code: &OrderCode,
) -> Result<Option<FoundOrder>, StoreError> {
    let Some(row) = orders::Entity::find()
        .filter(orders::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    read_found_order(db, row).await.map(Some)
}

/// Order `id`, or `None`.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<FoundOrder>, StoreError> {
    match orders::Entity::find_by_id(id).one(db).await? {
        Some(row) => read_found_order(db, row).await.map(Some),
        None => Ok(None),
    }
}

async fn read_found_order(
    db: &impl ConnectionTrait,
    row: orders::Model,
) -> Result<FoundOrder, StoreError> {
    let mxn = Money::mxn;
    let parts = parts_of(db, row.id).await?;
    let part_ids: Vec<i32> = parts.iter().map(|p| p.id).collect();
    let mut lines: BTreeMap<i32, Vec<OrderLineView>> = BTreeMap::new();
    let line_rows = order_line::Entity::find()
        .filter(order_line::Column::PartId.is_in(part_ids))
        .order_by_asc(order_line::Column::Id)
        .all(db)
        .await?;
    let mut booked: BTreeMap<i32, (String, Option<Visit>)> = BTreeMap::new();
    for b in booking::Entity::find()
        .filter(booking::Column::OrderId.eq(row.id))
        .all(db)
        .await?
    {
        let visit = crate::booking::slots::visit_of(db, b.slot_id).await?;
        booked.insert(b.id, (b.code, visit));
    }
    for l in line_rows {
        let booking = l.booking_id.and_then(|id| booked.get(&id));
        lines.entry(l.part_id).or_default().push(OrderLineView {
            title: l.title,
            quantity: u32::try_from(l.quantity).unwrap_or(0),
            total: mxn(l.total_centavos),
            booking: booking.and_then(|(c, _)| BookingCode::parse(c).ok()),
            visit: booking.and_then(|(_, v)| v.clone()),
            withdrawn: l.withdrawn_at.is_some(),
        });
    }
    let names: BTreeMap<i32, String> = cooperative::Entity::find()
        .filter(cooperative::Column::Id.is_in(parts.iter().map(|p| p.cooperative_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let mut part_views = Vec::new();
    for p in &parts {
        part_views.push(PartView {
            id: p.id,
            cooperative_id: p.cooperative_id,
            cooperative: names.get(&p.cooperative_id).cloned().unwrap_or_default(),
            status: part_status(p)?,
            delivery: delivery_of(p)?,
            lines: lines.remove(&p.id).unwrap_or_default(),
            goods: mxn(p.goods_centavos),
            shipping: mxn(p.shipping_centavos),
            refunded: mxn(p.refunded_centavos),
            carrier: p.carrier.clone(),
            tracking: p.tracking.clone(),
        });
    }
    let payment = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(row.id))
        .one(db)
        .await?
        .map(|p| PaymentView {
            id: p.id,
            provider: p.provider,
            method: p.method.as_deref().and_then(PaymentMethod::parse),
            status: p.status,
            last_error: p.last_error,
            voucher: match (p.voucher_number, p.voucher_expires_at) {
                (Some(number), Some(expires_at)) => Some(Voucher {
                    number,
                    expires_at: domain::clock::instant_of_site_time(expires_at),
                    url: p.voucher_url,
                }),
                _ => None,
            },
            client_secret: p.client_secret,
        });
    let refunds = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(row.id))
        .order_by_asc(refund::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            Ok(RefundView {
                id: r.id,
                amount: mxn(r.amount_centavos),
                status: RefundStatus::parse(&r.status)
                    .ok_or_else(|| rows::bad("refund", "status", &r.status))?,
                reason: r.reason,
                manual_reference: r.manual_reference,
                part_id: r.part_id,
                created_at: r.created_at,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(row.id))
        .order_by_asc(order_event::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| OrderEventView {
            at: e.at,
            part_id: e.part_id,
            action: e.action,
            to: e.to_status,
            note: e.note,
        })
        .collect();
    let address = match (&row.street, &row.city, &row.state, &row.postal_code) {
        (Some(street), Some(city), Some(state), Some(postal_code)) => Some(Address {
            street: street.clone(),
            city: city.clone(),
            state: state.clone(),
            postal_code: postal_code.clone(),
            references: row.address_notes.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(FoundOrder {
        id: row.id,
        view: OrderView {
            code: OrderCode::parse(&row.code)
                .map_err(|_| rows::bad("orders", "code", &row.code))?,
            status: order_status(&row)?,
            name: row.name,
            email: row.email,
            phone: row.phone,
            address,
            parts: part_views,
            goods: mxn(row.goods_centavos),
            shipping: mxn(row.shipping_centavos),
            total: mxn(row.total_centavos),
            refunded: mxn(row.refunded_centavos),
            created_at: row.created_at,
            pay_by: row.pay_by,
            payment,
            refunds,
            events,
        },
        key_hashes: crate::order_keys::hashes(db, row.id).await?,
        account_id: row.account_id,
        lang: domain::Lang::parse(&row.lang).unwrap_or_default(),
        receipt: None,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum FulfilError {
    #[error("no such part")]
    NoSuchPart,
    #[error(transparent)]
    Move(#[from] PartMoveError),
    /// Shipping needs the carrier and the tracking number.
    #[error("a shipment needs its carrier and tracking number")]
    NeedsTracking,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for FulfilError {
    fn from(err: sea_orm::DbErr) -> Self {
        FulfilError::Store(err.into())
    }
}

/// A cooperative moves its part `part_id` on (preparing, shipped with `tracking` =
/// (carrier, number), ready for pickup, delivered); `letter` is queued with it.
pub async fn fulfil(
    db: &DatabaseConnection,
    part_id: i32,
    action: PartAction,
    tracking: Option<(String, String)>,
    actor: Option<i32>,
    letter: Option<crate::outbox::Letter>,
    now: SiteTime,
) -> Result<PartStatus, FulfilError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let row = order_part::Entity::find_by_id(part_id)
        .one(&txn)
        .await?
        .ok_or(FulfilError::NoSuchPart)?;
    let note = match (action, &tracking) {
        (PartAction::Ship, Some((carrier, number))) => Some(format!("{carrier} {number}")),
        (PartAction::Ship, None) => return Err(FulfilError::NeedsTracking),
        _ => None,
    };
    let to = move_part(&txn, &row, action, actor, note, now).await??;
    if to == PartStatus::Delivered {
        crate::money::revenue::release_part(&txn, &row, now).await?;
    }
    if let Some((carrier, number)) = tracking.filter(|_| action == PartAction::Ship) {
        order_part::Entity::update_many()
            .col_expr(order_part::Column::Carrier, Expr::val(carrier))
            .col_expr(order_part::Column::Tracking, Expr::val(number))
            .filter(order_part::Column::Id.eq(part_id))
            .exec(&txn)
            .await?;
    }
    if let Some(l) = letter {
        crate::outbox::queue(&txn, &l, SiteTime::from_naive(now).in_utc()).await?;
    }
    txn.commit().await?;
    Ok(to)
}

/// The order and the part booking `booking_id` was paid in.
pub async fn part_of_booking(
    db: &impl ConnectionTrait,
    booking_id: i32,
) -> Result<Option<(i32, i32)>, StoreError> {
    let Some(line) = order_line::Entity::find()
        .filter(order_line::Column::BookingId.eq(booking_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(order_part::Entity::find_by_id(line.part_id)
        .one(db)
        .await?
        .map(|p| (p.order_id, p.id)))
}

/// The order a part belongs to.
pub async fn order_of_part(
    db: &impl ConnectionTrait,
    part_id: i32,
) -> Result<Option<(i32, i32)>, StoreError> {
    Ok(order_part::Entity::find_by_id(part_id)
        .one(db)
        .await?
        .map(|p| (p.order_id, p.cooperative_id)))
}

/// A line of a cooperative's order list.
#[derive(Debug, Clone)]
pub struct PartRow {
    pub order_code: OrderCode,
    pub part_id: i32,
    pub status: PartStatus,
    pub delivery: Delivery,
    pub total: Money,
    pub buyer: String,
    pub created_at: NaiveDateTime,
}

/// Cooperative `cooperative_id`'s parts of orders that were paid, newest first.
pub async fn parts_sold_by(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<Vec<PartRow>, StoreError> {
    let parts = order_part::Entity::find()
        .filter(order_part::Column::CooperativeId.eq(cooperative_id))
        .filter(order_part::Column::Status.is_not_in([
            PartStatus::AwaitingPayment.code(),
            PartStatus::Expired.code(),
            PartStatus::Cancelled.code(),
        ]))
        .order_by_desc(order_part::Column::Id)
        .all(db)
        .await?;
    let orders: BTreeMap<i32, orders::Model> = orders::Entity::find()
        .filter(orders::Column::Id.is_in(parts.iter().map(|p| p.order_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    parts
        .iter()
        .filter_map(|p| Some((p, orders.get(&p.order_id)?)))
        .map(|(p, o)| {
            Ok(PartRow {
                order_code: OrderCode::parse(&o.code)
                    .map_err(|_| rows::bad("orders", "code", &o.code))?,
                part_id: p.id,
                status: part_status(p)?,
                delivery: delivery_of(p)?,
                total: Money::mxn(p.goods_centavos + p.shipping_centavos),
                buyer: o.name.clone(),
                created_at: o.created_at,
            })
        })
        .collect()
}

/// When the first tour or event booked in order `order_id` starts (local time): an
/// OXXO voucher must expire, and its payment be known, before then.
pub async fn earliest_start(
    db: &impl ConnectionTrait,
    order_id: i32,
) -> Result<Option<NaiveDateTime>, StoreError> {
    let slots = booking::Entity::find()
        .filter(booking::Column::OrderId.eq(order_id))
        .find_also_related(crate::entity::tour_slot::Entity)
        .all(db)
        .await?;
    Ok(slots
        .into_iter()
        .filter_map(|(_, s)| s.map(|s| s.starts_at))
        .min())
}

/// Every cooperative with a part in some order, with its name (for platform admins).
pub async fn selling_cooperatives(
    db: &impl ConnectionTrait,
) -> Result<Vec<(i32, String)>, StoreError> {
    let ids: std::collections::BTreeSet<i32> = order_part::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.cooperative_id)
        .collect();
    Ok(cooperative::Entity::find()
        .filter(cooperative::Column::Id.is_in(ids))
        .order_by_asc(cooperative::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect())
}

/// Orders still awaiting payment whose deadline is at or before `now`, or, with
/// `now = None`, all of them (after a restart, each is asked about once).
pub async fn awaiting(
    db: &impl ConnectionTrait,
    due_by: Option<NaiveDateTime>,
) -> Result<Vec<i32>, StoreError> {
    let mut q = orders::Entity::find()
        .filter(orders::Column::Status.eq(OrderStatus::AwaitingPayment.code()));
    if let Some(now) = due_by {
        q = q.filter(orders::Column::PayBy.lte(now));
    }
    Ok(q.order_by_asc(orders::Column::PayBy)
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect())
}
