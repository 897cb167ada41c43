//! A listing's coming slots: a calendar of weeks for tours (a departure most days),
//! a list for events (a few sessions, possibly months apart). Each open or full slot
//! links to its booking page with its places left; nothing here needs JavaScript.

use crate::lang::use_lang;
use crate::tr;
use chrono::Datelike;
use domain::Lang;
use domain::booking::calendar::{SlotState, SlotSummary, calendar_weeks};
use domain::dates::{format_date, format_day, format_time, weekday_names};
use leptos::prelude::*;

/// Weeks a tour's calendar shows at most.
const WEEKS_SHOWN: u32 = 5;

/// "8 libres", "lleno", "cerrado"…
pub fn state_label(s: &SlotSummary, lang: Lang) -> String {
    match s.state {
        SlotState::Open => tr!(lang, places_left_short, count = s.left),
        SlotState::Full => tr!(lang, slot_full),
        SlotState::TooLate => tr!(lang, slot_too_late),
        SlotState::Closed => tr!(lang, slot_closed),
        SlotState::Cancelled => tr!(lang, slot_cancelled),
    }
}

fn slot_link(s: &SlotSummary, when: String, lang: Lang) -> impl IntoView + use<> {
    let label = format!("{when} · {}", state_label(s, lang));
    // Full slots link too: their page offers the waiting list.
    match s.state {
        SlotState::Open => view! { <a class="slot open" href=s.href()>{label}</a> }.into_any(),
        SlotState::Full => view! { <a class="slot full" href=s.href()>{label}</a> }.into_any(),
        _ => view! { <span class="slot shut">{label}</span> }.into_any(),
    }
}

#[component]
pub fn SlotCalendar(slots: Vec<SlotSummary>, weekly: bool) -> impl IntoView {
    let lang = use_lang();
    if slots.is_empty() {
        return view! { <p>{tr!(lang, no_departures)}</p> }.into_any();
    }
    if !weekly {
        return view! {
            <ul class="sessions">
                {slots
                    .iter()
                    .map(|s| view! { <li>{slot_link(s, format_date(s.starts_at, lang), lang)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any();
    }
    let weeks = calendar_weeks(&slots, slots[0].starts_at.date(), WEEKS_SHOWN);
    let heads = weekday_names(lang)
        .into_iter()
        .map(|h| view! { <th scope="col">{h}</th> })
        .collect_view();
    let rows = weeks
        .into_iter()
        .map(|week| {
            let days = week
                .into_iter()
                .map(|day| {
                    let links = day
                        .slots
                        .iter()
                        .map(|s| slot_link(s, format_time(s.starts_at), lang))
                        .collect_view();
                    view! {
                        <td class:empty=day.slots.is_empty()>
                            <span class="day" title=format_day(day.date, lang)>
                                {day.date.day()}
                            </span>
                            {links}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr>{days}</tr> }
        })
        .collect_view();
    view! {
        <table class="calendar">
            <thead>
                <tr>{heads}</tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
