//! The site's two clocks, as two types so the compiler refuses a mix. [`SiteTime`] is
//! the wall-clock time where the visits happen (Mexico City: UTC−6, with no daylight
//! saving since 2022): bookings, slots, orders, payments, the ledger and the fund
//! are in it, as a guide, a visitor and a cooperative read them. [`UtcTime`] is for
//! what is about security and machines: accounts, sessions, one-time links, sign-in
//! throttling and the outbox. [`now`] is the one reading of the system clock.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// How far the site's wall clock is behind UTC.
const SITE_BEHIND_UTC: Duration = Duration::hours(6);

/// A moment as the site's wall clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SiteTime(NaiveDateTime);

/// A moment in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UtcTime(NaiveDateTime);

/// Now, read once from the system clock.
pub fn now() -> UtcTime {
    UtcTime(Utc::now().naive_utc())
}

/// The site's wall-clock reading of instant `utc` (a provider's deadline, say).
pub fn site_time_of(utc: DateTime<Utc>) -> NaiveDateTime {
    UtcTime(utc.naive_utc()).on_site().naive()
}

/// The instant of the site's wall-clock reading `site` (for a provider's API).
pub fn instant_of_site_time(site: NaiveDateTime) -> DateTime<Utc> {
    SiteTime(site).in_utc().instant()
}

impl UtcTime {
    /// A UTC reading kept without its zone (a database column, say).
    pub const fn from_naive(utc: NaiveDateTime) -> UtcTime {
        UtcTime(utc)
    }

    /// The reading itself, for a column or a comparison in a query.
    pub const fn naive(self) -> NaiveDateTime {
        self.0
    }

    /// The same moment as an instant (for a signature's timestamp, an iCalendar stamp).
    pub fn instant(self) -> DateTime<Utc> {
        self.0.and_utc()
    }

    /// The same moment on the site's wall clock.
    pub fn on_site(self) -> SiteTime {
        SiteTime(self.0 - SITE_BEHIND_UTC)
    }
}

impl SiteTime {
    /// A site wall-clock reading kept without its zone.
    pub const fn from_naive(site: NaiveDateTime) -> SiteTime {
        SiteTime(site)
    }

    /// The reading itself, for a column or a comparison in a query.
    pub const fn naive(self) -> NaiveDateTime {
        self.0
    }

    /// The day it is on the site.
    pub fn date(self) -> NaiveDate {
        self.0.date()
    }

    /// The same moment in UTC.
    pub fn in_utc(self) -> UtcTime {
        UtcTime(self.0 + SITE_BEHIND_UTC)
    }
}

impl std::ops::Add<Duration> for UtcTime {
    type Output = UtcTime;
    fn add(self, d: Duration) -> UtcTime {
        UtcTime(self.0 + d)
    }
}

impl std::ops::Sub<Duration> for UtcTime {
    type Output = UtcTime;
    fn sub(self, d: Duration) -> UtcTime {
        UtcTime(self.0 - d)
    }
}

impl std::ops::Add<Duration> for SiteTime {
    type Output = SiteTime;
    fn add(self, d: Duration) -> SiteTime {
        SiteTime(self.0 + d)
    }
}

impl std::ops::Sub<Duration> for SiteTime {
    type Output = SiteTime;
    fn sub(self, d: Duration) -> SiteTime {
        SiteTime(self.0 - d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_site_is_six_hours_behind_utc_all_year() {
        let summer = UtcTime::from_naive(at("2026-07-01 18:00"));
        let winter = UtcTime::from_naive(at("2026-12-24 03:30"));
        assert_eq!(summer.on_site().naive(), at("2026-07-01 12:00"));
        assert_eq!(winter.on_site().naive(), at("2026-12-23 21:30"));
        assert_eq!(winter.on_site().date().to_string(), "2026-12-23");
    }

    #[test]
    fn a_moment_comes_back_the_same_from_either_clock() {
        let t = UtcTime::from_naive(at("2026-03-08 08:15"));
        assert_eq!(t.on_site().in_utc(), t);
        let s = SiteTime::from_naive(at("2026-11-01 01:30"));
        assert_eq!(s.in_utc().on_site(), s);
    }
}
