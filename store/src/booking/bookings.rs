//! Holding places on a slot, and giving back the places of holds that ran out.
//!
//! Places are taken by one conditional UPDATE of the slot's `places_taken`
//! (`… WHERE places_taken + n <= capacity`): the database decides who gets the last
//! place, so two requests, or two server processes, can never both have it. On
//! PostgreSQL the row lock the UPDATE takes lasts until the commit; on SQLite the
//! transaction is opened IMMEDIATE, so it holds the write lock from its first
//! statement (a deferred one that upgrades later can fail with "database is locked"
//! instead of waiting).

use crate::db::write_transaction;
use crate::entity::{booking, booking_event, booking_line, slot_ticket, ticket_type, tour_slot};
use crate::outbox::Letter;
use crate::{StoreError, booking::slots, booking::waitlist};
use chrono::{Duration, NaiveDateTime};
use domain::booking::code::BookingCode;
use domain::booking::slot::SlotView;
use domain::booking::view::BookingView;
use domain::booking::{BookingAction, BookingStatus};
use domain::clock::SiteTime;
use domain::{Email, Lang, Money};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter,
};

/// What `booking_event.action` says for the hold that starts a booking.
const HOLD: &str = "hold";

/// How many places of one ticket type, at what price each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub ticket_code: String,
    pub count: u32,
    pub unit_price: Money,
}

/// A party asking for places on a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHold {
    pub slot_id: i32,
    pub lines: Vec<Line>,
    pub account_id: Option<i32>,
    pub email: Email,
    pub name: String,
    pub lang: Lang,
    /// The booking's code, made by the caller (random, and unique by the index).
    pub code: BookingCode,
    /// SHA-256 of the secret in the booking's link.
    pub secret_hash: String,
}

#[derive(Debug, thiserror::Error)]
pub enum HoldError {
    #[error("no such slot")]
    NoSuchSlot,
    #[error("the slot is closed to bookings")]
    Closed,
    #[error("only {left} places are left")]
    NotEnoughLeft { left: u32 },
    /// A ticket type with a limit per slot has fewer places left.
    #[error("only {left} places of ticket {ticket} are left")]
    NotEnoughOfTicket { ticket: String, left: u32 },
    #[error("a booking needs at least one place")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for HoldError {
    fn from(err: sea_orm::DbErr) -> Self {
        HoldError::Store(err.into())
    }
}

/// Holds the places `new` asks for until `now + hold_for`; the booking's id. Refused,
/// and nothing written, when the slot has fewer places left.
pub async fn hold(
    db: &DatabaseConnection,
    new: &NewHold,
    hold_for: Duration,
    now: SiteTime,
) -> Result<i32, HoldError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let id = hold_in(&txn, new, now + hold_for, now).await?;
    txn.commit().await?;
    Ok(id)
}

/// [`hold`], and `letter` about it queued in the same transaction (free places
/// held until the emailed link confirms them).
pub async fn hold_and_tell(
    db: &DatabaseConnection,
    new: &NewHold,
    hold_for: Duration,
    now: SiteTime,
    letter: &crate::outbox::Letter,
) -> Result<i32, HoldError> {
    let txn = write_transaction(db).await?;
    let id = hold_in(&txn, new, now.naive() + hold_for, now.naive()).await?;
    crate::outbox::queue(&txn, letter, now.in_utc()).await?;
    txn.commit().await?;
    Ok(id)
}

/// [`hold`] inside the caller's write transaction.
pub(crate) async fn hold_in(
    txn: &impl ConnectionTrait,
    new: &NewHold,
    until: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<i32, HoldError> {
    let places: u32 = new.lines.iter().map(|l| l.count).sum();
    if places == 0 {
        return Err(HoldError::Empty);
    }
    let wanted = i32::try_from(places).map_err(|_| HoldError::NotEnoughLeft { left: 0 })?;
    let taken = tour_slot::Entity::update_many()
        .col_expr(
            tour_slot::Column::PlacesTaken,
            Expr::col(tour_slot::Column::PlacesTaken).add(wanted),
        )
        .filter(tour_slot::Column::Id.eq(new.slot_id))
        .filter(tour_slot::Column::ClosedAt.is_null())
        .filter(
            Expr::col(tour_slot::Column::PlacesTaken)
                .add(wanted)
                .lte(Expr::col(tour_slot::Column::Capacity)),
        )
        .exec(txn)
        .await?;
    if taken.rows_affected != 1 {
        let slot = tour_slot::Entity::find_by_id(new.slot_id)
            .one(txn)
            .await?
            .ok_or(HoldError::NoSuchSlot)?;
        if slot.closed_at.is_some() {
            return Err(HoldError::Closed);
        }
        return Err(HoldError::NotEnoughLeft {
            left: left_of(&slot),
        });
    }
    take_limited_tickets(txn, new).await?;
    let currency = new
        .lines
        .first()
        .map(|l| l.unit_price.currency())
        .unwrap_or(domain::money::Currency::Mxn);
    let total: i64 = new
        .lines
        .iter()
        .map(|l| l.unit_price.centavos() * i64::from(l.count))
        .sum();
    let row = booking::ActiveModel {
        slot_id: Set(new.slot_id),
        code: Set(new.code.as_str().to_owned()),
        secret_hash: Set(new.secret_hash.clone()),
        account_id: Set(new.account_id),
        email: Set(new.email.as_str().to_owned()),
        lang: Set(new.lang.code().to_owned()),
        name: Set(new.name.clone()),
        status: Set(BookingStatus::Held.code().to_owned()),
        places: Set(wanted),
        total_centavos: Set(total),
        currency: Set(currency.code().to_owned()),
        held_until: Set(Some(until)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    for line in &new.lines {
        booking_line::ActiveModel {
            booking_id: Set(row.id),
            ticket_code: Set(line.ticket_code.clone()),
            count: Set(i32::try_from(line.count).unwrap_or(i32::MAX)),
            unit_centavos: Set(line.unit_price.centavos()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    record(
        txn,
        row.id,
        HOLD,
        None,
        BookingStatus::Held,
        new.account_id,
        now,
    )
    .await?;
    Ok(row.id)
}

/// Takes the places of each line whose ticket type has a limit per slot, by the same
/// kind of conditional UPDATE as the slot's own places; refused when one has fewer
/// left (the caller's transaction then writes nothing).
async fn take_limited_tickets(txn: &impl ConnectionTrait, new: &NewHold) -> Result<(), HoldError> {
    let slot = tour_slot::Entity::find_by_id(new.slot_id)
        .one(txn)
        .await?
        .ok_or(HoldError::NoSuchSlot)?;
    let limits = ticket_type::Entity::find()
        .filter(ticket_type::Column::ListingId.eq(slot.listing_id))
        .filter(ticket_type::Column::LimitPerSlot.is_not_null())
        .all(txn)
        .await?;
    for line in &new.lines {
        let Some(limit) = limits
            .iter()
            .find(|t| t.code == line.ticket_code)
            .and_then(|t| t.limit_per_slot)
        else {
            continue;
        };
        let wanted = i32::try_from(line.count).unwrap_or(i32::MAX);
        slot_ticket::Entity::insert(slot_ticket::ActiveModel {
            slot_id: Set(new.slot_id),
            ticket_code: Set(line.ticket_code.clone()),
            taken: Set(0),
        })
        .on_conflict(
            OnConflict::columns([slot_ticket::Column::SlotId, slot_ticket::Column::TicketCode])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        let taken = slot_ticket::Entity::update_many()
            .col_expr(
                slot_ticket::Column::Taken,
                Expr::col(slot_ticket::Column::Taken).add(wanted),
            )
            .filter(slot_ticket::Column::SlotId.eq(new.slot_id))
            .filter(slot_ticket::Column::TicketCode.eq(line.ticket_code.as_str()))
            .filter(Expr::col(slot_ticket::Column::Taken).add(wanted).lte(limit))
            .exec(txn)
            .await?;
        if taken.rows_affected != 1 {
            let had = slot_ticket::Entity::find_by_id((new.slot_id, line.ticket_code.clone()))
                .one(txn)
                .await?
                .map_or(0, |t| t.taken);
            return Err(HoldError::NotEnoughOfTicket {
                ticket: line.ticket_code.clone(),
                left: u32::try_from(limit - had).unwrap_or(0),
            });
        }
    }
    Ok(())
}

/// Gives back the places of limited ticket types that booking `id` held.
async fn give_back_limited_tickets(
    txn: &impl ConnectionTrait,
    id: i32,
    slot_id: i32,
) -> Result<(), StoreError> {
    let lines = booking_line::Entity::find()
        .filter(booking_line::Column::BookingId.eq(id))
        .all(txn)
        .await?;
    for line in lines {
        slot_ticket::Entity::update_many()
            .col_expr(
                slot_ticket::Column::Taken,
                Expr::col(slot_ticket::Column::Taken).sub(line.count),
            )
            .filter(slot_ticket::Column::SlotId.eq(slot_id))
            .filter(slot_ticket::Column::TicketCode.eq(line.ticket_code.as_str()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn left_of(slot: &tour_slot::Model) -> u32 {
    u32::try_from(slot.capacity - slot.places_taken).unwrap_or(0)
}

/// Places left on slot `id`: capacity − confirmed − live holds.
pub async fn places_left(db: &impl ConnectionTrait, id: i32) -> Result<Option<u32>, StoreError> {
    Ok(tour_slot::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|slot| left_of(&slot)))
}

async fn record(
    db: &impl ConnectionTrait,
    booking_id: i32,
    action: &str,
    from: Option<BookingStatus>,
    to: BookingStatus,
    actor: Option<i32>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    booking_event::ActiveModel {
        booking_id: Set(booking_id),
        action: Set(action.to_owned()),
        from_status: Set(from.map(|s| s.code().to_owned())),
        to_status: Set(to.code().to_owned()),
        actor_account_id: Set(actor),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Expires every hold whose time ran out by `now` and gives its places back; the
/// slots that got places back (once each), for their waiting lists. Safe to run at
/// any time, from any number of processes: a hold is expired (and its places
/// returned) by exactly one conditional UPDATE. Run at start-up too, so holds that
/// ran out while the server was down free their places.
pub async fn expire_due_holds(
    db: &DatabaseConnection,
    now: SiteTime,
) -> Result<Vec<i32>, StoreError> {
    let now = now.naive();
    let due = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
        .filter(booking::Column::HeldUntil.lte(now))
        // A booking inside an order waits for the order's payment: the order lets
        // it go, once the provider says the money did not come.
        .filter(booking::Column::OrderId.is_null())
        .all(db)
        .await?;
    let mut freed = Vec::new();
    for hold in due {
        let txn = write_transaction(db).await?;
        let moved = apply(&txn, &hold, BookingAction::Expire, None, None, now).await?;
        txn.commit().await?;
        // `None`: confirmed or cancelled meanwhile, its places are not ours to give.
        if moved.is_some() && !freed.contains(&hold.slot_id) {
            freed.push(hold.slot_id);
        }
    }
    Ok(freed)
}

/// A booking found by its code, with what decides who may open it.
#[derive(Debug, Clone)]
pub struct Found {
    pub view: BookingView,
    pub id: i32,
    pub slot_id: i32,
    pub secret_hash: String,
    pub account_id: Option<i32>,
    pub lang: Lang,
    /// The order it is paid in, if any.
    pub order_id: Option<i32>,
    /// SHA-256 of each key of that order's link: the order's link opens its
    /// bookings too.
    pub order_key_hashes: Vec<String>,
}

impl Found {
    /// Whether the booking is held by whoever asks: the account that made it, or
    /// somebody with its link's secret (`key_hash`, the SHA-256 of the `k` they sent).
    pub fn held_by(&self, account_id: Option<i32>, key_hash: Option<&str>) -> bool {
        let own = account_id.is_some() && account_id == self.account_id;
        let by_order = key_hash.is_some_and(|k| self.order_key_hashes.iter().any(|h| h == k));
        own || by_order || key_hash == Some(self.secret_hash.as_str())
    }
}

/// Booking `code` with its slot, or `None`.
pub async fn by_code(
    db: &impl ConnectionTrait,
    code: &BookingCode,
    now: SiteTime,
) -> Result<Option<Found>, StoreError> {
    let Some((row, lines)) = booking::Entity::find()
        .filter(booking::Column::Code.eq(code.as_str()))
        .find_with_related(booking_line::Entity)
        .all(db)
        .await?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let Some(slot) = slots::view_booked(db, row.slot_id, now).await? else {
        return Ok(None);
    };
    let currency = slots::currency_of(&row)?;
    let status = slots::status_of(&row)?;
    let total = Money::from_centavos(row.total_centavos, currency);
    let local_now = slots::now_in(&slot.listing.timezone, now);
    let refund_if_cancelled_now = refund_for(status, total, &slot, local_now);
    let order_key_hashes = match row.order_id {
        Some(order_id) => crate::order_keys::hashes(db, order_id).await?,
        None => Vec::new(),
    };
    Ok(Some(Found {
        view: BookingView {
            code: slots::code_of(&row)?,
            status,
            name: row.name.clone(),
            email: row.email.clone(),
            places: u32::try_from(row.places).unwrap_or(0),
            lines: slots::lines_of(lines, currency),
            total,
            held_until: row.held_until.filter(|_| status == BookingStatus::Held),
            refund: row
                .refund_centavos
                .map(|c| Money::from_centavos(c, currency)),
            refund_if_cancelled_now,
            slot,
        },
        id: row.id,
        slot_id: row.slot_id,
        secret_hash: row.secret_hash,
        account_id: row.account_id,
        lang: Lang::parse(&row.lang).unwrap_or_default(),
        order_id: row.order_id,
        order_key_hashes,
    }))
}

/// What cancelling a booking in `status` at `now` (the slot's clock) gives back: a
/// hold was not paid, so nothing; a confirmed booking what its listing's policy says.
fn refund_for(status: BookingStatus, total: Money, slot: &SlotView, now: NaiveDateTime) -> Money {
    match status {
        BookingStatus::Confirmed => {
            slot.listing
                .rules
                .policy
                .refund(total, slot.slot.starts_at, now)
        }
        _ => Money::from_centavos(0, total.currency()),
    }
}

/// How a move asked of a booking went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moved {
    Done(BookingStatus),
    /// It was in that state already (checking in twice): nothing changed.
    Already(BookingStatus),
    /// Not a move its state allows (say, confirming an expired hold).
    NotNow(BookingStatus),
}

/// Moves booking `row` by `action` if it is still in the state it was read in;
/// places go back to the slot when the new state does not take them. `None` when
/// the move is not allowed or somebody else moved it first.
pub(crate) async fn apply(
    txn: &impl ConnectionTrait,
    row: &booking::Model,
    action: BookingAction,
    actor: Option<i32>,
    refund: Option<Money>,
    now: NaiveDateTime,
) -> Result<Option<BookingStatus>, StoreError> {
    let from = slots::status_of(row)?;
    let Ok(to) = from.after(action) else {
        return Ok(None);
    };
    let mut update = booking::Entity::update_many()
        .col_expr(booking::Column::Status, Expr::val(to.code()))
        .col_expr(booking::Column::UpdatedAt, Expr::val(now))
        .filter(booking::Column::Id.eq(row.id))
        .filter(booking::Column::Status.eq(from.code()));
    if let Some(refund) = refund {
        update = update.col_expr(
            booking::Column::RefundCentavos,
            Expr::val(refund.centavos()),
        );
    }
    if to != BookingStatus::Held {
        update = update.col_expr(
            booking::Column::HeldUntil,
            Expr::val(Option::<NaiveDateTime>::None),
        );
    }
    if update.exec(txn).await?.rows_affected != 1 {
        return Ok(None);
    }
    if from.takes_places() && !to.takes_places() {
        tour_slot::Entity::update_many()
            .col_expr(
                tour_slot::Column::PlacesTaken,
                Expr::col(tour_slot::Column::PlacesTaken).sub(row.places),
            )
            .filter(tour_slot::Column::Id.eq(row.slot_id))
            .exec(txn)
            .await?;
        give_back_limited_tickets(txn, row.id, row.slot_id).await?;
    }
    record(txn, row.id, action.code(), Some(from), to, actor, now).await?;
    Ok(Some(to))
}

/// Confirms hold `code` (a free booking, or one paid for): it keeps its places. A
/// hold whose time ran out is expired instead, and its places go back. `letter`, if
/// any, is queued with the confirmation (the booking's code and link).
pub async fn confirm(
    db: &DatabaseConnection,
    code: &BookingCode,
    actor: Option<i32>,
    letter: Option<Letter>,
    now: SiteTime,
) -> Result<Option<Moved>, HoldError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(row) = by_code_row(&txn, code).await? else {
        return Ok(None);
    };
    let status = slots::status_of(&row)?;
    if status == BookingStatus::Confirmed {
        return Ok(Some(Moved::Already(status)));
    }
    if row.order_id.is_some() {
        // Its order's payment confirms it.
        return Ok(Some(Moved::NotNow(status)));
    }
    if status == BookingStatus::Held && row.held_until.is_some_and(|until| until <= now) {
        apply(&txn, &row, BookingAction::Expire, None, None, now).await?;
        txn.commit().await?;
        return Ok(Some(Moved::NotNow(BookingStatus::Expired)));
    }
    let Some(to) = apply(&txn, &row, BookingAction::Confirm, actor, None, now).await? else {
        return Ok(Some(Moved::NotNow(status)));
    };
    if let Some(l) = letter {
        crate::outbox::queue(&txn, &l, SiteTime::from_naive(now).in_utc()).await?;
    }
    txn.commit().await?;
    Ok(Some(Moved::Done(to)))
}

async fn by_code_row(
    db: &impl ConnectionTrait,
    code: &BookingCode,
) -> Result<Option<booking::Model>, StoreError> {
    Ok(booking::Entity::find()
        .filter(booking::Column::Code.eq(code.as_str()))
        .one(db)
        .await?)
}

/// Cancels booking `found` (as [`by_code`] read it) at its holder's request, refunding what the listing's
/// policy gives at `now` (recorded now, paid by the payments step); its places go
/// back. The refund recorded, or how it went when it could not be cancelled. A
/// booking in an order not yet paid is cancelled by `commerce::orders::cancel_booking`,
/// which also takes it out of its order.
pub async fn cancel(
    db: &DatabaseConnection,
    found: &Found,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<Option<(Moved, Money)>, HoldError> {
    let txn = write_transaction(db).await?;
    let cancelled = cancel_in(&txn, found, actor, now).await?;
    txn.commit().await?;
    Ok(cancelled)
}

/// [`cancel`], inside the caller's write transaction `txn`.
pub(crate) async fn cancel_in(
    txn: &impl ConnectionTrait,
    found: &Found,
    actor: Option<i32>,
    now: SiteTime,
) -> Result<Option<(Moved, Money)>, HoldError> {
    let now = now.naive();
    let refund = found.view.refund_if_cancelled_now;
    let Some(row) = booking::Entity::find_by_id(found.id).one(txn).await? else {
        return Ok(None);
    };
    let status = slots::status_of(&row)?;
    if status != found.view.status {
        // Moved meanwhile (confirmed, expired): the refund read above may be wrong.
        return Ok(Some((Moved::NotNow(status), refund)));
    }
    if status == BookingStatus::Cancelled {
        return Ok(Some((Moved::Already(status), refund)));
    }
    let moved = apply(txn, &row, BookingAction::Cancel, actor, Some(refund), now).await?;
    Ok(Some(match moved {
        Some(to) => (Moved::Done(to), refund),
        None => (Moved::NotNow(status), refund),
    }))
}

/// Why a code typed at the meeting point was not checked in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendance {
    /// The party's name and places, and how the move went.
    Marked {
        name: String,
        places: u32,
        moved: Moved,
    },
    /// No booking has this code on this slot.
    NotOnThisSlot,
}

/// Marks booking `code` of slot `slot_id` checked in or a no-show (`action`).
/// Checking in twice changes nothing and says so.
pub async fn record_attendance(
    db: &DatabaseConnection,
    slot_id: i32,
    code: &BookingCode,
    action: BookingAction,
    actor: i32,
    now: SiteTime,
) -> Result<Attendance, HoldError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    let Some(row) = by_code_row(&txn, code)
        .await?
        .filter(|r| r.slot_id == slot_id)
    else {
        return Ok(Attendance::NotOnThisSlot);
    };
    let status = slots::status_of(&row)?;
    let target = match action {
        BookingAction::CheckIn => BookingStatus::CheckedIn,
        _ => BookingStatus::NoShow,
    };
    let moved = if status == target {
        Moved::Already(status)
    } else {
        match apply(&txn, &row, action, Some(actor), None, now).await? {
            Some(to) => Moved::Done(to),
            None => Moved::NotNow(status),
        }
    };
    txn.commit().await?;
    Ok(Attendance::Marked {
        name: row.name,
        places: u32::try_from(row.places).unwrap_or(0),
        moved,
    })
}

/// A party whose booking was cancelled with its slot.
#[derive(Debug, Clone)]
pub struct CalledOff {
    pub booking_id: i32,
    /// The order it was paid in: its refund goes back through the provider.
    pub order_id: Option<i32>,
    pub code: BookingCode,
    pub name: String,
    pub email: Email,
    pub lang: Lang,
    pub refund: Money,
}

/// Calls slot `id` off: it takes no more bookings, and every live booking in it is
/// cancelled with a full refund of what was paid (a hold paid nothing). `letter`
/// writes each party's email, queued in the same transaction, so nobody is left
/// out. The parties told; `None` if there is no such slot. Inside the caller's write
/// transaction `txn`: `commerce::orders::call_off_slot` also takes the bookings of
/// orders not yet paid out of their orders.
pub(crate) async fn cancel_slot_in(
    txn: &impl ConnectionTrait,
    id: i32,
    actor: i32,
    letter: impl Fn(&CalledOff) -> Letter,
    now: SiteTime,
) -> Result<Option<Vec<CalledOff>>, HoldError> {
    let now = now.naive();
    let marked = tour_slot::Entity::update_many()
        .col_expr(tour_slot::Column::CancelledAt, Expr::val(now))
        .col_expr(tour_slot::Column::ClosedAt, Expr::val(now))
        .filter(tour_slot::Column::Id.eq(id))
        .filter(tour_slot::Column::CancelledAt.is_null())
        .exec(txn)
        .await?;
    if marked.rows_affected != 1 {
        let exists = tour_slot::Entity::find_by_id(id).one(txn).await?.is_some();
        return Ok(exists.then(Vec::new));
    }
    let live = booking::Entity::find()
        .filter(booking::Column::SlotId.eq(id))
        .filter(
            booking::Column::Status
                .is_in([BookingStatus::Held.code(), BookingStatus::Confirmed.code()]),
        )
        .all(txn)
        .await?;
    let mut told = Vec::with_capacity(live.len());
    for row in live {
        let status = slots::status_of(&row)?;
        let currency = slots::currency_of(&row)?;
        let refund = match status {
            BookingStatus::Confirmed => Money::from_centavos(row.total_centavos, currency),
            _ => Money::from_centavos(0, currency),
        };
        if apply(
            txn,
            &row,
            BookingAction::Cancel,
            Some(actor),
            Some(refund),
            now,
        )
        .await?
        .is_none()
        {
            continue;
        }
        let Ok(email) = Email::parse(&row.email) else {
            tracing::warn!(booking = row.id, "a booking's email no longer parses");
            continue;
        };
        let party = CalledOff {
            booking_id: row.id,
            order_id: row.order_id,
            code: slots::code_of(&row)?,
            name: row.name.clone(),
            email,
            lang: Lang::parse(&row.lang).unwrap_or_default(),
            refund,
        };
        let l = letter(&party);
        crate::outbox::queue(txn, &l, SiteTime::from_naive(now).in_utc()).await?;
        told.push(party);
    }
    waitlist::close_for_slot(txn, id, now).await?;
    Ok(Some(told))
}
