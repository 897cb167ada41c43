//! Checkout and payment against Stripe (its fake, `fake-stripe`, which the real
//! async-stripe client talks to through `STRIPE_API_BASE`): card success, card
//! decline then retry, OXXO paid, OXXO expired (stock and places back), refunds, the
//! fee booked being the one Stripe kept (even when its balance transaction comes
//! late); and the webhook endpoint: forged and stale signatures, ten deliveries of one event,
//! events out of order.

use crate::support;

use domain::Money;
use domain::money::split::FeeSchedule;
use fake_stripe::{FOREIGN_CARD, FakeStripe, sign};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use store::entity::payment_event;
use support::bookings::{
    TOUR, book, booking, cancel_booking, code_and_key, open_slot, slot, tour_and_pot_ordered,
};
use support::orders::{
    BUYER, POT, RUG, add_to_cart, checkout, craft_row, moves, order, order_code_and_key,
    payment_of, pickup_order, refunds_of, stock_of,
};
use support::stripe::{WEBHOOK_SECRET, eventually, spawn_stripe_app};
use support::{Backend, TestApp, browser};

/// A guest's order of one rug collected at its cooperative: its code and secret.
async fn rug_order(app: &TestApp) -> (String, String) {
    pickup_order(app, &browser(), RUG, "1").await
}

async fn intent_of(app: &TestApp, code: &str) -> String {
    payment_of(app, code)
        .await
        .provider_ref
        .expect("checkout made the PaymentIntent")
}

async fn status_becomes(app: &TestApp, code: &str, status: &str) {
    eventually(&format!("order {code} {status}"), || async {
        order(app, code).await.status == status
    })
    .await;
}

/// The fee on order `code`'s receipt (which the ledger's sale entry makes).
async fn fee_booked(app: &TestApp, code: &str) -> Money {
    let o = order(app, code).await;
    let receipt = store::money::revenue::receipt(&app.db, o.id)
        .await
        .unwrap()
        .expect("a paid order has its receipt");
    receipt.total().expect("one currency").fee
}

/// How many times order `code` and its parts moved to paid.
async fn times_paid(app: &TestApp, code: &str) -> usize {
    moves(app, code)
        .await
        .iter()
        .filter(|m| *m == "pay:paid")
        .count()
}

async fn events_recorded(app: &TestApp, kind: &str) -> u64 {
    payment_event::Entity::find()
        .filter(payment_event::Column::Kind.eq(kind))
        .count(&app.db)
        .await
        .unwrap()
}

async fn a_card_payment_is_made_once_and_marked_paid_by_the_webhook(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, key) = rug_order(&app).await;
    let o = order(&app, &code).await;
    let pi = intent_of(&app, &code).await;
    let intent = fake.intent(&pi).unwrap();
    assert_eq!(intent.amount, o.total_centavos);
    assert_eq!(intent.currency.to_string(), "mxn");
    assert_eq!(
        intent.transfer_group.as_deref(),
        Some(code.as_str()),
        "tagged for the transfers"
    );
    let created: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/payment_intents")
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(
        created[0].idempotency_key.as_deref(),
        Some(format!("tianguis-order-{code}").as_str()),
        "the key is our own record's"
    );
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(
        page.has("data-secret=\"") && page.has("js.stripe.com"),
        "Stripe.js takes the card"
    );

    // Coming back from Stripe does not pay it: only Stripe's word does.
    assert_eq!(order(&app, &code).await.status, "awaiting_payment");
    assert_eq!(fake.pay_by_card(&pi, "pm_card_visa").await, 200);
    status_becomes(&app, &code, "paid").await;
    assert_eq!(
        events_recorded(&app, "payment_intent.succeeded").await,
        1,
        "the event is recorded by its id"
    );
    let checked = app
        .post_form(&browser(), &format!("/orders/{code}/check"), &[("k", &key)])
        .await;
    assert_eq!(checked.status, 303, "checking a paid order changes nothing");
    assert_eq!(
        times_paid(&app, &code).await,
        2,
        "the order and its one part, once each"
    );
}

async fn the_fee_booked_is_the_one_stripe_kept_not_the_published_price(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, _) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    // A card from abroad: Stripe keeps more than its price for Mexican cards.
    assert_eq!(fake.pay_by_card(&pi, FOREIGN_CARD).await, 200);
    status_becomes(&app, &code, "paid").await;
    let kept = fake.balance_transaction(&pi).expect("made with the charge");
    let total = Money::mxn(order(&app, &code).await.total_centavos);
    assert_ne!(
        Money::mxn(kept.fee),
        FeeSchedule::STRIPE_MEXICO.fee(total),
        "the test tells Stripe's fee from the estimate"
    );
    assert_eq!(fee_booked(&app, &code).await, Money::mxn(kept.fee));
    assert_eq!(
        kept.fee_details.iter().map(|f| f.amount).sum::<i64>(),
        kept.fee,
        "Stripe's fee and its IVA"
    );
}

async fn a_fee_stripe_says_late_is_waited_for_before_the_order_is_paid(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    fake.delay_balance_transactions(true);
    let (code, key) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    assert_eq!(fake.pay_by_card(&pi, "pm_card_visa").await, 200);
    eventually("the success is recorded", || async {
        events_recorded(&app, "payment_intent.succeeded").await == 1
    })
    .await;
    assert_eq!(
        order(&app, &code).await.status,
        "awaiting_payment",
        "not paid before Stripe says what it kept"
    );
    let checked = app
        .post_form(&browser(), &format!("/orders/{code}/check"), &[("k", &key)])
        .await;
    assert_eq!(checked.status, 303, "{}", checked.body);
    assert_eq!(order(&app, &code).await.status, "awaiting_payment");
    assert!(
        fake.balance_transaction(&pi).is_none(),
        "Stripe has not made it yet"
    );
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(
        page.has("lo está confirmando") && !page.has("data-secret=\""),
        "the buyer is told to wait, not asked for a card again"
    );

    assert_eq!(fake.make_balance_transactions().await, 1);
    status_becomes(&app, &code, "paid").await;
    assert_eq!(events_recorded(&app, "charge.updated").await, 1);
    let kept = fake.balance_transaction(&pi).expect("made now");
    assert_eq!(fee_booked(&app, &code).await, Money::mxn(kept.fee));
    assert_eq!(
        times_paid(&app, &code).await,
        2,
        "paid once: the order and its one part"
    );
}

async fn a_declined_card_can_be_tried_again_on_the_same_payment(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, key) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    assert_eq!(fake.pay_by_card(&pi, "pm_card_chargeDeclined").await, 402);
    eventually("the decline is recorded", || async {
        payment_of(&app, &code).await.last_error.is_some()
    })
    .await;
    assert_eq!(order(&app, &code).await.status, "awaiting_payment");
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(page.has("rechazó la tarjeta"));
    assert_eq!(fake.pay_by_card(&pi, "pm_card_visa").await, 200);
    status_becomes(&app, &code, "paid").await;
    assert_eq!(
        fake.intents().len(),
        1,
        "one PaymentIntent: nothing charged twice"
    );
}

async fn an_oxxo_voucher_is_issued_and_paid_at_the_store(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, key) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    let before = order(&app, &code).await.pay_by;
    let chose = app
        .post_form(&browser(), &format!("/orders/{code}/oxxo"), &[("k", &key)])
        .await;
    assert_eq!(chose.status, 303, "{}", chose.body);
    let pay = payment_of(&app, &code).await;
    let number = pay.voucher_number.clone().expect("the voucher's number");
    let intent = fake.intent(&pi).unwrap();
    let shown = intent.next_action.unwrap().oxxo_display_details.unwrap();
    assert_eq!(shown.number.as_deref(), Some(number.as_str()));
    assert!(
        order(&app, &code).await.pay_by > before,
        "held until the voucher expires"
    );
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(page.has(&number) && page.has("OXXO"));
    assert!(fake.pay_voucher(&pi).await);
    status_becomes(&app, &code, "paid").await;
    let kept = fake.balance_transaction(&pi).expect("made with the charge");
    assert_eq!(fee_booked(&app, &code).await, Money::mxn(kept.fee));
}

async fn a_booking_cancelled_before_the_card_pays_lowers_the_payment_intent(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let ((booking_code, booking_key), (code, _)) = tour_and_pot_ordered(&app, &browser()).await;
    let pi = intent_of(&app, &code).await;
    let asked = fake.intent(&pi).unwrap().amount;
    let tour = booking(&app, &booking_code).await.total_centavos;
    cancel_booking(&app, &booking_code, &booking_key).await;
    assert_eq!(
        fake.intent(&pi).unwrap().amount,
        asked - tour,
        "Stripe is asked for the pot alone"
    );
    assert_eq!(payment_of(&app, &code).await.amount_centavos, asked - tour);
    assert_eq!(fake.pay_by_card(&pi, "pm_card_visa").await, 200);
    status_becomes(&app, &code, "paid").await;
    assert!(refunds_of(&app, &code).await.is_empty());
}

async fn a_voucher_printed_before_a_booking_was_cancelled_is_paid_and_the_difference_owed(
    backend: Backend,
) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let ((booking_code, booking_key), (code, key)) = tour_and_pot_ordered(&app, &browser()).await;
    let pi = intent_of(&app, &code).await;
    let asked = fake.intent(&pi).unwrap().amount;
    let chose = app
        .post_form(&browser(), &format!("/orders/{code}/oxxo"), &[("k", &key)])
        .await;
    assert_eq!(chose.status, 303, "{}", chose.body);
    let tour = booking(&app, &booking_code).await.total_centavos;
    cancel_booking(&app, &booking_code, &booking_key).await;
    assert_eq!(
        fake.intent(&pi).unwrap().amount,
        asked,
        "a printed voucher keeps its sum"
    );
    assert_eq!(order(&app, &code).await.total_centavos, asked - tour);
    assert!(fake.pay_voucher(&pi).await);
    status_becomes(&app, &code, "paid").await;
    eventually("the difference is owed back", || async {
        refunds_of(&app, &code)
            .await
            .iter()
            .any(|r| r.for_withdrawn && r.amount_centavos == tour && r.status == "owed")
    })
    .await;
}

async fn an_expired_oxxo_voucher_cancels_the_payment_and_gives_everything_back(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let visitor = browser();
    let stock = stock_of(&app, POT).await;
    add_to_cart(&app, &visitor, POT, "2").await;
    let id = open_slot(&app, TOUR).await;
    let taken = slot(&app, id).await.places_taken;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "1")]).await;
    let (booking_code, _) = code_and_key(&held);
    let (pot, _) = craft_row(&app, POT).await;
    let delivery = format!("delivery_{}", pot.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.push((&delivery, "pickup"));
    let (code, key) = order_code_and_key(&checkout(&app, &visitor, &fields).await);
    let pi = intent_of(&app, &code).await;
    app.post_form(&browser(), &format!("/orders/{code}/oxxo"), &[("k", &key)])
        .await;
    assert_eq!(stock_of(&app, POT).await, stock - 2);
    assert!(fake.expire_voucher(&pi).await);
    status_becomes(&app, &code, "expired").await;
    assert_eq!(
        fake.intent(&pi).unwrap().status.to_string(),
        "canceled",
        "the payment is cancelled first, so no money can come later"
    );
    assert_eq!(stock_of(&app, POT).await, stock);
    assert_eq!(booking(&app, &booking_code).await.status, "expired");
    assert_eq!(slot(&app, id).await.places_taken, taken);
}

async fn refunds_go_back_through_stripe_once_and_oxxo_ones_are_owed(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, _) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    fake.pay_by_card(&pi, "pm_card_visa").await;
    status_becomes(&app, &code, "paid").await;
    let part = support::orders::parts(&app, &code).await.remove(0);
    let admin = app.signed_in("coop@tianguis.demo").await;
    let refund = format!("/dashboard/orders/parts/{}/refund", part.id);
    let done = app
        .post_form(
            &admin,
            &refund,
            &[("amount", "150.50"), ("reason", "Descuento")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let asked: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.path == "/v1/refunds")
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(
        asked[0].idempotency_key.as_deref(),
        Some(format!("tianguis-refund-{code}-1").as_str())
    );
    let r = refunds_of(&app, &code).await.remove(0);
    assert_eq!(
        (r.status.as_str(), r.amount_centavos),
        ("succeeded", 15_050)
    );
    assert!(r.provider_ref.unwrap().starts_with("re_"));
    let all = part.goods_centavos + part.shipping_centavos;
    let too_much = app
        .post_form(
            &admin,
            &refund,
            &[("amount", &format!("{}", all / 100)), ("reason", "Todo")],
        )
        .await;
    assert_eq!(too_much.status, 409);
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.path == "/v1/refunds")
            .count(),
        1,
        "a refused refund never reaches Stripe"
    );

    let (oxxo, key) = rug_order(&app).await;
    let pi = intent_of(&app, &oxxo).await;
    app.post_form(&browser(), &format!("/orders/{oxxo}/oxxo"), &[("k", &key)])
        .await;
    fake.pay_voucher(&pi).await;
    status_becomes(&app, &oxxo, "paid").await;
    let part = support::orders::parts(&app, &oxxo).await.remove(0);
    app.post_form(
        &admin,
        &format!("/dashboard/orders/parts/{}/refund", part.id),
        &[("amount", "100"), ("reason", "Llegó rota")],
    )
    .await;
    assert_eq!(refunds_of(&app, &oxxo).await[0].status, "owed");
    assert_eq!(
        fake.requests()
            .iter()
            .filter(|r| r.path == "/v1/refunds")
            .count(),
        1,
        "Stripe cannot refund OXXO: it is not asked"
    );
}

/// Posts `body` to the webhook with `signature`.
async fn post_webhook(app: &TestApp, body: &str, signature: &str) -> u16 {
    app.client
        .post(app.url("/webhooks/stripe"))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A validly signed event about an account that is not one of ours (Stripe would
/// answer 404 for it) is answered 200, so Stripe does not retry it for days; and it
/// asks Stripe nothing.
async fn an_event_about_an_account_we_do_not_know_is_taken_and_not_retried(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let body = serde_json::json!({
        "id": "evt_someone_elses",
        "object": "event",
        "type": "account.updated",
        "created": chrono::Utc::now().timestamp(),
        "livemode": false,
        "pending_webhooks": 1,
        "data": { "object": { "id": "acct_not_ours", "object": "account" } },
    })
    .to_string();
    let asked_before = fake.requests().len();
    let signature = sign(
        WEBHOOK_SECRET,
        chrono::Utc::now().timestamp(),
        body.as_bytes(),
    );
    assert_eq!(post_webhook(&app, &body, &signature).await, 200);
    assert_eq!(
        fake.requests().len(),
        asked_before,
        "nothing asked of Stripe about it"
    );
}

/// An order paid at the fake with its events held back: the order, and the id of
/// its `payment_intent.succeeded` event.
async fn paid_with_events_held(app: &TestApp, fake: &FakeStripe) -> (String, String) {
    fake.hold_events(true);
    let (code, _) = rug_order(app).await;
    let pi = intent_of(app, &code).await;
    fake.pay_by_card(&pi, "pm_card_visa").await;
    let event = fake.events_about("payment_intent.succeeded", &pi).remove(0);
    (code, event)
}

async fn forged_or_stale_webhooks_are_refused_and_change_nothing(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, event) = paid_with_events_held(&app, &fake).await;
    let (body, _) = fake.signed(&event).unwrap();
    let now = chrono::Utc::now().timestamp();
    let forged = sign("whsec_somebody_else", now, body.as_bytes());
    assert_eq!(post_webhook(&app, &body, &forged).await, 400);
    let tampered = body.replace("payment_intent.succeeded", "payment_intent.created");
    let signed_for_other = sign(WEBHOOK_SECRET, now, body.as_bytes());
    assert_eq!(post_webhook(&app, &tampered, &signed_for_other).await, 400);
    let stale = sign(WEBHOOK_SECRET, now - 600, body.as_bytes());
    assert_eq!(post_webhook(&app, &body, &stale).await, 400);
    assert_eq!(post_webhook(&app, &body, "").await, 400);
    assert_eq!(
        order(&app, &code).await.status,
        "awaiting_payment",
        "nothing changed"
    );
    assert_eq!(
        payment_event::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    let fresh = sign(WEBHOOK_SECRET, now, body.as_bytes());
    assert_eq!(post_webhook(&app, &body, &fresh).await, 200);
    assert_eq!(order(&app, &code).await.status, "paid");
}

async fn ten_deliveries_of_one_event_pay_the_order_once(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    let (code, event) = paid_with_events_held(&app, &fake).await;
    let statuses = fake.deliver(&event, 10).await;
    assert_eq!(statuses, vec![200; 10], "every delivery is acknowledged");
    assert_eq!(order(&app, &code).await.status, "paid");
    assert_eq!(
        payment_event::Entity::find()
            .filter(payment_event::Column::EventId.eq(event.as_str()))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        times_paid(&app, &code).await,
        2,
        "the order and its part are paid once"
    );
    let receipts = support::bookings::emails_to(&app, "ana@example.mx")
        .await
        .into_iter()
        .filter(|m| m.subject.contains("pagado"))
        .count();
    assert_eq!(receipts, 1, "one receipt");
}

async fn events_out_of_order_end_in_the_right_state(backend: Backend) {
    let (app, fake) = spawn_stripe_app(backend).await;
    fake.hold_events(true);
    let (code, key) = rug_order(&app).await;
    let pi = intent_of(&app, &code).await;
    app.post_form(&browser(), &format!("/orders/{code}/oxxo"), &[("k", &key)])
        .await;
    fake.pay_voucher(&pi).await;
    let requires_action = fake
        .events_about("payment_intent.requires_action", &pi)
        .remove(0);
    let succeeded = fake.events_about("payment_intent.succeeded", &pi).remove(0);
    // Succeeded arrives before requires_action.
    assert_eq!(fake.deliver(&succeeded, 1).await, vec![200]);
    assert_eq!(order(&app, &code).await.status, "paid");
    assert_eq!(fake.deliver(&requires_action, 1).await, vec![200]);
    assert_eq!(
        order(&app, &code).await.status,
        "paid",
        "old news does not move it back"
    );
    assert_eq!(times_paid(&app, &code).await, 2);
    assert_eq!(payment_of(&app, &code).await.status, "succeeded");
}

/// While payments are simulated every page says so at its top; with Stripe no page
/// does.
async fn only_simulated_payments_say_demo_on_every_page(backend: Backend) {
    let demo = support::spawn_app(backend).await;
    let (real, _fake) = spawn_stripe_app(backend).await;
    for path in ["/", "/crafts", "/cart", "/sign-in"] {
        let page = demo.get(path).await;
        assert!(
            page.has("Sitio de demostración: los pagos son simulados"),
            "{path}"
        );
        assert!(!real.get(path).await.has("Sitio de demostración"), "{path}");
    }
    assert!(
        demo.get_in("en", "/crafts")
            .await
            .has("Demo site: payments are simulated")
    );
}

on_both_backends!(
    a_booking_cancelled_before_the_card_pays_lowers_the_payment_intent,
    a_voucher_printed_before_a_booking_was_cancelled_is_paid_and_the_difference_owed,
    only_simulated_payments_say_demo_on_every_page,
    a_card_payment_is_made_once_and_marked_paid_by_the_webhook,
    a_declined_card_can_be_tried_again_on_the_same_payment,
    the_fee_booked_is_the_one_stripe_kept_not_the_published_price,
    a_fee_stripe_says_late_is_waited_for_before_the_order_is_paid,
    an_oxxo_voucher_is_issued_and_paid_at_the_store,
    an_expired_oxxo_voucher_cancels_the_payment_and_gives_everything_back,
    refunds_go_back_through_stripe_once_and_oxxo_ones_are_owed,
    forged_or_stale_webhooks_are_refused_and_change_nothing,
    ten_deliveries_of_one_event_pay_the_order_once,
    events_out_of_order_end_in_the_right_state,
    an_event_about_an_account_we_do_not_know_is_taken_and_not_retried,
);
