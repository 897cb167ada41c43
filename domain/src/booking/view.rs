//! What a booking's page and a slot's manifest show.

use crate::Money;
use crate::booking::BookingStatus;
use crate::booking::code::BookingCode;
use crate::booking::slot::SlotView;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// How many places of one ticket type, at what price each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookedLine {
    pub ticket_code: String,
    pub count: u32,
    pub unit_price: Money,
}

/// A booking as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingView {
    pub code: BookingCode,
    pub status: BookingStatus,
    pub name: String,
    pub email: String,
    pub places: u32,
    pub lines: Vec<BookedLine>,
    pub total: Money,
    /// Until when a hold keeps its places.
    pub held_until: Option<NaiveDateTime>,
    /// What its cancellation gave back, once cancelled.
    pub refund: Option<Money>,
    /// What cancelling now would give back, by the listing's policy.
    pub refund_if_cancelled_now: Money,
    pub slot: SlotView,
}

/// When and where a booked tour or event happens, and what to bring: what its
/// confirmation tells the visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub kind: crate::ListingKind,
    /// The community's local time.
    pub starts_at: NaiveDateTime,
    /// The community's time zone (IANA name).
    pub zone: String,
    /// A tour's meeting point, an event's venue.
    pub place: crate::LocalizedText,
    pub bring: crate::LocalizedText,
}

/// One party in a guide's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestRow {
    pub code: BookingCode,
    pub name: String,
    pub email: String,
    pub places: u32,
    pub lines: Vec<BookedLine>,
    pub status: BookingStatus,
}

/// Who is coming to a slot: for the guide at the meeting point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestView {
    pub slot: SlotView,
    /// Confirmed, checked-in and no-show parties, then live holds; by name.
    pub rows: Vec<ManifestRow>,
}

impl ManifestView {
    /// Places of parties that have arrived, and of every party expected.
    pub fn arrived_of_expected(&self) -> (u32, u32) {
        let expected = self.rows.iter().filter(|r| is_sold(r.status));
        let arrived = self
            .rows
            .iter()
            .filter(|r| r.status == BookingStatus::CheckedIn)
            .map(|r| r.places)
            .sum();
        (arrived, expected.map(|r| r.places).sum())
    }
}

fn is_sold(status: BookingStatus) -> bool {
    matches!(
        status,
        BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::NoShow
    )
}
