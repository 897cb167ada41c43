//! A listing's coming dates as visitors see them on its page: each slot's places left
//! and whether it can be booked (and if not, why), laid out in weeks.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Whether a slot takes bookings, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlotState {
    Open,
    /// Every place is held or sold: a visitor may join the waiting list.
    Full,
    /// Bookings closed: it starts within the cutoff (or has started).
    TooLate,
    /// Its producer closed it to new bookings (existing ones stand).
    Closed,
    /// Its producer called it off; every booking in it was cancelled.
    Cancelled,
}

/// One slot in a calendar or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotSummary {
    pub id: i32,
    /// Local time of the community.
    pub starts_at: NaiveDateTime,
    pub capacity: u32,
    pub left: u32,
    pub state: SlotState,
}

impl SlotSummary {
    pub fn href(&self) -> String {
        format!("/slots/{}", self.id)
    }
}

/// The state of a slot from its facts (all times in the same local clock).
pub fn slot_state(
    left: u32,
    closed: bool,
    cancelled: bool,
    starts_at: NaiveDateTime,
    now: NaiveDateTime,
    cutoff: Duration,
) -> SlotState {
    if cancelled {
        SlotState::Cancelled
    } else if closed {
        SlotState::Closed
    } else if starts_at - now < cutoff {
        SlotState::TooLate
    } else if left == 0 {
        SlotState::Full
    } else {
        SlotState::Open
    }
}

/// One day of a calendar, with its slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub slots: Vec<SlotSummary>,
}

/// How many weeks a tour's calendar shows at once.
pub const WEEKS_SHOWN: u32 = 5;

/// Which weeks a tour's calendar shows, and where its "earlier" and "later" links go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarWindow {
    /// The first day shown (today, or the day asked for).
    pub first: NaiveDate,
    /// The first day of the weeks before, when the first day shown is not today.
    pub earlier: Option<NaiveDate>,
    /// The first day of the weeks after, when they hold departures.
    pub later: Option<NaiveDate>,
}

impl CalendarWindow {
    /// The days shown from `first`: whole weeks, Monday to Sunday.
    pub fn days(first: NaiveDate) -> i64 {
        let into_week = i64::from(first.weekday().num_days_from_monday());
        i64::from(WEEKS_SHOWN) * 7 - into_week
    }

    /// The window from `asked` (or `today`, when earlier or not given), knowing
    /// whether departures come after it.
    pub fn from(today: NaiveDate, asked: Option<NaiveDate>, more_after: bool) -> CalendarWindow {
        let first = asked.filter(|d| *d > today).unwrap_or(today);
        let back = first - Duration::days(i64::from(WEEKS_SHOWN) * 7);
        let back = back - Duration::days(i64::from(back.weekday().num_days_from_monday()));
        CalendarWindow {
            first,
            earlier: (first > today).then(|| back.max(today)),
            later: more_after.then(|| first + Duration::days(Self::days(first))),
        }
    }
}

/// The weeks (Monday to Sunday) from the one holding `today` to the one holding the
/// last slot, at most `max_weeks`; days before `today` are in the first week too
/// (they show empty), so every row has seven days.
pub fn calendar_weeks(
    slots: &[SlotSummary],
    today: NaiveDate,
    max_weeks: u32,
) -> Vec<Vec<CalendarDay>> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let last = slots.iter().map(|s| s.starts_at.date()).max();
    let Some(last) = last else {
        return Vec::new();
    };
    let weeks = (((last - monday).num_days() / 7) + 1).clamp(1, i64::from(max_weeks));
    (0..weeks)
        .map(|w| {
            (0..7)
                .map(|d| {
                    let date = monday + Duration::days(w * 7 + d);
                    let slots = if date < today {
                        Vec::new()
                    } else {
                        slots
                            .iter()
                            .filter(|s| s.starts_at.date() == date)
                            .cloned()
                            .collect()
                    };
                    CalendarDay { date, slots }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn slot(id: i32, starts_at: NaiveDateTime) -> SlotSummary {
        SlotSummary {
            id,
            starts_at,
            capacity: 10,
            left: 10,
            state: SlotState::Open,
        }
    }

    #[test]
    fn the_calendar_moves_by_its_five_weeks_and_never_before_today() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        // Thursday 3 December: the rest of this week and four more, to Sunday 3 January.
        let now = CalendarWindow::from(day(3), None, true);
        assert_eq!(now.first, day(3));
        assert_eq!(CalendarWindow::days(day(3)), 32);
        assert_eq!(now.earlier, None, "nothing before today");
        assert_eq!(now.later, NaiveDate::from_ymd_opt(2027, 1, 4), "a Monday");
        let later = CalendarWindow::from(day(3), now.later, false);
        assert_eq!(later.earlier, Some(day(3)), "back to today, not before");
        assert_eq!(later.later, None, "no departures after");
        let past = CalendarWindow::from(day(3), Some(day(1)), false);
        assert_eq!(past.first, day(3), "a day gone by shows from today");
    }

    #[test]
    fn a_slot_says_why_it_cannot_be_booked() {
        let twelve = Duration::hours(12);
        let now = at(1, 8);
        assert_eq!(
            slot_state(4, false, false, at(2, 9), now, twelve),
            SlotState::Open
        );
        assert_eq!(
            slot_state(0, false, false, at(2, 9), now, twelve),
            SlotState::Full
        );
        // The cutoff: exactly 12 hours before is still open, a minute later is not.
        assert_eq!(
            slot_state(4, false, false, at(1, 20), now, twelve),
            SlotState::Open
        );
        let late = now + Duration::minutes(1);
        assert_eq!(
            slot_state(4, false, false, at(1, 20), late, twelve),
            SlotState::TooLate
        );
        assert_eq!(
            slot_state(4, true, false, at(2, 9), now, twelve),
            SlotState::Closed
        );
        assert_eq!(
            slot_state(4, true, true, at(2, 9), now, twelve),
            SlotState::Cancelled
        );
    }

    #[test]
    fn a_calendar_is_whole_weeks_from_this_one_to_the_last_slot() {
        // 2026-12-01 is a Tuesday.
        let today = at(1, 0).date();
        let slots = vec![slot(1, at(1, 10)), slot(2, at(3, 10)), slot(3, at(15, 9))];
        let weeks = calendar_weeks(&slots, today, 8);
        assert_eq!(weeks.len(), 3);
        assert!(weeks.iter().all(|w| w.len() == 7));
        assert_eq!(
            weeks[0][0].date,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(weeks[0][1].slots.len(), 1);
        assert_eq!(weeks[0][3].slots[0].id, 2);
        assert_eq!(weeks[2][1].slots[0].id, 3);
        assert_eq!(calendar_weeks(&slots, today, 2).len(), 2);
        assert!(calendar_weeks(&[], today, 8).is_empty());
    }
}
