//! Fuzzing every form parser of `domain` (issue 20, point 7): whatever a person or a
//! script types (any Unicode, control characters, huge numbers, half dates, 12,000
//! characters) a parser answers with a value or its problems, and never panics.
//! `make test` runs a short round (`PROPTEST_CASES`, 256 by default per property);
//! a longer one is `PROPTEST_CASES=100000 cargo test -p domain --test form_fuzz`.

use chrono::{NaiveDate, NaiveDateTime};
use domain::booking::schedule_form::{BookingRulesFields, OpeningRuleFields};
use domain::catalog::listing_form::ListingFields;
use domain::catalog::{ListingKind, TicketType};
use domain::commerce::order::Delivery;
use domain::commerce::shipping::ShippingFields;
use domain::money::Currency;
use domain::money::finance_forms::SplitRuleFields;
use domain::people::members::{CoopProfileFields, HelperFields, InvitationFields};
use domain::people::platform::{AppointFields, CommunityFields, CooperativeFields};
use domain::people::producer_profile::ProducerProfileFields;
use domain::{Money, booking::PartyLimits};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// What a field may hold: anything, number-like and date-like text, or a lot of it.
fn text() -> impl Strategy<Value = String> {
    let number_like = prop::collection::vec(
        prop::sample::select(vec![
            '0', '1', '5', '9', '-', '+', '.', ',', 'e', 'E', ' ', '$', 'T', ':', '/', '\u{0}',
            '\n', '\t', 'ñ', '٣', '１', '\u{202e}', '%',
        ]),
        0..40,
    )
    .prop_map(|c| c.into_iter().collect::<String>());
    prop_oneof![
        4 => any::<String>(),
        4 => number_like,
        1 => (0usize..12_000).prop_map(|n| "9".repeat(n)),
        1 => (0usize..12_000).prop_map(|n| "á".repeat(n)),
    ]
}

/// A form's fields: `names` with random values, and some random names besides.
fn fields(names: &'static [&'static str]) -> impl Strategy<Value = BTreeMap<String, String>> {
    (
        prop::collection::vec(text(), names.len()),
        prop::collection::btree_map(any::<String>(), text(), 0..4),
    )
        .prop_map(move |(values, extra)| {
            let mut map: BTreeMap<String, String> = extra;
            for (name, value) in names.iter().zip(values) {
                map.insert((*name).to_owned(), value);
            }
            map
        })
}

fn tickets() -> Vec<TicketType> {
    vec![
        TicketType {
            code: "adult".into(),
            price: Money::mxn(60_000),
            limit_per_slot: None,
        },
        TicketType {
            code: "child".into(),
            price: Money::mxn(30_000),
            limit_per_slot: Some(4),
        },
    ]
}

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 6)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

proptest! {
    #[test]
    fn text_newtypes_parse_anything_without_panicking(s in text()) {
        let _ = domain::Email::parse(&s);
        let _ = domain::people::account::NewPassword::parse(&s);
        let _ = domain::people::account::PersonName::parse(&s);
        let _ = domain::slug::Slug::parse(&s);
        let _ = domain::slug::Slug::from_name(&s);
        let _ = domain::booking::code::BookingCode::parse(&s);
        let _ = domain::commerce::order::OrderCode::parse(&s);
        let _ = domain::Lang::parse(&s);
        let _ = domain::Lang::negotiate(&s);
        let _ = domain::search::terms(&s);
        let _ = domain::search::fold(&s);
        let _ = domain::people::return_path::local_path(&s);
        let _ = Money::parse_pesos(&s, Currency::Mxn);
        let _ = domain::money::finance_forms::parse_amount(&s);
        let _ = domain::money::finance_forms::parse_percent(&s);
    }

    #[test]
    fn the_listing_form_parses_anything_for_every_kind(v in prop::collection::vec(text(), 27)) {
        let f = ListingFields {
            category: v[0].clone(),
            title_es: v[1].clone(),
            title_en: v[2].clone(),
            summary_es: v[3].clone(),
            summary_en: v[4].clone(),
            description_es: v[5].clone(),
            description_en: v[6].clone(),
            price: v[7].clone(),
            stock: v[8].clone(),
            materials_es: v[9].clone(),
            materials_en: v[10].clone(),
            technique_es: v[11].clone(),
            technique_en: v[12].clone(),
            duration_minutes: v[13].clone(),
            meeting_point_es: v[14].clone(),
            meeting_point_en: v[15].clone(),
            languages: v[16].clone(),
            max_group_size: v[17].clone(),
            starts_at: v[18].clone(),
            ends_at: v[19].clone(),
            venue_es: v[20].clone(),
            venue_en: v[21].clone(),
            width_cm: v[22].clone(),
            height_cm: v[23].clone(),
            depth_cm: v[24].clone(),
            made_to_order: v[25].clone(),
            lead_days: v[26].clone(),
        };
        for kind in [ListingKind::Craft, ListingKind::Tour, ListingKind::Event] {
            let _ = f.parse(kind);
        }
    }

    #[test]
    fn booking_checkout_and_catalog_forms_parse_anything(
        party in fields(&["name", "email", "count_adult", "count_child", "count_resident"]),
        checkout in fields(&["name", "email", "phone", "street", "city", "state", "postal_code", "notes", "delivery_1", "delivery_2"]),
        filter in fields(&["q", "category", "community", "min", "max", "sort", "page", "from", "to", "state", "lang"]),
        left in 0u32..1000,
        min in 0u32..50,
        max in 0u32..50,
    ) {
        let _ = domain::booking::form::parse_party(
            &party,
            &tickets(),
            PartyLimits { min, max },
            left,
            &[("child".to_owned(), left / 2)],
        );
        let _ = domain::commerce::checkout_form::parse_checkout(
            &checkout,
            &[(1, vec![Delivery::Ship, Delivery::Pickup]), (2, vec![Delivery::Pickup])],
        );
        for kind in [ListingKind::Craft, ListingKind::Tour, ListingKind::Event] {
            let _ = domain::CatalogFilter::parse(
                kind,
                filter.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            );
        }
        let _ = domain::booking::schedule_form::parse_ticket_limits(
            &filter.iter().map(|(k, v)| (format!("limit_{k}"), v.clone())).chain(party.clone()).collect(),
            &tickets(),
        );
    }

    #[test]
    fn money_forms_parse_anything(
        fund in fields(&["title_es", "title_en", "description_es", "description_en", "amount", "days", "spend_amount", "spend_note", "spend_on"]),
        v in prop::collection::vec(text(), 14),
        platform_points in 0u32..20_000,
    ) {
        let _ = domain::money::fund::parse_proposal(&fund, now());
        let _ = domain::money::fund::parse_spending(&fund, now().date());
        let _ = domain::money::finance_forms::parse_manual(&v[0], &v[1], &v[2], now().date());
        let split = SplitRuleFields {
            producer: v[3].clone(),
            cooperative: v[4].clone(),
            fund: v[5].clone(),
            advance: v[6].clone(),
            fees_carried_by: v[7].clone(),
            release_days: v[8].clone(),
        };
        let _ = split.parse(platform_points);
        let _ = domain::money::finances::StatementFilter::parse(&v[9], &v[10], &v[11], &v[12]);
        let shipping = ShippingFields {
            ships: v[13].len() % 2 == 0,
            flat: v[9].clone(),
            per_item: v[10].clone(),
            free_above: v[11].clone(),
            pickup: v[13].len() % 3 == 0,
        };
        let _ = shipping.parse();
    }

    #[test]
    fn schedule_people_and_platform_forms_parse_anything(v in prop::collection::vec(text(), 24)) {
        let rules = BookingRulesFields {
            capacity: v[0].clone(),
            min_party: v[1].clone(),
            max_party: v[2].clone(),
            cutoff_hours: v[3].clone(),
            horizon_days: v[4].clone(),
            policy: v[5].clone(),
            bring_es: v[6].clone(),
            bring_en: v[7].clone(),
        };
        let _ = rules.parse();
        let opening = OpeningRuleFields {
            kind: v[8].clone(),
            weekday: v[9].clone(),
            date: v[10].clone(),
            time: v[11].clone(),
        };
        let _ = opening.parse();
        let _ = InvitationFields { email: v[12].clone(), role: v[13].clone(), email_lang: v[14].clone() }.parse();
        let _ = HelperFields { helper_email: v[15].clone(), producer: v[16].clone() }.parse();
        let _ = CoopProfileFields {
            name: v[17].clone(),
            story_es: v[18].clone(),
            story_en: v[19].clone(),
            contact_email: v[20].clone(),
            contact_phone: v[21].clone(),
            year_founded: v[22].clone(),
        }
        .parse(2026);
        let _ = ProducerProfileFields {
            name: v[0].clone(),
            specialty_es: v[1].clone(),
            specialty_en: v[2].clone(),
            bio_es: v[3].clone(),
            bio_en: v[4].clone(),
        }
        .parse();
        let _ = CommunityFields {
            name: v[5].clone(),
            municipality: v[6].clone(),
            state: v[7].clone(),
            languages: v[8].clone(),
            description_es: v[9].clone(),
            description_en: v[10].clone(),
        }
        .parse();
        let _ = CooperativeFields { coop_name: v[11].clone(), community: v[12].clone(), admin_email: v[23].clone() }.parse();
        let _ = AppointFields { appoint_cooperative: v[13].clone(), appoint_email: v[14].clone() }.parse();
    }
}
