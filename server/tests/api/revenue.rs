//! Where the money goes, on the real server and both databases: a paid order is split
//! by each cooperative's rule into exact centavos and written to the ledger with its
//! fee; delivery makes the shares available, a tour's once it has begun; refunds
//! take shares back; a sale keeps the rule version it was paid under; made-to-order
//! crafts pay their producer an advance.

// Amounts are written pesos_centavos (`100_00` is $100.00).
#![allow(clippy::inconsistent_digit_grouping)]

use crate::support;
use domain::clock::SiteTime;

use domain::money::Money;
use domain::money::ledger::{Account, AccountKind};
use domain::money::split::{FeeSchedule, Recipient, SplitRule};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use store::entity::order_line;
use support::bookings::{TOUR, book, booking, cancel_booking, confirmed_booking, open_slot, slot};
use support::orders::{
    ADDRESS, BUYER, MADE_TO_ORDER, POT, RUG, add_to_cart, checkout, craft_row, order,
    order_code_and_key, parts, pay_cart_by_card, pickup_order, simulate,
};
use support::{Backend, TestApp, assert_books_balance, browser, spawn_app};

const COOP_ADMIN: &str = "coop@tianguis.demo";

async fn owed(app: &TestApp, kind: AccountKind, owner: i32) -> i64 {
    let account = Account::of(kind, owner);
    account.owed(
        store::money::ledger::balance(&app.db, account)
            .await
            .unwrap(),
    )
}

async fn producer_of(app: &TestApp, slug: &str) -> i32 {
    craft_row(app, slug)
        .await
        .0
        .producer_id
        .expect("the demo craft has its artisan")
}

/// A rug shipped and a pot collected, from two cooperatives, paid by card.
async fn two_cooperatives_paid(app: &TestApp) -> String {
    let visitor = browser();
    add_to_cart(app, &visitor, RUG, "1").await;
    add_to_cart(app, &visitor, POT, "2").await;
    let (rug, _) = craft_row(app, RUG).await;
    let (pot, _) = craft_row(app, POT).await;
    let ship = format!("delivery_{}", rug.cooperative_id);
    let pickup = format!("delivery_{}", pot.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.extend_from_slice(ADDRESS);
    fields.push((&ship, "ship"));
    fields.push((&pickup, "pickup"));
    let (code, key) = order_code_and_key(&checkout(app, &visitor, &fields).await);
    let paid = simulate(app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    code
}

/// `admin` refunds `amount` pesos of part `part` for `reason`, as the order page does.
async fn refund_part(
    app: &TestApp,
    admin: &reqwest::Client,
    part: i32,
    amount: &str,
    reason: &str,
) -> support::Page {
    let refund = format!("/dashboard/orders/parts/{part}/refund");
    app.post_form(admin, &refund, &[("amount", amount), ("reason", reason)])
        .await
}

/// One `slug`, collected at its cooperative, paid by card: the order's code.
async fn collected_and_paid(app: &TestApp, visitor: &reqwest::Client, slug: &str) -> String {
    let (code, key) = pickup_order(app, visitor, slug, "1").await;
    let paid = simulate(app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    code
}

async fn a_paid_order_is_split_to_the_centavo_with_its_fee(backend: Backend) {
    let app = spawn_app(backend).await;
    let code = two_cooperatives_paid(&app).await;
    let o = order(&app, &code).await;
    let receipt = store::money::revenue::receipt(&app.db, o.id)
        .await
        .unwrap()
        .expect("a paid order has its receipt");
    let shipped = parts(&app, &code)
        .await
        .iter()
        .filter(|p| p.shipping_centavos > 0)
        .count();
    assert_eq!(
        receipt.lines.len(),
        2 + shipped,
        "the rug, the pots, any shipping charged"
    );
    for line in &receipt.lines {
        assert_eq!(
            line.split.net.total().checked_add(line.split.fee),
            Some(line.split.total())
        );
    }
    let whole = receipt.total().unwrap();
    assert_eq!(
        whole.total(),
        Money::mxn(o.total_centavos),
        "no centavo lost or made"
    );
    let fee = FeeSchedule::STRIPE_MEXICO.fee(Money::mxn(o.total_centavos));
    assert_eq!(
        whole.fee, fee,
        "the simulated provider charges Stripe's price"
    );
    let rug = receipt
        .lines
        .iter()
        .find(|l| l.title.as_deref().is_some_and(|t| t.contains("Tapete")))
        .expect("the rug's line");
    assert!(rug.producer.is_some(), "the artisan by name");
    assert!(
        rug.cooperative.contains("Tejedoras del Picacho"),
        "{}",
        rug.cooperative
    );
    // The default rule: 80 % to the artisan, who carries no fee.
    let rug_part = parts(&app, &code)
        .await
        .into_iter()
        .find(|p| p.delivery == "ship")
        .unwrap();
    assert_eq!(
        rug.split.net.producer,
        SplitRule::DEFAULT
            .split(Money::mxn(rug_part.goods_centavos))
            .producer
    );
    assert!(
        parts(&app, &code)
            .await
            .iter()
            .all(|p| p.split_rule_id.is_some())
    );

    let provider = store::money::ledger::balance(&app.db, Account::PROVIDER)
        .await
        .unwrap();
    assert_eq!(
        provider,
        o.total_centavos - fee.centavos(),
        "the provider holds the rest"
    );
    let artisan = producer_of(&app, RUG).await;
    assert_eq!(
        owed(&app, AccountKind::ProducerPending, artisan).await,
        rug.split.net.producer.centavos(),
        "pending until delivered"
    );
    assert_eq!(owed(&app, AccountKind::ProducerAvailable, artisan).await, 0);
    assert_books_balance(&app).await;
}

async fn delivery_makes_a_parts_shares_available(backend: Backend) {
    let app = spawn_app(backend).await;
    let code = two_cooperatives_paid(&app).await;
    let part = parts(&app, &code)
        .await
        .into_iter()
        .find(|p| p.delivery == "ship")
        .unwrap();
    let artisan = producer_of(&app, RUG).await;
    let pending = owed(&app, AccountKind::ProducerPending, artisan).await;
    let coop_pending = owed(&app, AccountKind::CooperativePending, part.cooperative_id).await;
    assert!(pending > 0 && coop_pending > 0);

    let admin = app.signed_in(COOP_ADMIN).await;
    let fulfil = format!("/dashboard/orders/parts/{}/fulfil", part.id);
    let shipped = app
        .post_form(
            &admin,
            &fulfil,
            &[
                ("action", "ship"),
                ("carrier", "Estafeta"),
                ("tracking", "EST1MX"),
            ],
        )
        .await;
    assert_eq!(shipped.status, 303, "{}", shipped.body);
    assert_eq!(
        owed(&app, AccountKind::ProducerPending, artisan).await,
        pending,
        "shipped is not yet delivered"
    );
    let delivered = app
        .post_form(&admin, &fulfil, &[("action", "deliver")])
        .await;
    assert_eq!(delivered.status, 303, "{}", delivered.body);
    assert_eq!(owed(&app, AccountKind::ProducerPending, artisan).await, 0);
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, artisan).await,
        pending
    );
    assert_eq!(
        owed(&app, AccountKind::CooperativeAvailable, part.cooperative_id).await,
        coop_pending,
        "the cooperative's share and the shipping it charged"
    );
    let other = parts(&app, &code)
        .await
        .into_iter()
        .find(|p| p.id != part.id)
        .unwrap();
    assert!(
        owed(&app, AccountKind::CooperativePending, other.cooperative_id).await > 0,
        "the other cooperative's part is still pending"
    );
    assert_books_balance(&app).await;
}

async fn a_refund_before_delivery_takes_back_pending_shares(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (code, key) = pickup_order(&app, &visitor, RUG, "1").await;
    simulate(&app, &code, &key, "card_succeeds").await;
    let part = parts(&app, &code).await.remove(0);
    let artisan = producer_of(&app, RUG).await;
    let pending = owed(&app, AccountKind::ProducerPending, artisan).await;
    let provider = store::money::ledger::balance(&app.db, Account::PROVIDER)
        .await
        .unwrap();

    let admin = app.signed_in(COOP_ADMIN).await;
    let some = refund_part(&app, &admin, part.id, "100", "Una esquina manchada").await;
    assert_eq!(some.status, 303, "{}", some.body);
    let back = SplitRule::DEFAULT.split(Money::mxn(100_00));
    assert_eq!(
        owed(&app, AccountKind::ProducerPending, artisan).await,
        pending - back.producer.centavos(),
        "the artisan gives back 80 % of the refund"
    );
    assert_eq!(
        store::money::ledger::balance(&app.db, Account::PROVIDER)
            .await
            .unwrap(),
        provider - 100_00,
        "the money left the provider"
    );
    let rest = Money::mxn(part.goods_centavos - 100_00);
    let pesos = rest.to_string().replace(" MXN", "");
    let all = refund_part(&app, &admin, part.id, &pesos, "Devuelto").await;
    assert_eq!(all.status, 303, "{}", all.body);
    assert_eq!(
        owed(&app, AccountKind::ProducerPending, artisan).await,
        0,
        "a full refund takes back the whole share"
    );
    let o = order(&app, &code).await;
    let fee = FeeSchedule::STRIPE_MEXICO
        .fee(Money::mxn(o.total_centavos))
        .centavos();
    assert_eq!(
        Account::PLATFORM.owed(
            store::money::ledger::balance(&app.db, Account::PLATFORM)
                .await
                .unwrap()
        ),
        -fee,
        "the provider keeps its fee: the platform, which carries it, is out of pocket"
    );
    assert_books_balance(&app).await;
}

async fn a_sale_keeps_the_rule_it_was_paid_under(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let first = collected_and_paid(&app, &visitor, POT).await;
    let (pot, _) = craft_row(&app, POT).await;
    let generous = SplitRule {
        producer_points: 9_000,
        cooperative_points: 500,
        fund_points: 500,
        platform_points: 0,
        fees_carried_by: Recipient::Cooperative,
        advance_points: 0,
    };
    let v2 = store::money::split_rules::set(
        &app.db,
        pot.cooperative_id,
        &generous,
        14,
        None,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    assert_eq!(
        v2.version, 2,
        "the default was written down as version 1 at the first sale"
    );
    let second = collected_and_paid(&app, &visitor, POT).await;
    let rule_of = |parts: Vec<store::entity::order_part::Model>| parts[0].split_rule_id;
    assert_ne!(rule_of(parts(&app, &first).await), Some(v2.id));
    assert_eq!(rule_of(parts(&app, &second).await), Some(v2.id));
    let receipt = |code: String| {
        let app = &app;
        async move {
            let id = order(app, &code).await.id;
            store::money::revenue::receipt(&app.db, id)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let old = receipt(first).await.lines.remove(0).split;
    let new = receipt(second).await.lines.remove(0).split;
    assert_eq!(
        old.net.producer,
        SplitRule::DEFAULT
            .split(Money::mxn(pot.price_from_centavos))
            .producer
    );
    assert_eq!(
        new.net.producer,
        generous.split(Money::mxn(pot.price_from_centavos)).producer
    );
    assert_eq!(
        new.net.platform,
        Money::mxn(0),
        "the cooperative carries the fee now"
    );
    assert_books_balance(&app).await;
}

async fn a_made_to_order_craft_pays_its_artisan_an_advance(backend: Backend) {
    let app = spawn_app(backend).await;
    let (lamp, _) = craft_row(&app, MADE_TO_ORDER).await;
    let half = SplitRule {
        advance_points: 5_000,
        ..SplitRule::DEFAULT
    };
    store::money::split_rules::set(
        &app.db,
        lamp.cooperative_id,
        &half,
        14,
        None,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    collected_and_paid(&app, &browser(), MADE_TO_ORDER).await;
    let artisan = lamp.producer_id.unwrap();
    let share = half
        .split(Money::mxn(lamp.price_from_centavos))
        .producer
        .centavos();
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, artisan).await,
        share / 2
    );
    assert_eq!(
        owed(&app, AccountKind::ProducerPending, artisan).await,
        share - share / 2
    );
    assert_books_balance(&app).await;
}

async fn a_tours_shares_become_available_once_it_has_begun(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let id = open_slot(&app, TOUR).await;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "2")]).await;
    assert_eq!(held.status, 303, "{}", held.body);
    pay_cart_by_card(&app, &visitor).await;
    let guide = support::bookings::guide_of(&app, TOUR).await;
    let pending = owed(&app, AccountKind::ProducerPending, guide).await;
    assert!(pending > 0);
    let starts = slot(&app, id).await.starts_at;
    assert_eq!(
        store::money::revenue::release_due(
            &app.db,
            SiteTime::from_naive(starts - chrono::Duration::minutes(1))
        )
        .await
        .unwrap(),
        0,
        "not before the tour"
    );
    assert_eq!(
        store::money::revenue::release_due(&app.db, SiteTime::from_naive(starts))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store::money::revenue::release_due(&app.db, SiteTime::from_naive(starts))
            .await
            .unwrap(),
        0,
        "once"
    );
    assert_eq!(owed(&app, AccountKind::ProducerPending, guide).await, 0);
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, guide).await,
        pending
    );
    assert_books_balance(&app).await;
}

/// When the order line of booking `code` stopped waiting for the release round.
async fn settled_at(app: &TestApp, code: &str) -> Option<chrono::NaiveDateTime> {
    let booking = booking(app, code).await;
    order_line::Entity::find()
        .filter(order_line::Column::BookingId.eq(booking.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .settled_at
}

/// The lines of one booking that took place and one cancelled: once the tour has
/// begun, the first is released and the second has nothing to release; both stop
/// waiting (`settled_at`, at that round), so no later round reads them again.
async fn a_booking_stops_waiting_for_the_release_round_once_settled(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let (went, _) = confirmed_booking(&app, id, "ana@example.mx", &[("adult", "1")]).await;
    let (called_off, key) = confirmed_booking(&app, id, "luis@example.mx", &[("adult", "1")]).await;
    cancel_booking(&app, &called_off, &key).await;
    assert_eq!(settled_at(&app, &went).await, None);
    assert_eq!(settled_at(&app, &called_off).await, None);
    let starts = slot(&app, id).await.starts_at;
    let round = |at| store::money::revenue::release_due(&app.db, SiteTime::from_naive(at));
    assert_eq!(
        round(starts).await.unwrap(),
        1,
        "the tour that took place, not the cancelled booking"
    );
    assert_eq!(settled_at(&app, &went).await, Some(starts));
    assert_eq!(settled_at(&app, &called_off).await, Some(starts));
    assert_eq!(round(starts + chrono::Duration::hours(1)).await.unwrap(), 0);
    assert_eq!(
        settled_at(&app, &went).await,
        Some(starts),
        "settled once: the first round's time stays"
    );
    assert_books_balance(&app).await;
}

async fn a_cooperative_is_paid_out_passes_it_on_and_a_later_refund_is_clawed_back(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let code = two_cooperatives_paid(&app).await;
    let part = parts(&app, &code)
        .await
        .into_iter()
        .find(|p| p.delivery == "ship")
        .unwrap();
    let coop = part.cooperative_id;
    let artisan = producer_of(&app, RUG).await;
    let spei = store::money::payouts::Manual {
        method: domain::money::payout::PayoutMethod::Spei,
        reference: "SPEI 0042".to_owned(),
        paid_on: app.now.date(),
        actor: None,
    };
    let early = store::money::payouts::record_manual(
        &app.db,
        coop,
        &spei,
        SiteTime::from_naive(app.now.naive()),
    )
    .await;
    assert!(
        matches!(early, Err(store::money::payouts::PayoutError::NothingToPay)),
        "nothing is available before delivery"
    );
    let admin = app.signed_in(COOP_ADMIN).await;
    let fulfil = format!("/dashboard/orders/parts/{}/fulfil", part.id);
    app.post_form(
        &admin,
        &fulfil,
        &[("action", "ship"), ("carrier", "DHL"), ("tracking", "D1")],
    )
    .await;
    app.post_form(&admin, &fulfil, &[("action", "deliver")])
        .await;
    let share = owed(&app, AccountKind::ProducerAvailable, artisan).await;
    let own = owed(&app, AccountKind::CooperativeAvailable, coop).await;

    let (_, paid) = store::money::payouts::record_manual(
        &app.db,
        coop,
        &spei,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    assert_eq!(
        paid,
        Money::mxn(share + own),
        "the members' shares and the cooperative's own"
    );
    assert_eq!(owed(&app, AccountKind::ProducerAvailable, artisan).await, 0);
    assert_eq!(
        owed(&app, AccountKind::ProducerAtCooperative, artisan).await,
        share
    );
    assert_eq!(
        owed(&app, AccountKind::CooperativeHoldsForMembers, coop).await,
        share
    );
    assert!(matches!(
        store::money::payouts::record_manual(
            &app.db,
            coop,
            &spei,
            SiteTime::from_naive(app.now.naive())
        )
        .await,
        Err(store::money::payouts::PayoutError::NothingToPay)
    ));

    let cash = store::money::payouts::Manual {
        method: domain::money::payout::PayoutMethod::Cash,
        reference: "recibo 7".to_owned(),
        ..spei.clone()
    };
    let too_much = store::money::payouts::pay_member(
        &app.db,
        coop,
        artisan,
        Money::mxn(share + 1),
        &cash,
        SiteTime::from_naive(app.now.naive()),
    )
    .await;
    assert!(
        matches!(too_much, Err(store::money::payouts::PayoutError::MoreThanHeld(m)) if m == Money::mxn(share))
    );
    // Eight admins record the same payment at once: one is recorded, the others are
    // told nothing more is held.
    let at = SiteTime::from_naive(app.now.naive());
    let tries: Vec<_> = (0..8)
        .map(|_| {
            let (db, cash) = (app.db.clone(), cash.clone());
            tokio::spawn(async move {
                store::money::payouts::pay_member(&db, coop, artisan, Money::mxn(share), &cash, at)
                    .await
            })
        })
        .collect();
    let mut recorded = 0;
    for task in tries {
        match task.await.unwrap() {
            Ok(_) => recorded += 1,
            Err(store::money::payouts::PayoutError::MoreThanHeld(_)) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(recorded, 1, "paid once");
    assert_eq!(
        owed(&app, AccountKind::ProducerAtCooperative, artisan).await,
        0
    );
    assert_eq!(
        owed(&app, AccountKind::CooperativeHoldsForMembers, coop).await,
        0
    );

    let back = refund_part(&app, &admin, part.id, "100", "Llegó dañado").await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(
        owed(&app, AccountKind::ProducerAvailable, artisan).await,
        -SplitRule::DEFAULT
            .split(Money::mxn(100_00))
            .producer
            .centavos(),
        "after the payout, a refund leaves a balance the next payout nets"
    );
    assert_books_balance(&app).await;
}

on_both_backends!(
    a_paid_order_is_split_to_the_centavo_with_its_fee,
    delivery_makes_a_parts_shares_available,
    a_refund_before_delivery_takes_back_pending_shares,
    a_sale_keeps_the_rule_it_was_paid_under,
    a_made_to_order_craft_pays_its_artisan_an_advance,
    a_tours_shares_become_available_once_it_has_begun,
    a_booking_stops_waiting_for_the_release_round_once_settled,
    a_cooperative_is_paid_out_passes_it_on_and_a_later_refund_is_clawed_back,
);
