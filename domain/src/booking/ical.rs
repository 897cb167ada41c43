//! Calendar feeds (iCalendar, RFC 5545) of a guide's or a tour's coming slots, so a
//! phone's calendar app shows them. Times are written in UTC, so no time-zone table
//! is needed and every calendar app places them right.

use chrono::{DateTime, Utc};

/// One slot in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEvent {
    /// Stable across fetches, so calendars update the event rather than add one.
    pub uid: String,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub cancelled: bool,
}

/// The feed named `name` with `events`, as `text/calendar`.
pub fn feed(name: &str, events: &[FeedEvent], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&fold(&text));
        out.push_str("\r\n");
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Tianguis//Reservas//ES".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", e.uid));
        line(format!("DTSTAMP:{}", stamp(now)));
        line(format!("DTSTART:{}", stamp(e.starts)));
        line(format!("DTEND:{}", stamp(e.ends)));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.location.is_empty() {
            line(format!("LOCATION:{}", escape(&e.location)));
        }
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if e.cancelled {
            line("STATUS:CANCELLED".into());
        }
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Text values escape backslashes, commas, semicolons and line breaks.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Lines longer than 75 bytes continue on the next line after a space, cut between
/// characters (never inside a UTF-8 sequence).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 74 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn event() -> FeedEvent {
        FeedEvent {
            uid: "slot-7@tianguis".into(),
            starts: Utc.with_ymd_and_hms(2026, 12, 5, 16, 0, 0).unwrap(),
            ends: Utc.with_ymd_and_hms(2026, 12, 5, 20, 0, 0).unwrap(),
            summary: "Taller de tintes, 5 de 12".into(),
            location: "Casa de Isaac; Teotitlán".into(),
            description: "Ana López: 3\nAnn Lee: 2".into(),
            cancelled: false,
        }
    }

    #[test]
    fn a_feed_has_one_event_per_slot_in_utc() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap();
        let text = feed("Isaac", &[event()], now);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("DTSTART:20261205T160000Z\r\n"));
        assert!(text.contains("SUMMARY:Taller de tintes\\, 5 de 12\r\n"));
        assert!(text.contains("LOCATION:Casa de Isaac\\; Teotitlán\r\n"));
        assert!(text.contains("DESCRIPTION:Ana López: 3\\nAnn Lee: 2\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);
        assert!(!text.contains("STATUS:CANCELLED"));
    }

    #[test]
    fn long_lines_fold_without_breaking_a_character() {
        let mut long = event();
        long.description = "ñ".repeat(100);
        let text = feed("Isaac", &[long], Utc::now());
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?}");
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&"ñ".repeat(100)));
    }
}
