//! `/dashboard/listings/{id}/schedule`: how a tour or event takes bookings — places
//! per date, party size, when bookings close, how far ahead, the cancellation
//! policy, what to bring — and when it runs: every week on some days at some times,
//! extra dates (an event's sessions), closed days. Saving makes the dates again; a
//! date somebody booked stays until it is called off from its manifest.

use crate::components::calendar::state_label;
use crate::components::load::after_loading;
use crate::components::text::plain;
use crate::error::PageError;
use crate::forms::{Choice, Field, FormProblem, Input};
use crate::lang::use_lang;
use crate::pages::visit::slot::policy_sentence;
use crate::tr;
use domain::Lang;
use domain::booking::CancellationPolicy;
use domain::booking::schedule::OpeningRule;
use domain::booking::schedule_form::BookingRulesFields;
use domain::booking::slot::ScheduleView;
use domain::dates::{format_date, format_day, weekday_names};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn load_schedule(id: i32) -> Result<ScheduleView, PageError> {
    use crate::error::ssr::{db, denied, signed_in};
    let viewer = signed_in()?;
    let view = store::booking::schedules::view(&db()?, id, domain::clock::now().on_site())
        .await
        .map_err(PageError::internal)?
        .ok_or(PageError::NotFound)?;
    if !viewer.runs_slots_of(view.producer_id, view.cooperative_id) {
        return Err(denied(PageError::Forbidden));
    }
    Ok(view)
}

#[component]
pub fn SchedulePage() -> impl IntoView {
    let id = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or_default()
    });
    let done = use_query_map().with_untracked(|q| q.get("done").unwrap_or_default());
    after_loading(load_schedule(id), move |v| schedule_view(v, done))
}

fn rule_label(rule: &OpeningRule, lang: Lang) -> String {
    match rule {
        OpeningRule::Weekly { weekday, starts } => {
            let day = weekday_names(lang)[(*weekday as usize).clamp(1, 7) - 1];
            tr!(
                lang,
                rule_weekly,
                day = day,
                time = starts.format("%H:%M").to_string()
            )
        }
        OpeningRule::Extra { at } => tr!(lang, rule_extra, when = format_date(*at, lang)),
        OpeningRule::Closed { on } => tr!(lang, rule_closed, day = format_day(*on, lang)),
    }
}

fn schedule_view(v: ScheduleView, done: String) -> impl IntoView {
    let lang = use_lang();
    let id = v.listing_id;
    let title = plain(&v.title, lang);
    let fields = BookingRulesFields::of(&v.rules);
    let notice = match done.as_str() {
        "rules" => Some(tr!(lang, schedule_saved)),
        "added" | "removed" => Some(tr!(lang, schedule_remade)),
        _ => None,
    }
    .map(|n| view! { <p class="notice" role="status">{n}</p> });
    let opening = v
        .opening
        .iter()
        .map(|(rule_id, rule)| {
            view! {
                <li>
                    {rule_label(rule, lang)}
                    " "
                    <form method="post" action=format!("/dashboard/listings/{id}/schedule/{rule_id}/remove") class="inline">
                        <button type="submit" class="secondary small">{tr!(lang, remove)}</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    let policies = [
        CancellationPolicy::Flexible,
        CancellationPolicy::Moderate,
        CancellationPolicy::Strict,
    ]
    .into_iter()
    .map(|p| (p.code().to_owned(), policy_sentence(p, lang)))
    .collect::<Vec<_>>();
    let weekdays = weekday_names(lang)
        .iter()
        .enumerate()
        .map(|(i, d)| ((i + 1).to_string(), (*d).to_owned()))
        .collect::<Vec<_>>();
    let kinds = vec![
        ("weekly".to_owned(), tr!(lang, rule_kind_weekly)),
        ("extra".to_owned(), tr!(lang, rule_kind_extra)),
        ("closed".to_owned(), tr!(lang, rule_kind_closed)),
    ];
    let echo = crate::forms::use_form_echo();
    let ticket_limits = v
        .tickets
        .iter()
        .map(|t| {
            let field = format!("limit_{}", t.code);
            let typed = echo
                .typed(&field)
                .map(str::to_owned)
                .or_else(|| t.limit_per_slot.map(|n| n.to_string()))
                .unwrap_or_default();
            let error = echo.error_of(&field).map(|e| e.message(lang));
            let invalid = error.is_some();
            view! {
                <div class="field ticket-count" class:field-invalid=invalid>
                    <label for=field.clone()>
                        {tr!(lang, ticket_limit_label, ticket = crate::pages::visit::listing::ticket_label(&t.code, lang))}
                    </label>
                    {error.map(|e| view! { <p class="field-error">{e}</p> })}
                    <input id=field.clone() name=field type="number" min="0" inputmode="numeric" value=typed />
                </div>
            }
        })
        .collect_view();
    let slots = v
        .slots
        .iter()
        .map(|s| {
            view! {
                <li>
                    <a href=format!("/dashboard/slots/{}", s.id)>{format_date(s.starts_at, lang)}</a>
                    " · "
                    {state_label(s, lang)}
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=format!("{} — {title} — Tianguis", tr!(lang, schedule_title)) />
        <Meta name="robots" content="noindex" />
        <section class="schedule">
            <nav class="crumbs" aria-label=tr!(lang, crumbs_label)>
                <a href="/dashboard/slots">{tr!(lang, my_slots_title)}</a>
            </nav>
            <h1>{tr!(lang, schedule_title)} ": " {title.clone()}</h1>
            {notice}
            <section>
                <h2>{tr!(lang, booking_rules_title)}</h2>
                <form method="post" action=format!("/dashboard/listings/{id}/booking-rules") class="stacked">
                    <FormProblem />
                    <Field name="capacity" label=tr!(lang, field_capacity) input=Input::Number value=fields.capacity />
                    <Field name="min_party" label=tr!(lang, field_min_party) input=Input::Number value=fields.min_party />
                    <Field name="max_party" label=tr!(lang, field_max_party) input=Input::Number value=fields.max_party />
                    <Field name="cutoff_hours" label=tr!(lang, field_cutoff_hours) input=Input::Number value=fields.cutoff_hours />
                    <Field name="horizon_days" label=tr!(lang, field_horizon_days) input=Input::Number value=fields.horizon_days />
                    <Choice name="policy" label=tr!(lang, cancellation) options=policies value=fields.policy />
                    <Field name="bring_es" label=tr!(lang, field_bring_es) input=Input::LongText value=fields.bring_es required=false text_lang="es" />
                    <Field name="bring_en" label=tr!(lang, field_bring_en) input=Input::LongText value=fields.bring_en required=false text_lang="en" />
                    <button type="submit">{tr!(lang, save_booking_rules)}</button>
                </form>
            </section>
            <section>
                <h2>{tr!(lang, ticket_limits_title)}</h2>
                <form method="post" action=format!("/dashboard/listings/{id}/ticket-limits") class="stacked">
                    {ticket_limits}
                    <button type="submit">{tr!(lang, save_ticket_limits)}</button>
                </form>
            </section>
            <section>
                <h2>{tr!(lang, opening_title)}</h2>
                {if v.opening.is_empty() {
                    view! { <p>{tr!(lang, no_opening_rules)}</p> }.into_any()
                } else {
                    view! { <ul class="opening-rules">{opening}</ul> }.into_any()
                }}
                <form method="post" action=format!("/dashboard/listings/{id}/schedule") class="stacked">
                    <Choice name="kind" label=tr!(lang, field_rule_kind) options=kinds />
                    <Choice name="weekday" label=tr!(lang, field_weekday) options=weekdays />
                    <Field name="date" label=tr!(lang, field_rule_date) hint=tr!(lang, field_rule_date_hint) required=false />
                    <Field name="time" label=tr!(lang, field_rule_time) hint=tr!(lang, field_rule_time_hint) required=false />
                    <button type="submit">{tr!(lang, add_opening_rule)}</button>
                </form>
            </section>
            <section>
                <h2>{tr!(lang, coming_slots_title)}</h2>
                <ul class="slot-list">{slots}</ul>
            </section>
        </section>
    }
}
