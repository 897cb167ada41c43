//! Waiting lists. A visitor who finds a slot full leaves their name and how many
//! places they want. When places come back (a cancellation, an expired hold), the
//! first in line is offered them: a hold is made for them on the spot — by the same
//! conditional UPDATE as any hold, so an offer never oversells — and they are emailed
//! its link. If they do not confirm in time the hold expires like any other, and the
//! places go to the next in line. The line is strict: somebody later who wants fewer
//! places does not jump a party that does not fit yet.

use crate::StoreError;
use crate::booking::bookings::{HoldError, Line, NewHold, hold_in};
use crate::db::write_transaction;
use crate::entity::{booking, waitlist_entry};
use crate::outbox::Letter;
use chrono::{Duration, NaiveDateTime};
use domain::booking::BookingStatus;
use domain::booking::code::BookingCode;
use domain::catalog::TicketType;
use domain::clock::SiteTime;
use domain::{Email, Lang, Money};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

/// The waiting-list entries still in line for a slot.
pub(crate) const WAITING: &str = "waiting";

const OFFERED: &str = "offered";
const BOOKED: &str = "booked";
const LAPSED: &str = "lapsed";
/// The slot was called off, or the visitor left the line.
const CLOSED: &str = "closed";

/// Somebody who wants to wait for places.
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub slot_id: i32,
    pub account_id: Option<i32>,
    pub email: Email,
    pub name: String,
    pub lang: Lang,
    /// How many of each ticket type.
    pub tickets: Vec<(String, u32)>,
}

/// `adult=2,child=1`, as the table keeps a party.
fn tickets_text(tickets: &[(String, u32)]) -> String {
    tickets
        .iter()
        .map(|(code, n)| format!("{code}={n}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn tickets_of(text: &str) -> Vec<(String, u32)> {
    text.split(',')
        .filter_map(|pair| pair.split_once('='))
        .filter_map(|(code, n)| Some((code.to_owned(), n.parse().ok()?)))
        .collect()
}

/// Puts `entry` at the end of its slot's line; their place in it (1 = next).
pub async fn join(
    db: &DatabaseConnection,
    entry: &NewEntry,
    now: SiteTime,
) -> Result<u32, StoreError> {
    let now = now.naive();
    let txn = write_transaction(db).await?;
    waitlist_entry::ActiveModel {
        slot_id: Set(entry.slot_id),
        account_id: Set(entry.account_id),
        email: Set(entry.email.as_str().to_owned()),
        name: Set(entry.name.clone()),
        lang: Set(entry.lang.code().to_owned()),
        places: Set(
            i32::try_from(entry.tickets.iter().map(|(_, n)| n).sum::<u32>()).unwrap_or(i32::MAX),
        ),
        tickets: Set(tickets_text(&entry.tickets)),
        status: Set(WAITING.to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ahead = waiting(&txn, entry.slot_id).await?.len();
    txn.commit().await?;
    Ok(u32::try_from(ahead).unwrap_or(u32::MAX))
}

async fn waiting(
    db: &impl ConnectionTrait,
    slot_id: i32,
) -> Result<Vec<waitlist_entry::Model>, StoreError> {
    Ok(waitlist_entry::Entity::find()
        .filter(waitlist_entry::Column::SlotId.eq(slot_id))
        .filter(waitlist_entry::Column::Status.eq(WAITING))
        .order_by_asc(waitlist_entry::Column::Id)
        .all(db)
        .await?)
}

/// A fresh booking code and the secret of its link (the caller draws them at
/// random); the store keeps only the secret's hash.
pub struct NewBookingCode {
    pub code: BookingCode,
    pub secret: String,
    pub secret_hash: String,
}

/// The offer an entry got: the hold made for it.
pub struct Offer {
    pub email: Email,
    pub name: String,
    pub lang: Lang,
    pub places: u32,
    pub code: BookingCode,
    pub secret: String,
    pub until: NaiveDateTime,
}

/// Offers the places now free on slot `slot_id` to its line, first come first
/// served, each offer a hold lasting `offer_for`, priced at today's `prices`, whose
/// email `letter` writes (queued with it). Stops at the first party that does not
/// fit. The offers made.
pub async fn offer_free_places(
    db: &DatabaseConnection,
    slot_id: i32,
    prices: &[TicketType],
    offer_for: Duration,
    new_code: &(dyn Fn() -> NewBookingCode + Sync),
    letter: &(dyn Fn(&Offer) -> Letter + Sync),
    now: SiteTime,
) -> Result<Vec<Offer>, HoldError> {
    let now = now.naive();
    let mut made = Vec::new();
    loop {
        let txn = write_transaction(db).await?;
        let Some(first) = waiting(&txn, slot_id).await?.into_iter().next() else {
            break;
        };
        let Ok(email) = Email::parse(&first.email) else {
            close(&txn, first.id, now).await?;
            txn.commit().await?;
            continue;
        };
        let places = u32::try_from(first.places).unwrap_or(0);
        let f = new_code();
        let lang = Lang::parse(&first.lang).unwrap_or_default();
        let hold = NewHold {
            slot_id,
            lines: tickets_of(&first.tickets)
                .into_iter()
                .map(|(code, count)| Line {
                    unit_price: prices
                        .iter()
                        .find(|t| t.code == code)
                        .map_or(Money::mxn(0), |t| t.price),
                    ticket_code: code,
                    count,
                })
                .collect(),
            account_id: first.account_id,
            email: email.clone(),
            name: first.name.clone(),
            lang,
            code: f.code.clone(),
            secret_hash: f.secret_hash,
        };
        let until = now + offer_for;
        let booking_id = match hold_in(&txn, &hold, until, now).await {
            Ok(id) => id,
            // Not enough places for the first in line yet (or the slot closed).
            Err(HoldError::NotEnoughLeft { .. } | HoldError::Closed) => break,
            Err(e) => return Err(e),
        };
        let offered = waitlist_entry::Entity::update_many()
            .col_expr(waitlist_entry::Column::Status, Expr::val(OFFERED))
            .col_expr(waitlist_entry::Column::BookingId, Expr::val(booking_id))
            .col_expr(waitlist_entry::Column::OfferedUntil, Expr::val(until))
            .col_expr(waitlist_entry::Column::UpdatedAt, Expr::val(now))
            .filter(waitlist_entry::Column::Id.eq(first.id))
            .filter(waitlist_entry::Column::Status.eq(WAITING))
            .exec(&txn)
            .await?;
        if offered.rows_affected != 1 {
            // Another process offered it first: its hold stands, ours is not made.
            txn.rollback().await?;
            continue;
        }
        let offer = Offer {
            email,
            name: first.name,
            lang,
            places,
            code: f.code,
            secret: f.secret,
            until,
        };
        let l = letter(&offer);
        crate::outbox::queue(&txn, &l, SiteTime::from_naive(now).in_utc()).await?;
        txn.commit().await?;
        made.push(offer);
    }
    Ok(made)
}

async fn close(db: &impl ConnectionTrait, id: i32, now: NaiveDateTime) -> Result<(), StoreError> {
    waitlist_entry::Entity::update_many()
        .col_expr(waitlist_entry::Column::Status, Expr::val(CLOSED))
        .col_expr(waitlist_entry::Column::UpdatedAt, Expr::val(now))
        .filter(waitlist_entry::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Closes the line of a slot that was called off.
pub(crate) async fn close_for_slot(
    db: &impl ConnectionTrait,
    slot_id: i32,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    waitlist_entry::Entity::update_many()
        .col_expr(waitlist_entry::Column::Status, Expr::val(CLOSED))
        .col_expr(waitlist_entry::Column::UpdatedAt, Expr::val(now))
        .filter(waitlist_entry::Column::SlotId.eq(slot_id))
        .filter(waitlist_entry::Column::Status.is_in([WAITING, OFFERED]))
        .exec(db)
        .await?;
    Ok(())
}

/// Settles offers whose hold has moved on: confirmed ones are booked, expired or
/// cancelled ones lapsed. Run with the expiry sweep.
pub async fn settle_offers(db: &DatabaseConnection, now: SiteTime) -> Result<(), StoreError> {
    let now = now.naive();
    let offered = waitlist_entry::Entity::find()
        .filter(waitlist_entry::Column::Status.eq(OFFERED))
        .all(db)
        .await?;
    for entry in offered {
        let Some(id) = entry.booking_id else { continue };
        let Some(b) = booking::Entity::find_by_id(id).one(db).await? else {
            continue;
        };
        let to = match BookingStatus::parse(&b.status) {
            Some(BookingStatus::Held) | None => continue,
            Some(BookingStatus::Expired | BookingStatus::Cancelled) => LAPSED,
            Some(_) => BOOKED,
        };
        waitlist_entry::Entity::update_many()
            .col_expr(waitlist_entry::Column::Status, Expr::val(to))
            .col_expr(waitlist_entry::Column::UpdatedAt, Expr::val(now))
            .filter(waitlist_entry::Column::Id.eq(entry.id))
            .filter(waitlist_entry::Column::Status.eq(OFFERED))
            .exec(db)
            .await?;
    }
    Ok(())
}
