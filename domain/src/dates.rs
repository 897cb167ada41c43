//! Dates as the pages and emails write them: short, in the reader's language.

use crate::Lang;

const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS_ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// "sáb 12 dic 2026, 10:00" / "Sat 12 Dec 2026, 10:00" (local time of the community).
pub fn format_date(d: chrono::NaiveDateTime, lang: Lang) -> String {
    format!("{}, {}", format_day(d.date(), lang), format_time(d))
}

/// "sáb 12 dic 2026" / "Sat 12 Dec 2026".
pub fn format_day(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let (months, days) = match lang {
        Lang::Es => (MONTHS_ES, WEEKDAYS_ES),
        Lang::En => (MONTHS_EN, WEEKDAYS_EN),
    };
    format!(
        "{} {} {} {}",
        days[d.weekday().num_days_from_monday() as usize],
        d.day(),
        months[d.month0() as usize],
        d.year(),
    )
}

/// "10:00".
pub fn format_time(d: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", d.hour(), d.minute())
}

/// The short weekday names, Monday first.
pub fn weekday_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Es => WEEKDAYS_ES,
        Lang::En => WEEKDAYS_EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_the_same_in_both_languages_but_in_words_of_each() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 12)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap();
        assert_eq!(format_date(d, Lang::Es), "sáb 12 dic 2026, 09:05");
        assert_eq!(format_date(d, Lang::En), "Sat 12 Dec 2026, 09:05");
    }
}
