//! A guide's schedule over HTTP: booking rules and opening rules make the dates a
//! tour is sold on; calendar feeds put them on a phone.

use crate::support;

use chrono::{Datelike, NaiveTime, Timelike};
use support::bookings::{GUIDE, TOUR, confirmed_booking, listing_id, open_slot, slots_after};
use support::{Backend, spawn_app};

async fn a_guide_sets_weekly_times_and_the_dates_follow(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = listing_id(&app, TOUR).await;
    let guide = app.signed_in(GUIDE).await;
    let page = format!("/dashboard/listings/{id}/schedule");
    assert_eq!(app.get_with(&guide, &page, &[]).await.status, 200);

    let bad = app
        .post_form(
            &guide,
            &page,
            &[("kind", "weekly"), ("weekday", "9"), ("time", "10")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.has("field-error"), "{}", bad.body);

    let rules = app
        .post_form(
            &guide,
            &format!("/dashboard/listings/{id}/booking-rules"),
            &[
                ("capacity", "6"),
                ("min_party", "1"),
                ("max_party", "4"),
                ("cutoff_hours", "24"),
                ("horizon_days", "30"),
                ("policy", "strict"),
                ("bring_es", "Sombrero"),
            ],
        )
        .await;
    assert_eq!(rules.status, 303, "{}", rules.body);
    let added = app
        .post_form(
            &guide,
            &page,
            &[("kind", "weekly"), ("weekday", "1"), ("time", "15:00")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let three_pm = |s: &store::entity::tour_slot::Model| {
        s.starts_at.time() == NaiveTime::from_hms_opt(15, 0, 0).unwrap()
    };
    let mondays: Vec<_> = slots_after(&app, TOUR, 0)
        .await
        .into_iter()
        .filter(three_pm)
        .collect();
    assert!(
        (4..=5).contains(&mondays.len()),
        "a month of Mondays: {}",
        mondays.len()
    );
    assert!(
        mondays
            .iter()
            .all(|s| s.starts_at.weekday() == chrono::Weekday::Mon && s.capacity == 6)
    );
    let shown = app.get_with(&guide, &page, &[]).await;
    assert!(shown.has("Cada lun a las 15:00"));

    // A closed day takes that Monday away.
    let first = mondays[0].starts_at.date().format("%Y-%m-%d").to_string();
    app.post_form(&guide, &page, &[("kind", "closed"), ("date", &first)])
        .await;
    let after: Vec<_> = slots_after(&app, TOUR, 0)
        .await
        .into_iter()
        .filter(three_pm)
        .collect();
    assert_eq!(after.len(), mondays.len() - 1);
    assert!(
        after
            .iter()
            .all(|s| s.starts_at.date() != mondays[0].starts_at.date())
    );

    // Removing the weekly rule removes its dates, but a booked one stays.
    let booked = after[0].id;
    confirmed_booking(&app, booked, "ana@example.mx", &[("adult", "1")]).await;
    let rule = store::booking::schedules::rules(&app.db, id)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, r)| matches!(r, domain::booking::schedule::OpeningRule::Weekly { starts, .. } if starts.hour() == 15))
        .unwrap()
        .0;
    let removed = app
        .post_form(&guide, &format!("{page}/{rule}/remove"), &[])
        .await;
    assert_eq!(removed.status, 303);
    let left: Vec<_> = slots_after(&app, TOUR, 0)
        .await
        .into_iter()
        .filter(three_pm)
        .collect();
    assert_eq!(left.iter().map(|s| s.id).collect::<Vec<_>>(), [booked]);
}

async fn the_calendar_feeds_list_coming_dates_with_who_booked(backend: Backend) {
    let app = spawn_app(backend).await;
    let slot = open_slot(&app, TOUR).await;
    let (code, _) = confirmed_booking(&app, slot, "ana@example.mx", &[("adult", "2")]).await;
    let guide = app.signed_in(GUIDE).await;
    let mine = app.get_with(&guide, "/dashboard/slots", &[]).await;
    assert_eq!(mine.status, 200);
    assert!(mine.has(&format!("/dashboard/slots/{slot}")));
    let feeds: Vec<String> = mine
        .body
        .split("href=\"http://tianguis.test/calendar/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    assert!(
        feeds.len() >= 2,
        "the guide's feed and each tour's: {feeds:?}"
    );
    for feed in &feeds {
        let res = app.get(&format!("/calendar/{feed}")).await;
        assert_eq!(res.status, 200);
        assert!(
            res.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        assert!(res.has("BEGIN:VEVENT"));
    }
    let mut found = false;
    for feed in &feeds {
        let page = app.get(&format!("/calendar/{feed}")).await;
        found |= page
            .body
            .replace("\r\n ", "")
            .contains(&format!("Ana López ({code}): 2"));
    }
    assert!(found, "a feed lists the party");
    assert_eq!(app.get("/calendar/no-such-secret.ics").await.status, 404);
}

/// The feed files (`{secret}.ics`) on `who`'s "my slots" page.
async fn feeds_on(app: &support::TestApp, who: &reqwest::Client) -> Vec<String> {
    let mine = app.get_with(who, "/dashboard/slots", &[]).await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    let mut feeds: Vec<String> = mine
        .body
        .split("href=\"http://tianguis.test/calendar/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect();
    feeds.dedup();
    feeds
}

async fn feeds_get_new_addresses_on_demand_and_stop_for_a_guide_who_leaves(backend: Backend) {
    let app = spawn_app(backend).await;
    let guide = app.signed_in(GUIDE).await;
    let before = feeds_on(&app, &guide).await;
    assert!(
        before.len() >= 2,
        "the guide's feed and each tour's: {before:?}"
    );
    let renewed = app
        .post_form(&guide, "/dashboard/calendar/new-addresses", &[])
        .await;
    assert_eq!(renewed.status, 303, "{}", renewed.body);
    assert_eq!(renewed.location(), "/dashboard/slots?done=new-addresses");
    for old in &before {
        let res = app.get(&format!("/calendar/{old}")).await;
        assert_eq!(res.status, 404, "the old address {old} stopped");
    }
    let after = feeds_on(&app, &guide).await;
    assert_eq!(after.len(), before.len());
    for feed in &after {
        assert!(!before.contains(feed));
        assert_eq!(app.get(&format!("/calendar/{feed}")).await.status, 200);
    }
    let visitor = app.signed_in("visita@tianguis.demo").await;
    let nothing = app
        .post_form(&visitor, "/dashboard/calendar/new-addresses", &[])
        .await;
    assert_eq!(nothing.status, 403, "a visitor runs no feeds");

    // Removed from the cooperative, the guide's addresses all stop.
    let admin = app.signed_in("coop2@tianguis.demo").await;
    let members = app
        .get_with(&admin, "/coop/telar-de-grana/members", &[])
        .await;
    let item = members
        .body
        .split("<li ")
        .find(|li| li.contains("data-email=\"guia@tianguis.demo\""))
        .unwrap_or_else(|| panic!("the guide is a member:\n{}", members.body));
    let start = item.find("/members/").unwrap() + "/members/".len();
    let membership = item[start..].split('/').next().unwrap();
    let removed = app
        .post_form(
            &admin,
            &format!("/coop/telar-de-grana/members/{membership}/remove"),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    for feed in &after {
        let res = app.get(&format!("/calendar/{feed}")).await;
        assert_eq!(res.status, 404, "{feed} stopped with the membership");
    }
}

on_both_backends!(
    a_guide_sets_weekly_times_and_the_dates_follow,
    the_calendar_feeds_list_coming_dates_with_who_booked,
    feeds_get_new_addresses_on_demand_and_stop_for_a_guide_who_leaves,
);
