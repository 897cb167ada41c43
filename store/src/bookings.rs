//! Holding places on a slot, and giving back the places of holds that ran out.
//!
//! Places are taken by one conditional UPDATE of the slot's `places_taken`
//! (`… WHERE places_taken + n <= capacity`): the database decides who gets the last
//! place, so two requests, or two server processes, can never both have it. On
//! PostgreSQL the row lock the UPDATE takes lasts until the commit; on SQLite the
//! transaction is opened IMMEDIATE, so it holds the write lock from its first
//! statement (a deferred one that upgrades later can fail with "database is locked"
//! instead of waiting).

use crate::StoreError;
use crate::entity::{booking, booking_event, booking_line, tour_slot};
use chrono::{Duration, NaiveDateTime};
use domain::booking::{BookingAction, BookingStatus};
use domain::{Email, Lang, Money};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
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
    pub code: String,
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

/// A write transaction that holds the database's write lock from its first statement
/// on SQLite; an ordinary one on PostgreSQL.
pub(crate) async fn write_transaction(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    let mode = (db.get_database_backend() == DbBackend::Sqlite)
        .then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: mode,
        ..Default::default()
    })
    .await
}

/// Holds the places `new` asks for until `now + hold_for`; the booking's id. Refused,
/// and nothing written, when the slot has fewer places left.
pub async fn hold(
    db: &DatabaseConnection,
    new: &NewHold,
    hold_for: Duration,
    now: NaiveDateTime,
) -> Result<i32, HoldError> {
    let places: u32 = new.lines.iter().map(|l| l.count).sum();
    if places == 0 {
        return Err(HoldError::Empty);
    }
    let wanted = i32::try_from(places).map_err(|_| HoldError::NotEnoughLeft { left: 0 })?;
    let txn = write_transaction(db).await?;
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
        .exec(&txn)
        .await?;
    if taken.rows_affected != 1 {
        let slot = tour_slot::Entity::find_by_id(new.slot_id)
            .one(&txn)
            .await?
            .ok_or(HoldError::NoSuchSlot)?;
        if slot.closed_at.is_some() {
            return Err(HoldError::Closed);
        }
        return Err(HoldError::NotEnoughLeft {
            left: left_of(&slot),
        });
    }
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
        code: Set(new.code.clone()),
        secret_hash: Set(new.secret_hash.clone()),
        account_id: Set(new.account_id),
        email: Set(new.email.as_str().to_owned()),
        lang: Set(new.lang.code().to_owned()),
        name: Set(new.name.clone()),
        status: Set(BookingStatus::Held.code().to_owned()),
        places: Set(wanted),
        total_centavos: Set(total),
        currency: Set(currency.code().to_owned()),
        held_until: Set(Some(now + hold_for)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for line in &new.lines {
        booking_line::ActiveModel {
            booking_id: Set(row.id),
            ticket_code: Set(line.ticket_code.clone()),
            count: Set(i32::try_from(line.count).unwrap_or(i32::MAX)),
            unit_centavos: Set(line.unit_price.centavos()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        row.id,
        HOLD,
        None,
        BookingStatus::Held,
        new.account_id,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
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

/// Expires every hold whose time ran out by `now` and gives its places back; how many.
/// Safe to run at any time, from any number of processes: a hold is expired (and its
/// places returned) by exactly one conditional UPDATE. Run at start-up too, so holds
/// that ran out while the server was down free their places.
pub async fn expire_due_holds(
    db: &DatabaseConnection,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let due = booking::Entity::find()
        .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
        .filter(booking::Column::HeldUntil.lte(now))
        .all(db)
        .await?;
    let mut expired = 0;
    for hold in due {
        let txn = write_transaction(db).await?;
        let to = BookingStatus::Held
            .after(BookingAction::Expire)
            .expect("a hold can expire");
        let moved = booking::Entity::update_many()
            .col_expr(booking::Column::Status, Expr::val(to.code()))
            .col_expr(booking::Column::UpdatedAt, Expr::val(now))
            .filter(booking::Column::Id.eq(hold.id))
            .filter(booking::Column::Status.eq(BookingStatus::Held.code()))
            .exec(&txn)
            .await?;
        if moved.rows_affected != 1 {
            // Confirmed or cancelled meanwhile: its places are not ours to give back.
            continue;
        }
        tour_slot::Entity::update_many()
            .col_expr(
                tour_slot::Column::PlacesTaken,
                Expr::col(tour_slot::Column::PlacesTaken).sub(hold.places),
            )
            .filter(tour_slot::Column::Id.eq(hold.slot_id))
            .exec(&txn)
            .await?;
        let action = BookingAction::Expire.code();
        record(
            &txn,
            hold.id,
            action,
            Some(BookingStatus::Held),
            to,
            None,
            now,
        )
        .await?;
        txn.commit().await?;
        expired += 1;
    }
    Ok(expired)
}
