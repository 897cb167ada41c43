//! How much one email address, or one client address, may start in an hour: places
//! held for payment, free places taken, orders waiting for payment; how many emails
//! the site sends one address in an hour on a visitor's say-so; and how many free
//! places an RSVP takes before its email must be confirmed. Without these, anyone
//! could hold every place of a tour, fill a free event, tie up a craft's stock with
//! unpaid OXXO orders, or make the site email any address.

use serde::{Deserialize, Serialize};

/// What a visitor started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Started {
    /// Places held on a paid tour or event, or a place on a waiting list.
    Hold,
    /// Free places taken on an event.
    Rsvp,
    /// An order placed, waiting for its payment.
    Order,
    /// The links of an address's orders emailed to it again.
    OrderLinks,
}

impl Started {
    pub fn code(self) -> &'static str {
        match self {
            Started::Hold => "hold",
            Started::Rsvp => "rsvp",
            Started::Order => "order",
            Started::OrderLinks => "order_links",
        }
    }
}

/// The limits, each per hour (the server's settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourlyLimits {
    /// Of each kind, by one email address.
    pub per_email: u32,
    /// Of each kind, from one client address (a whole village may share one: generous).
    pub per_address: u32,
    /// Emails the site writes one address because a visitor asked it to.
    pub emails_per_recipient: u32,
}

impl Default for HourlyLimits {
    fn default() -> Self {
        HourlyLimits {
            per_email: 10,
            per_address: 60,
            emails_per_recipient: 20,
        }
    }
}

/// What the last hour holds for a new start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LastHour {
    /// Starts of this kind by the email address.
    pub by_email: u64,
    /// Starts of this kind from the client address.
    pub by_address: u64,
    /// Emails written to the email address.
    pub emails_to: u64,
}

/// Why a start is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TooMany {
    FromEmail,
    FromAddress,
    EmailsTo,
}

/// Whether one more start fits in the hour.
pub fn check(last_hour: LastHour, limits: HourlyLimits) -> Result<(), TooMany> {
    if last_hour.by_email >= u64::from(limits.per_email) {
        return Err(TooMany::FromEmail);
    }
    if last_hour.by_address >= u64::from(limits.per_address) {
        return Err(TooMany::FromAddress);
    }
    if last_hour.emails_to >= u64::from(limits.emails_per_recipient) {
        return Err(TooMany::EmailsTo);
    }
    Ok(())
}

/// Free places an RSVP takes at once; a bigger one is held until the email it gives
/// is confirmed from the link sent to it.
pub const RSVP_PLACES_AT_ONCE: u32 = 2;

/// Whether an RSVP for `places` is confirmed at once: small ones are, and any made
/// by a signed-in account whose email is verified (it is proved already).
pub fn rsvp_confirmed_at_once(places: u32, verified_account: bool) -> bool {
    verified_account || places <= RSVP_PLACES_AT_ONCE
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: HourlyLimits = HourlyLimits {
        per_email: 3,
        per_address: 5,
        emails_per_recipient: 4,
    };

    fn hour(by_email: u64, by_address: u64, emails_to: u64) -> LastHour {
        LastHour {
            by_email,
            by_address,
            emails_to,
        }
    }

    #[test]
    fn a_start_fits_until_a_limit_is_reached() {
        assert_eq!(check(hour(2, 4, 3), LIMITS), Ok(()));
        assert_eq!(check(hour(3, 0, 0), LIMITS), Err(TooMany::FromEmail));
        assert_eq!(check(hour(0, 5, 0), LIMITS), Err(TooMany::FromAddress));
        assert_eq!(check(hour(0, 0, 4), LIMITS), Err(TooMany::EmailsTo));
        assert_eq!(
            check(hour(9, 9, 9), LIMITS),
            Err(TooMany::FromEmail),
            "the email first"
        );
    }

    #[test]
    fn a_big_rsvp_waits_for_its_email_unless_a_verified_account_makes_it() {
        assert!(rsvp_confirmed_at_once(1, false));
        assert!(rsvp_confirmed_at_once(RSVP_PLACES_AT_ONCE, false));
        assert!(!rsvp_confirmed_at_once(RSVP_PLACES_AT_ONCE + 1, false));
        assert!(rsvp_confirmed_at_once(10, true));
    }
}
