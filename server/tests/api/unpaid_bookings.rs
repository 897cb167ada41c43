//! A booking cancelled before its order is paid (issue 20): the order no longer asks
//! for it (its total is lowered, and the provider asked for less while it still can),
//! an order left with nothing is cancelled with its payment, and money that comes
//! anyway for what is no longer sold goes back in full, never credited to the guide.

use crate::support;
use domain::money::ledger::{Account, AccountKind};
use support::bookings::{
    GUIDE, TOUR, book, booking, call_off, cancel_booking, code_and_key, guide_of, slots_after,
    tour_and_pot_ordered,
};
use support::orders::{order, payment_of, refunds_of, simulate};
use support::{Backend, TestApp, assert_books_balance, browser, spawn_app};

/// What the tour's guide is owed, pending and available, by the ledger.
async fn guide_credited(app: &TestApp) -> i64 {
    let guide = guide_of(app, TOUR).await;
    let mut owed = 0;
    for kind in [AccountKind::ProducerPending, AccountKind::ProducerAvailable] {
        let account = Account::of(kind, guide);
        owed += account.owed(
            store::money::ledger::balance(&app.db, account)
                .await
                .unwrap(),
        );
    }
    owed
}

async fn a_booking_cancelled_while_its_voucher_waits_is_not_sold_and_what_comes_for_it_goes_back(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let ((booking_code, booking_key), (code, key)) = tour_and_pot_ordered(&app, &visitor).await;
    let asked = order(&app, &code).await.total_centavos;
    let tour_total = booking(&app, &booking_code).await.total_centavos;
    simulate(&app, &code, &key, "oxxo_paid_later").await;
    assert!(payment_of(&app, &code).await.voucher_number.is_some());

    cancel_booking(&app, &booking_code, &booking_key).await;
    let lowered = order(&app, &code).await;
    assert_eq!(
        (lowered.status.as_str(), lowered.total_centavos),
        ("awaiting_payment", asked - tour_total),
        "the order no longer asks for the tour"
    );
    assert_eq!(
        payment_of(&app, &code).await.amount_centavos,
        asked,
        "a printed voucher keeps its sum"
    );
    let page = app
        .get_with(&browser(), &format!("/orders/{code}?k={key}"), &[])
        .await;
    assert!(
        page.has("no se cobra"),
        "the page says the tour is not charged"
    );

    // The voucher is paid anyway, for its printed sum.
    let paid = simulate(&app, &code, &key, "pay_voucher").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    let o = order(&app, &code).await;
    assert_eq!(
        (o.status.as_str(), o.refunded_centavos),
        ("paid", 0),
        "the pot is paid; the order refunded nothing of what it sold"
    );
    let refunds = refunds_of(&app, &code).await;
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(
        (
            refunds[0].amount_centavos,
            refunds[0].for_withdrawn,
            refunds[0].status.as_str()
        ),
        (tour_total, true, "owed"),
        "what came for the tour goes back in full (an OXXO payment by bank transfer)"
    );
    assert_eq!(
        guide_credited(&app).await,
        0,
        "the guide is credited nothing"
    );
    assert_books_balance(&app).await;
}

async fn a_booking_cancelled_before_paying_by_card_lowers_what_the_card_is_charged(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let ((booking_code, booking_key), (code, key)) = tour_and_pot_ordered(&app, &visitor).await;
    let asked = order(&app, &code).await.total_centavos;
    let tour_total = booking(&app, &booking_code).await.total_centavos;
    assert!(
        payment_of(&app, &code).await.provider_ref.is_some(),
        "checkout made the payment at the provider"
    );

    cancel_booking(&app, &booking_code, &booking_key).await;
    assert_eq!(
        payment_of(&app, &code).await.amount_centavos,
        asked - tour_total,
        "the provider is asked for the lower total"
    );
    let paid = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    let pay = payment_of(&app, &code).await;
    assert_eq!(
        (pay.status.as_str(), pay.received_centavos),
        ("succeeded", asked - tour_total),
        "the card is charged for the pot alone"
    );
    assert_eq!(order(&app, &code).await.status, "paid");
    assert!(refunds_of(&app, &code).await.is_empty());
    assert_eq!(guide_credited(&app).await, 0);
    assert_books_balance(&app).await;
}

async fn calling_off_a_slot_cancels_an_unpaid_order_left_with_nothing_and_its_voucher(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let id = slots_after(&app, TOUR, 10).await[0].id;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "2")]).await;
    let (booking_code, _) = code_and_key(&held);
    let placed = support::orders::checkout(&app, &visitor, support::orders::BUYER).await;
    let (code, key) = support::orders::order_code_and_key(&placed);
    simulate(&app, &code, &key, "oxxo_paid_later").await;

    let guide = app.signed_in(GUIDE).await;
    let done = call_off(&app, &guide, id).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(booking(&app, &booking_code).await.status, "cancelled");
    let o = order(&app, &code).await;
    assert_eq!(
        (o.status.as_str(), o.total_centavos),
        ("cancelled", 0),
        "nothing is left to pay for"
    );
    let provider_ref = payment_of(&app, &code).await.provider_ref.unwrap();
    let at_provider = store::commerce::simulated_payments::get(&app.db, &provider_ref)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        at_provider.status, "canceled",
        "the voucher can no longer be paid"
    );
    let late = simulate(&app, &code, &key, "pay_voucher").await;
    assert!(late.status < 500, "{}", late.body);
    assert_eq!(order(&app, &code).await.status, "cancelled");
    assert_eq!(guide_credited(&app).await, 0);
    assert_books_balance(&app).await;
}

on_both_backends!(
    a_booking_cancelled_while_its_voucher_waits_is_not_sold_and_what_comes_for_it_goes_back,
    a_booking_cancelled_before_paying_by_card_lowers_what_the_card_is_charged,
    calling_off_a_slot_cancels_an_unpaid_order_left_with_nothing_and_its_voucher,
);
