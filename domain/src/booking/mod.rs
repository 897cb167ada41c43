//! A booking of places on a dated slot (a tour departure or an event session), and
//! the rules that do not need a database: the states it goes through, how many
//! places a party may take, and what a cancellation gives back.
//!
//! ```text
//!          confirm (paid, or free)          check in
//!   held ─────────────────────────▶ confirmed ─────────▶ checked in
//!    │  │                             │   │ no show
//!    │  └── expire (hold time over) ─▶ expired
//!    │                                │   └──────────▶ no-show
//!    └── cancel ──▶ cancelled ◀── cancel (refund per policy; a whole slot: in full)
//! ```
//! Places left on a slot = capacity − confirmed − live holds; checked-in and no-show
//! bookings still count as confirmed (the places were sold). Every move is an explicit
//! [`BookingAction`] checked by [`BookingStatus::after`], so the store records it.

pub mod calendar;
pub mod code;
pub mod form;
pub mod ical;
pub mod schedule;
pub mod schedule_form;
pub mod slot;
pub mod view;

use crate::Money;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BookingStatus {
    /// Places kept for a while, during payment.
    Held,
    Confirmed,
    CheckedIn,
    NoShow,
    /// The hold ran out before it was confirmed; its places went back.
    Expired,
    Cancelled,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BookingAction {
    Confirm,
    Expire,
    CheckIn,
    MarkNoShow,
    Cancel,
}

impl BookingAction {
    /// As `booking_event.action` records it (the first row of a booking says `hold`).
    pub fn code(self) -> &'static str {
        match self {
            BookingAction::Confirm => "confirm",
            BookingAction::Expire => "expire",
            BookingAction::CheckIn => "check_in",
            BookingAction::MarkNoShow => "no_show",
            BookingAction::Cancel => "cancel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} booking cannot be {action:?}")]
pub struct BookingMoveError {
    pub from: BookingStatus,
    pub action: BookingAction,
}

impl BookingStatus {
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Held => "held",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::CheckedIn => "checked_in",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Expired => "expired",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            BookingStatus::Held,
            BookingStatus::Confirmed,
            BookingStatus::CheckedIn,
            BookingStatus::NoShow,
            BookingStatus::Expired,
            BookingStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Whether the booking's places are taken (a live hold, or sold).
    pub fn takes_places(self) -> bool {
        !matches!(self, BookingStatus::Expired | BookingStatus::Cancelled)
    }

    /// The state `action` leads to from this one. Checking in twice is not a move:
    /// the caller says "already checked in" without changing anything.
    pub fn after(self, action: BookingAction) -> Result<BookingStatus, BookingMoveError> {
        use BookingAction as A;
        use BookingStatus as S;
        let to = match (self, action) {
            (S::Held, A::Confirm) => S::Confirmed,
            (S::Held, A::Expire) => S::Expired,
            (S::Confirmed | S::NoShow, A::CheckIn) => S::CheckedIn,
            (S::Confirmed, A::MarkNoShow) => S::NoShow,
            (S::Held | S::Confirmed, A::Cancel) => S::Cancelled,
            (from, action) => return Err(BookingMoveError { from, action }),
        };
        Ok(to)
    }

    /// What becomes of the booking's share of the sale once its slot has begun: a
    /// booking sold for a tour that took place has its share released to the
    /// producers; one that expired or was cancelled holds nothing (a refund gave back
    /// what was paid); a hold whose payment is still on its way is looked at again.
    pub fn share_once_begun(self) -> ShareOnceBegun {
        match self {
            BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::NoShow => {
                ShareOnceBegun::Release
            }
            BookingStatus::Expired | BookingStatus::Cancelled => ShareOnceBegun::NothingHeld,
            BookingStatus::Held => ShareOnceBegun::Wait,
        }
    }
}

/// See [`BookingStatus::share_once_begun`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareOnceBegun {
    /// The tour took place (whether or not the visitor came): its share is paid out.
    Release,
    /// Nothing is held for it: it is settled without an entry.
    NothingHeld,
    /// Not decided yet: a later round looks again.
    Wait,
}

/// How many people a party may be: the listing's own bounds, and the slot's places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyLimits {
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum PartyError {
    #[error("choose at least one place")]
    Empty,
    #[error("this tour takes groups of at least {min}")]
    TooFew { min: u32 },
    #[error("this tour takes groups of at most {max}")]
    TooMany { max: u32 },
    #[error("only {left} places are left")]
    NotEnoughLeft { left: u32 },
}

impl PartyLimits {
    /// Checks a party of `size` against these limits and the `left` places.
    pub fn check(self, size: u32, left: u32) -> Result<(), PartyError> {
        if size == 0 {
            Err(PartyError::Empty)
        } else if size < self.min {
            Err(PartyError::TooFew { min: self.min })
        } else if size > self.max {
            Err(PartyError::TooMany { max: self.max })
        } else if size > left {
            Err(PartyError::NotEnoughLeft { left })
        } else {
            Ok(())
        }
    }
}

/// What a visitor who cancels gets back, chosen per listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CancellationPolicy {
    /// Full refund up to 24 hours before the start.
    Flexible,
    /// Full refund up to 7 days before the start.
    Moderate,
    /// No refund.
    Strict,
}

impl CancellationPolicy {
    pub fn code(self) -> &'static str {
        match self {
            CancellationPolicy::Flexible => "flexible",
            CancellationPolicy::Moderate => "moderate",
            CancellationPolicy::Strict => "strict",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [
            CancellationPolicy::Flexible,
            CancellationPolicy::Moderate,
            CancellationPolicy::Strict,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }

    /// How long before the start a cancellation is still refunded in full.
    pub fn full_refund_notice(self) -> Option<Duration> {
        match self {
            CancellationPolicy::Flexible => Some(Duration::hours(24)),
            CancellationPolicy::Moderate => Some(Duration::days(7)),
            CancellationPolicy::Strict => None,
        }
    }

    /// The refund for cancelling, at `now`, a booking `paid` for a slot starting at
    /// `starts_at` (both in the same clock). Exactly at the notice boundary still
    /// counts as in time.
    pub fn refund(self, paid: Money, starts_at: NaiveDateTime, now: NaiveDateTime) -> Money {
        let in_time = self
            .full_refund_notice()
            .is_some_and(|notice| starts_at - now >= notice);
        if in_time {
            paid
        } else {
            Money::from_centavos(0, paid.currency())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32, minute: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(hour, minute, 0)
            .unwrap()
    }

    #[test]
    fn a_hold_is_confirmed_expires_or_is_cancelled() {
        use BookingAction::*;
        use BookingStatus::*;
        assert_eq!(Held.after(Confirm), Ok(Confirmed));
        assert_eq!(Held.after(Expire), Ok(Expired));
        assert_eq!(Held.after(Cancel), Ok(Cancelled));
        assert_eq!(Confirmed.after(CheckIn), Ok(CheckedIn));
        assert_eq!(Confirmed.after(MarkNoShow), Ok(NoShow));
        assert_eq!(NoShow.after(CheckIn), Ok(CheckedIn), "late, but there");
        assert!(Expired.after(Confirm).is_err(), "its places are gone");
        assert!(Confirmed.after(Expire).is_err(), "a sale does not expire");
        assert!(CheckedIn.after(Cancel).is_err());
        assert!(CheckedIn.after(CheckIn).is_err(), "twice is no move");
        assert!(Cancelled.after(Cancel).is_err());
    }

    #[test]
    fn a_share_is_released_once_the_tour_took_place_and_never_for_a_booking_not_sold() {
        use BookingStatus::*;
        use ShareOnceBegun::*;
        assert_eq!(Confirmed.share_once_begun(), Release);
        assert_eq!(CheckedIn.share_once_begun(), Release);
        assert_eq!(NoShow.share_once_begun(), Release, "the place was sold");
        assert_eq!(Expired.share_once_begun(), NothingHeld);
        assert_eq!(Cancelled.share_once_begun(), NothingHeld, "refunded");
        assert_eq!(Held.share_once_begun(), Wait, "its payment may still come");
    }

    #[test]
    fn only_live_holds_and_sold_places_count_against_capacity() {
        use BookingStatus::*;
        let taking: Vec<_> = [Held, Confirmed, CheckedIn, NoShow, Expired, Cancelled]
            .into_iter()
            .filter(|s| s.takes_places())
            .collect();
        assert_eq!(taking, [Held, Confirmed, CheckedIn, NoShow]);
        for s in [Held, Confirmed, CheckedIn, NoShow, Expired, Cancelled] {
            assert_eq!(BookingStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn a_party_fits_the_tour_and_the_places_left() {
        let limits = PartyLimits { min: 2, max: 8 };
        assert_eq!(limits.check(0, 12), Err(PartyError::Empty));
        assert_eq!(limits.check(1, 12), Err(PartyError::TooFew { min: 2 }));
        assert_eq!(limits.check(9, 12), Err(PartyError::TooMany { max: 8 }));
        assert_eq!(
            limits.check(5, 4),
            Err(PartyError::NotEnoughLeft { left: 4 })
        );
        assert_eq!(limits.check(4, 4), Ok(()));
    }

    #[test]
    fn refunds_follow_the_policy_up_to_its_boundary() {
        let paid = Money::mxn(150_000);
        let zero = Money::mxn(0);
        let start = at(20, 9, 0);
        let flexible = CancellationPolicy::Flexible;
        assert_eq!(
            flexible.refund(paid, start, at(19, 9, 0)),
            paid,
            "24 h exactly"
        );
        assert_eq!(
            flexible.refund(paid, start, at(19, 9, 1)),
            zero,
            "a minute late"
        );
        let moderate = CancellationPolicy::Moderate;
        assert_eq!(
            moderate.refund(paid, start, at(13, 9, 0)),
            paid,
            "7 days exactly"
        );
        assert_eq!(moderate.refund(paid, start, at(13, 9, 1)), zero);
        assert_eq!(moderate.refund(paid, start, at(1, 0, 0)), paid);
        let strict = CancellationPolicy::Strict;
        assert_eq!(strict.refund(paid, start, at(1, 0, 0)), zero);
        assert_eq!(
            flexible.refund(paid, start, at(21, 0, 0)),
            zero,
            "after the start"
        );
        for p in [flexible, moderate, strict] {
            assert_eq!(CancellationPolicy::parse(p.code()), Some(p));
        }
    }
}
