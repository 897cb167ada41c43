//! A dated slot of a tour or an event session, as its booking page and guides see it,
//! and the rules of the listing it belongs to. (Its places left and state, and a
//! listing's calendar, are in `calendar`.)

use crate::booking::calendar::SlotSummary;
use crate::booking::{CancellationPolicy, PartyLimits};
use crate::catalog::{ListingKind, NamedRef, TicketType};
use crate::{LocalizedText, Slug};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// How a listing takes bookings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRules {
    /// Places per slot.
    pub capacity: u32,
    pub party: PartyLimits,
    /// Bookings close this many hours before the start.
    pub cutoff_hours: u32,
    /// Slots exist this many days ahead.
    pub horizon_days: u32,
    pub policy: CancellationPolicy,
    /// What to bring (water, a hat, closed shoes…).
    pub bring: LocalizedText,
}

impl BookingRules {
    pub fn cutoff(&self) -> Duration {
        Duration::hours(i64::from(self.cutoff_hours))
    }
}

/// The listing a slot belongs to, as a booking page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotListing {
    pub id: i32,
    pub kind: ListingKind,
    pub slug: Slug,
    pub title: LocalizedText,
    pub cooperative: NamedRef,
    pub community: NamedRef,
    /// The community's IANA time zone: slot times are its local time.
    pub timezone: String,
    pub producer_id: Option<i32>,
    pub cooperative_id: i32,
    /// The tour's meeting point or the event's venue.
    pub place: LocalizedText,
    pub duration_minutes: Option<u32>,
    /// Ticket types and their prices; none for a free event.
    pub tickets: Vec<TicketType>,
    pub rules: BookingRules,
}

impl SlotListing {
    pub fn href(&self) -> String {
        format!("{}/{}", self.kind.path(), self.slug)
    }

    /// The ticket types a party chooses from: a free event has one, `general`, at 0.
    pub fn ticket_choices(&self) -> Vec<TicketType> {
        if self.tickets.is_empty() {
            vec![TicketType {
                code: FREE_TICKET.to_owned(),
                price: crate::Money::mxn(0),
                limit_per_slot: None,
            }]
        } else {
            self.tickets.clone()
        }
    }
}

/// The ticket of a free event's RSVP.
pub const FREE_TICKET: &str = "general";

/// A slot page: the slot and its listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotView {
    pub slot: SlotSummary,
    pub listing: SlotListing,
    /// People waiting for places on it.
    pub waiting: u32,
    /// Places left of each ticket type with a limit per slot.
    pub ticket_left: Vec<(String, u32)>,
}

impl SlotView {
    /// Places left of ticket type `code`, if it has a limit.
    pub fn left_of(&self, code: &str) -> Option<u32> {
        self.ticket_left
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, n)| *n)
    }
}

/// A tour or event somebody runs, with its coming slots, for their dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunListing {
    pub id: i32,
    pub kind: ListingKind,
    pub title: LocalizedText,
    pub slots: Vec<SlotSummary>,
    /// The secret of its calendar feed, once it has booking rules.
    pub calendar_token: Option<String>,
}

/// A listing's schedule as its dashboard page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub listing_id: i32,
    pub kind: ListingKind,
    pub title: LocalizedText,
    pub producer_id: Option<i32>,
    pub cooperative_id: i32,
    pub rules: BookingRules,
    /// Its ticket types, with their limits per date.
    pub tickets: Vec<TicketType>,
    /// Each opening rule with its id.
    pub opening: Vec<(i32, crate::booking::schedule::OpeningRule)>,
    /// The coming slots those rules made.
    pub slots: Vec<SlotSummary>,
}
