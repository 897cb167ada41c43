//! A listing's coming slots: a calendar of weeks for tours (a departure most days),
//! a list for events (a few sessions, possibly months apart). Each open or full slot
//! links to its booking page with its places left; the calendar names its months and
//! links the weeks before and after. Nothing here needs JavaScript.

use crate::lang::use_lang;
use crate::{tr, tr_n};
use chrono::Datelike;
use chrono::NaiveDate;
use domain::Lang;
use domain::booking::calendar::{
    CalendarWindow, SlotState, SlotSummary, WEEKS_SHOWN, calendar_weeks,
};
use domain::dates::{
    format_date, format_day, format_day_of_month, format_month, format_time, weekday_names,
    zone_name,
};
use leptos::prelude::*;

/// "8 libres", "lleno", "cerrado"…
pub fn state_label(s: &SlotSummary, lang: Lang) -> String {
    match s.state {
        SlotState::Open => tr_n!(
            lang,
            s.left,
            places_left_short_one | places_left_short,
            count = s.left
        ),
        SlotState::Full => tr!(lang, slot_full),
        SlotState::TooLate => tr!(lang, slot_too_late),
        SlotState::Closed => tr!(lang, slot_closed),
        SlotState::Cancelled => tr!(lang, slot_cancelled),
    }
}

/// A slot's link (or, when it cannot be booked, its text): `shown` is what the eye
/// reads in its place (a time, in a calendar's day); a link's name for a screen
/// reader always says the whole date.
fn slot_link(s: &SlotSummary, shown: String, lang: Lang) -> impl IntoView + use<> {
    let state = state_label(s, lang);
    let label = format!("{shown} · {state}");
    let name = format!("{} · {state}", format_date(s.starts_at, lang));
    // Full slots link too: their page offers the waiting list.
    match s.state {
        SlotState::Open => {
            view! { <a class="slot open" href=s.href() aria-label=name>{label}</a> }.into_any()
        }
        SlotState::Full => {
            view! { <a class="slot full" href=s.href() aria-label=name>{label}</a> }.into_any()
        }
        _ => view! { <span class="slot shut">{label}</span> }.into_any(),
    }
}

/// A listing's slots: a calendar of weeks when `weeks` gives its window and the
/// listing's address (for the links to the weeks before and after), else a list.
/// Times are in the community's `zone`, said once above them.
#[component]
pub fn SlotCalendar(
    slots: Vec<SlotSummary>,
    zone: String,
    weeks: Option<(CalendarWindow, String)>,
) -> impl IntoView {
    let lang = use_lang();
    let zone_note =
        view! { <p class="hint">{tr!(lang, times_in_zone, zone = zone_name(&zone, lang))}</p> };
    let Some((window, href)) = weeks else {
        if slots.is_empty() {
            return view! { <p>{tr!(lang, no_departures)}</p> }.into_any();
        }
        return view! {
            {zone_note}
            <ul class="sessions">
                {slots
                    .iter()
                    .map(|s| view! { <li>{slot_link(s, format_date(s.starts_at, lang), lang)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any();
    };
    let to = |day: NaiveDate| format!("{href}?from={}#dates", day.format("%Y-%m-%d"));
    let nav = view! {
        <nav class="calendar-nav" aria-label=tr!(lang, calendar_nav_label)>
            {window.earlier.map(|d| view! { <a href=to(d) rel="nofollow">{tr!(lang, calendar_earlier)}</a> })}
            {window.later.map(|d| view! { <a href=to(d) rel="nofollow" class="later">{tr!(lang, calendar_later)}</a> })}
        </nav>
    };
    if slots.is_empty() {
        return view! { <p>{tr!(lang, no_departures)}</p> {nav} }.into_any();
    }
    let weeks = calendar_weeks(&slots, window.first, WEEKS_SHOWN);
    // From the first day that can be booked: the days before it in its week show empty.
    let first_day = Some(window.first);
    let last_day = weeks.last().and_then(|w| w.last()).map(|d| d.date);
    let caption = match (first_day, last_day) {
        (Some(a), Some(b)) if (a.year(), a.month()) != (b.year(), b.month()) => {
            format!("{} – {}", format_month(a, lang), format_month(b, lang))
        }
        (Some(a), _) => format_month(a, lang),
        _ => String::new(),
    };
    let heads = weekday_names(lang)
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let rows = weeks
        .into_iter()
        .enumerate()
        .map(|(w, week)| {
            let days = week
                .into_iter()
                .enumerate()
                .map(|(d, day)| {
                    let links = day
                        .slots
                        .iter()
                        .map(|s| slot_link(s, format_time(s.starts_at), lang))
                        .collect_view();
                    // The month is named where it turns, and on the first day shown.
                    let number = if day.date.day() == 1 || (w, d) == (0, 0) {
                        format_day_of_month(day.date, lang)
                    } else {
                        day.date.day().to_string()
                    };
                    view! {
                        <td class:empty=day.slots.is_empty()>
                            <span class="day" title=format_day(day.date, lang)>{number}</span>
                            {links}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr>{days}</tr> }
        })
        .collect_view();
    view! {
        {zone_note}
        <table class="calendar">
            <caption>{caption}</caption>
            <thead>
                <tr>{heads}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        {nav}
    }
    .into_any()
}
