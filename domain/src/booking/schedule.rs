//! When a tour departs: weekly opening rules (weekday and start times) with closed
//! dates and extra dates, in the community's time zone, turned into the dated slots
//! of the coming days. Start times are what the guide says ("the 9:00 walk"), so they
//! are kept in local time; the instant in UTC is worked out per date, which is what
//! keeps a 9:00 departure at 9:00 across a daylight-saving change.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono::{Datelike, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;

/// One opening rule of a listing, as its producer writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OpeningRule {
    /// Every week on `weekday` (1 = Monday … 7 = Sunday) at `starts`.
    Weekly { weekday: u32, starts: NaiveTime },
    /// Once, at `at` (an extra departure, or an event's session).
    Extra { at: NaiveDateTime },
    /// No departures that day.
    Closed { on: NaiveDate },
}

/// The departures of one weekday.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyRule {
    pub weekday: Weekday,
    pub starts: Vec<NaiveTime>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub timezone: Tz,
    pub rules: Vec<WeeklyRule>,
    /// Dates with no departures (a fiesta, the rainy season's worst week).
    pub closed: BTreeSet<NaiveDate>,
    /// Departures beyond the weekly rules, in local time.
    pub extra: Vec<NaiveDateTime>,
    /// How many days ahead slots exist.
    pub horizon_days: u32,
}

/// One departure: as the community reads it, and the instant it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SlotTime {
    pub local: NaiveDateTime,
    pub utc: DateTime<Utc>,
}

impl Schedule {
    /// The departures from `today` (a local date) until the horizon, in order. A start
    /// time that a daylight-saving change skips does not happen that day; one it
    /// repeats happens once, at its first occurrence.
    pub fn slots(&self, today: NaiveDate) -> Vec<SlotTime> {
        let last = today + Duration::days(i64::from(self.horizon_days));
        let weekly = today
            .iter_days()
            .take_while(|d| *d < last)
            .filter(|d| !self.closed.contains(d))
            .flat_map(|d| {
                self.rules
                    .iter()
                    .filter(move |r| r.weekday == d.weekday())
                    .flat_map(move |r| r.starts.iter().map(move |t| d.and_time(*t)))
            });
        let extra = self
            .extra
            .iter()
            .copied()
            .filter(|at| at.date() >= today && at.date() < last);
        let mut slots: Vec<SlotTime> = weekly
            .chain(extra)
            .filter_map(|local| self.instant(local).map(|utc| SlotTime { local, utc }))
            .collect();
        slots.sort();
        slots.dedup();
        slots
    }

    /// The instant of a local time in this schedule's zone, if that time exists.
    pub fn instant(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.timezone.from_local_datetime(&local) {
            LocalResult::Single(at) => Some(at.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
            LocalResult::None => None,
        }
    }
}

/// Whether a slot starting at `starts` can still be booked at `now`, with bookings
/// closing `cutoff` before the start.
pub fn bookable(starts: DateTime<Utc>, now: DateTime<Utc>, cutoff: Duration) -> bool {
    now + cutoff <= starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap()
    }

    fn sundays_at(timezone: Tz, starts: Vec<NaiveTime>) -> Schedule {
        Schedule {
            timezone,
            rules: vec![WeeklyRule {
                weekday: Weekday::Sun,
                starts,
            }],
            closed: BTreeSet::new(),
            extra: vec![],
            horizon_days: 14,
        }
    }

    fn utc_hours(slots: &[SlotTime]) -> Vec<(NaiveDate, u32)> {
        use chrono::Timelike;
        slots
            .iter()
            .map(|s| (s.local.date(), s.utc.hour()))
            .collect()
    }

    #[test]
    fn a_departure_keeps_its_local_time_across_a_daylight_saving_change() {
        // Tijuana follows the US: clocks went forward on Sunday 8 March 2026.
        let s = sundays_at(chrono_tz::America::Tijuana, vec![time(9, 0)]);
        let slots = s.slots(date(2026, 3, 1));
        assert_eq!(
            utc_hours(&slots),
            [(date(2026, 3, 1), 17), (date(2026, 3, 8), 16)],
            "9:00 PST is 17:00 UTC, 9:00 PDT is 16:00 UTC"
        );
        assert!(slots.iter().all(|s| s.local.time() == time(9, 0)));
    }

    #[test]
    fn mexico_city_has_no_daylight_saving_any_more() {
        // Until 2022 it went forward on the first Sunday of April; no longer.
        let s = sundays_at(chrono_tz::America::Mexico_City, vec![time(9, 0)]);
        let slots = s.slots(date(2026, 3, 29));
        assert_eq!(
            utc_hours(&slots),
            [(date(2026, 3, 29), 15), (date(2026, 4, 5), 15)]
        );
    }

    #[test]
    fn a_start_time_the_clocks_skip_does_not_happen_and_a_repeated_one_happens_once() {
        let spring = sundays_at(chrono_tz::America::Tijuana, vec![time(2, 30)]);
        let slots = spring.slots(date(2026, 3, 1));
        assert_eq!(
            slots.iter().map(|s| s.local.date()).collect::<Vec<_>>(),
            [date(2026, 3, 1)],
            "2:30 did not exist on 8 March"
        );
        let autumn = sundays_at(chrono_tz::America::Tijuana, vec![time(1, 30)]);
        let slots = autumn.slots(date(2026, 11, 1));
        assert_eq!(
            utc_hours(&slots),
            [(date(2026, 11, 1), 8), (date(2026, 11, 8), 9)],
            "1:30 PDT (08:30 UTC) on 1 November, once"
        );
    }

    #[test]
    fn closed_dates_extra_dates_and_the_horizon_shape_the_slots() {
        let mut s = sundays_at(
            chrono_tz::America::Mexico_City,
            vec![time(9, 0), time(15, 0)],
        );
        s.closed.insert(date(2026, 12, 13));
        s.extra.push(date(2026, 12, 12).and_time(time(10, 0)));
        s.extra.push(date(2026, 12, 6).and_time(time(9, 0)));
        s.extra.push(date(2027, 1, 30).and_time(time(10, 0)));
        let slots = s.slots(date(2026, 12, 1));
        let local: Vec<_> = slots.iter().map(|s| s.local).collect();
        assert_eq!(
            local,
            [
                date(2026, 12, 6).and_time(time(9, 0)),
                date(2026, 12, 6).and_time(time(15, 0)),
                date(2026, 12, 12).and_time(time(10, 0)),
            ],
            "13 December closed, an extra Saturday, a duplicate once, nothing past 14 days"
        );
    }

    #[test]
    fn bookings_close_at_the_cutoff() {
        let s = sundays_at(chrono_tz::America::Mexico_City, vec![time(9, 0)]);
        let starts = s.instant(date(2026, 12, 6).and_time(time(9, 0))).unwrap();
        let cutoff = Duration::hours(12);
        assert!(
            bookable(starts, starts - Duration::hours(12), cutoff),
            "exactly 12 h before"
        );
        assert!(!bookable(starts, starts - Duration::hours(11), cutoff));
        assert!(!bookable(
            starts,
            starts + Duration::hours(1),
            Duration::zero()
        ));
    }
}
