//! Dates as the pages and emails write them: short, in the reader's language.

use crate::Lang;

const MONTHS_ES: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTH_NAMES_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTH_NAMES_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
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

/// "diciembre 2026" / "December 2026".
pub fn format_month(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let names = match lang {
        Lang::Es => MONTH_NAMES_ES,
        Lang::En => MONTH_NAMES_EN,
    };
    format!("{} {}", names[d.month0() as usize], d.year())
}

/// "1 ene" / "1 Jan": a day with its month, where a calendar's month turns.
pub fn format_day_of_month(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    let months = match lang {
        Lang::Es => MONTHS_ES,
        Lang::En => MONTHS_EN,
    };
    format!("{} {}", d.day(), months[d.month0() as usize])
}

/// "10:00".
pub fn format_time(d: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", d.hour(), d.minute())
}

/// The site's own clock's zone (`clock::SiteTime`): deadlines, holds, payments.
pub const SITE_ZONE: &str = "America/Mexico_City";

/// "hora de Mérida" / "Mérida time" for IANA zone `zone` ("America/Merida"): the
/// city that names it, in the reader's language where the name differs.
pub fn zone_name(zone: &str, lang: Lang) -> String {
    let city = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    let city = match (lang, city.as_str()) {
        (Lang::Es, "Mexico City") => "la Ciudad de México".to_owned(),
        (_, "Mexico City") => "Mexico City".to_owned(),
        (_, "Merida") => "Mérida".to_owned(),
        (_, "Cancun") => "Cancún".to_owned(),
        (_, "Mazatlan") => "Mazatlán".to_owned(),
        (_, "Bahia Banderas") => "Bahía de Banderas".to_owned(),
        _ => city,
    };
    match lang {
        Lang::Es => format!("hora de {city}"),
        Lang::En => format!("{city} time"),
    }
}

/// "sáb 12 dic 2026, 10:00 (hora de la Ciudad de México)": a time a visitor acts on
/// (a start, a deadline) with its zone, for visitors from elsewhere.
pub fn date_with_zone(d: chrono::NaiveDateTime, zone: &str, lang: Lang) -> String {
    format!("{} ({})", format_date(d, lang), zone_name(zone, lang))
}

/// "10:00 (Mexico City time)".
pub fn time_with_zone(d: chrono::NaiveDateTime, zone: &str, lang: Lang) -> String {
    format!("{} ({})", format_time(d), zone_name(zone, lang))
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
        assert_eq!(
            date_with_zone(d, SITE_ZONE, Lang::Es),
            "sáb 12 dic 2026, 09:05 (hora de la Ciudad de México)"
        );
        assert_eq!(
            time_with_zone(d, SITE_ZONE, Lang::En),
            "09:05 (Mexico City time)"
        );
        assert_eq!(
            date_with_zone(d, "America/Merida", Lang::En),
            "Sat 12 Dec 2026, 09:05 (Mérida time)"
        );
    }
}
