//! The cart, checkout and the order's life over HTTP, against the real server with
//! the simulated provider (the demo and the tests ask for it): a cart of crafts from several
//! cooperatives plus a tour is paid once and split by cooperative; a declined card
//! is tried again; an OXXO voucher is paid later or runs out (and the stock and
//! places go back); cooperatives ship and refund their parts.

use crate::support;

use domain::clock::SiteTime;
use leptos::server_fn::ServerFn;

use support::bookings::{TOUR, book, booking, code_and_key, emails_to, open_slot, slot};
use support::orders::{
    ADDRESS, BUYER, MADE_TO_ORDER, POT, RUG, add_to_cart, checkout, moves, order,
    order_code_and_key, parts, payment_of, pickup_order, refunds_of, set_stock, simulate, stock_of,
};
use support::{Backend, browser, spawn_app};

const COOP_ADMIN: &str = "coop@tianguis.demo";

/// The checkout fields for the three-cooperative cart: the rug shipped, the pot
/// collected at its cooperative, the tour needing neither.
async fn mixed_cart_fields(app: &support::TestApp) -> Vec<(String, String)> {
    let (rug, _) = support::orders::craft_row(app, RUG).await;
    let (pot, _) = support::orders::craft_row(app, POT).await;
    let mut fields: Vec<(String, String)> = BUYER
        .iter()
        .chain(ADDRESS)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    fields.push((format!("delivery_{}", rug.cooperative_id), "ship".into()));
    fields.push((format!("delivery_{}", pot.cooperative_id), "pickup".into()));
    fields
}

fn as_pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

async fn a_cart_from_three_cooperatives_is_paid_once_and_split_by_cooperative(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (rug_stock, pot_stock) = (stock_of(&app, RUG).await, stock_of(&app, POT).await);
    let added = add_to_cart(&app, &visitor, RUG, "1").await;
    assert_eq!((added.status, added.location()), (303, "/cart?done=added"));
    assert!(
        added.headers.get("set-cookie").is_some(),
        "a guest's cart has its cookie"
    );
    add_to_cart(&app, &visitor, POT, "2").await;
    let id = open_slot(&app, TOUR).await;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "2")]).await;
    let (booking_code, _) = code_and_key(&held);

    let cart = app.get_with(&visitor, "/cart", &[]).await;
    assert_eq!(cart.status, 200);
    assert!(
        cart.has("<span class=\"cart-count\">4</span>"),
        "the header counts a rug, two pots and a booking"
    );
    assert!(
        cart.has("href=\"/sign-in?next=%2Fcart\""),
        "signing in comes back to the page"
    );
    for coop in ["Tejedoras del Picacho", "Tierra Negra", "Telar de Grana"] {
        assert!(cart.has(coop), "the cart groups by cooperative: {coop}");
    }
    assert_eq!(
        stock_of(&app, RUG).await,
        rug_stock,
        "a cart reserves nothing"
    );

    let fields = mixed_cart_fields(&app).await;
    let placed = checkout(&app, &visitor, &as_pairs(&fields)).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (code, key) = order_code_and_key(&placed);
    let o = order(&app, &code).await;
    assert_eq!(o.status, "awaiting_payment");
    assert_eq!(
        stock_of(&app, RUG).await,
        rug_stock - 1,
        "checkout takes the stock"
    );
    assert_eq!(stock_of(&app, POT).await, pot_stock - 2);
    let b = booking(&app, &booking_code).await;
    assert_eq!((b.status.as_str(), b.order_id), ("held", Some(o.id)));
    let split = parts(&app, &code).await;
    assert_eq!(split.len(), 3, "one part per cooperative");
    let deliveries: Vec<&str> = split.iter().map(|p| p.delivery.as_str()).collect();
    assert!(
        deliveries.contains(&"ship")
            && deliveries.contains(&"pickup")
            && deliveries.contains(&"none")
    );
    let shipping: i64 = split.iter().map(|p| p.shipping_centavos).sum();
    assert_eq!(o.shipping_centavos, shipping);
    assert_eq!(
        o.total_centavos,
        split
            .iter()
            .map(|p| p.goods_centavos + p.shipping_centavos)
            .sum::<i64>(),
        "the order's total is its parts'"
    );
    let empty = app.get_with(&visitor, "/cart", &[]).await;
    assert!(
        empty.has("Tu carrito está vacío"),
        "checkout empties the cart"
    );

    let pay_page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert_eq!(pay_page.status, 200);
    assert!(
        pay_page.has("no se mueve dinero"),
        "the test page says it is one"
    );
    let nobody = app.get(&format!("/orders/{code}")).await;
    assert_eq!(
        nobody.status, 404,
        "without its secret an order is not found"
    );

    let paid = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    assert_eq!(order(&app, &code).await.status, "paid");
    assert!(parts(&app, &code).await.iter().all(|p| p.status == "paid"));
    assert_eq!(booking(&app, &booking_code).await.status, "confirmed");
    let again = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(again.status, 409, "a paid order is not paid twice");
    let history = moves(&app, &code).await;
    assert_eq!(
        history.iter().filter(|m| m.starts_with("pay:")).count(),
        4,
        "the order and its three parts are paid once each: {history:?}"
    );
    let mail = emails_to(&app, "ana@example.mx").await;
    let subjects: Vec<&str> = mail.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert!(subjects[0].contains("recibido") && subjects[1].contains("pagado"));
    assert!(
        mail[1].body.contains(&booking_code),
        "the receipt names the booking"
    );

    // A cooperative sees its own part of the order, and nothing of the others' nor of
    // the payment, in the page and in what its loader sends the browser.
    let weavers = app.signed_in("coop@tianguis.demo").await;
    let loader = app.url(<app::pages::dashboard::orders::LoadSoldOrder as ServerFn>::PATH);
    let sent = weavers
        .post(&loader)
        .form(&[("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_success());
    let sent = sent.text().await.unwrap();
    assert!(sent.contains("Tejedoras del Picacho"), "{sent}");
    for other in [
        "Tierra Negra",
        "Telar de Grana",
        "client_secret\":\"",
        "\"payment\":{",
    ] {
        assert!(!sent.contains(other), "{other} is not sent: {sent}");
    }
    let page = app
        .get_with(&weavers, &format!("/dashboard/orders/{code}"), &[])
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.has("Tierra Negra") && !page.has("Telar de Grana"));
}

async fn a_declined_card_keeps_the_order_and_trying_again_pays_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (code, key) = pickup_order(&app, &visitor, RUG, "1").await;
    let declined = simulate(&app, &code, &key, "card_declined").await;
    assert_eq!(declined.status, 303);
    assert_eq!(order(&app, &code).await.status, "awaiting_payment");
    assert_eq!(
        payment_of(&app, &code).await.last_error.as_deref(),
        Some("card_declined")
    );
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(
        page.has("rechazó la tarjeta"),
        "the page says the card was declined"
    );
    simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(order(&app, &code).await.status, "paid");
}

async fn a_voucher_paid_later_pays_the_order(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    add_to_cart(&app, &visitor, MADE_TO_ORDER, "2").await;
    let (lamp, _) = support::orders::craft_row(&app, MADE_TO_ORDER).await;
    let delivery = format!("delivery_{}", lamp.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.extend_from_slice(ADDRESS);
    fields.push((&delivery, "ship"));
    let (code, key) = order_code_and_key(&checkout(&app, &visitor, &fields).await);
    let before = order(&app, &code).await.pay_by;
    simulate(&app, &code, &key, "oxxo_paid_later").await;
    let pay = payment_of(&app, &code).await;
    assert_eq!(pay.method.as_deref(), Some("oxxo"));
    assert!(pay.voucher_number.is_some());
    let o = order(&app, &code).await;
    assert!(
        o.pay_by > before + chrono::Duration::days(1),
        "the voucher keeps the goods longer"
    );
    let page = app.get(&format!("/orders/{code}?k={key}")).await;
    assert!(
        page.has(pay.voucher_number.as_deref().unwrap()),
        "the page shows the voucher number"
    );
    let mail = emails_to(&app, "ana@example.mx").await;
    assert!(
        mail.iter().any(|m| m.subject.contains("OXXO")),
        "the voucher is emailed"
    );
    simulate(&app, &code, &key, "pay_voucher").await;
    assert_eq!(order(&app, &code).await.status, "paid");
}

async fn an_expired_voucher_gives_back_the_stock_and_the_places(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let stock = stock_of(&app, POT).await;
    add_to_cart(&app, &visitor, POT, "3").await;
    let id = open_slot(&app, TOUR).await;
    let taken = slot(&app, id).await.places_taken;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "2")]).await;
    let (booking_code, _) = code_and_key(&held);
    let (pot, _) = support::orders::craft_row(&app, POT).await;
    let delivery = format!("delivery_{}", pot.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.push((&delivery, "pickup"));
    let (code, key) = order_code_and_key(&checkout(&app, &visitor, &fields).await);
    simulate(&app, &code, &key, "oxxo_paid_later").await;
    assert_eq!(stock_of(&app, POT).await, stock - 3);
    assert_eq!(slot(&app, id).await.places_taken, taken + 2);
    // The booking sweep leaves a booking inside an order to its order.
    assert_eq!(booking(&app, &booking_code).await.status, "held");

    let expired = simulate(&app, &code, &key, "voucher_expires").await;
    assert_eq!(expired.status, 303, "{}", expired.body);
    assert_eq!(order(&app, &code).await.status, "expired");
    assert!(
        parts(&app, &code)
            .await
            .iter()
            .all(|p| p.status == "expired")
    );
    assert_eq!(stock_of(&app, POT).await, stock, "the stock is back");
    assert_eq!(booking(&app, &booking_code).await.status, "expired");
    assert_eq!(
        slot(&app, id).await.places_taken,
        taken,
        "the places are back"
    );
    let late = simulate(&app, &code, &key, "pay_voucher").await;
    assert_eq!(late.status, 409, "an expired order takes no payment");
    let mail = emails_to(&app, "ana@example.mx").await;
    assert!(mail.iter().any(|m| m.subject.contains("no llegó el pago")));
}

async fn money_that_is_not_the_total_never_pays_the_order_and_goes_back(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use store::entity::orders;
    let app = spawn_app(backend).await;
    let visitor = browser();
    let stock = stock_of(&app, POT).await;
    let (code, key) = pickup_order(&app, &visitor, POT, "2").await;
    let asked = order(&app, &code).await.total_centavos;
    // The provider was asked for the old total; the order now says one peso more (as
    // if a payment had been made for another sum): what arrives is not its total.
    orders::Entity::update_many()
        .col_expr(orders::Column::TotalCentavos, Expr::val(asked + 100))
        .filter(orders::Column::Code.eq(code.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    let paid = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);

    assert_eq!(order(&app, &code).await.status, "expired", "not paid");
    assert_eq!(stock_of(&app, POT).await, stock, "the pots are back");
    let payment = payment_of(&app, &code).await;
    assert_eq!(payment.status, "wrong_amount");
    assert_eq!(payment.received_centavos, asked);
    let why = payment.last_error.unwrap_or_default();
    assert!(why.contains(&format!("received {asked}")), "{why}");
    let refunds = refunds_of(&app, &code).await;
    assert_eq!(refunds.len(), 1, "all that came goes back");
    assert_eq!(refunds[0].amount_centavos, asked);
    let mail = emails_to(&app, "ana@example.mx").await;
    assert!(
        mail.iter()
            .any(|m| m.subject.contains("te devolvemos tu pago")),
        "{:?}",
        mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert!(!mail.iter().any(|m| m.subject.contains("pagado")));

    // The platform admin sees it flagged, and it stays flagged when news comes again.
    let again = simulate(&app, &code, &key, "card_succeeds").await;
    assert_ne!(again.status, 500);
    assert_eq!(payment_of(&app, &code).await.status, "wrong_amount");
    let root = app.signed_in("raiz@tianguis.demo").await;
    let admin = app.get_with(&root, "/admin", &[]).await;
    assert!(admin.has("Pagos por revisar"), "{}", admin.body);
    assert!(admin.has(&code));
}

async fn checkout_refuses_a_craft_that_sold_out_meanwhile(backend: Backend) {
    let app = spawn_app(backend).await;
    set_stock(&app, RUG, 1).await;
    let (rug, _) = support::orders::craft_row(&app, RUG).await;
    let delivery = format!("delivery_{}", rug.cooperative_id);
    let (first, second) = (browser(), browser());
    for who in [&first, &second] {
        let added = add_to_cart(&app, who, RUG, "1").await;
        assert_eq!(added.status, 303, "both may put the last one in their cart");
    }
    let mut fields = BUYER.to_vec();
    fields.push((&delivery, "pickup"));
    let won = checkout(&app, &first, &fields).await;
    assert_eq!(won.status, 303);
    let lost = checkout(&app, &second, &fields).await;
    assert_eq!(lost.status, 409, "{}", lost.body);
    assert!(
        lost.body.contains("solo quedan 0"),
        "the buyer is told why: {}",
        lost.body
    );
    assert_eq!(stock_of(&app, RUG).await, 0, "never below zero");
}

async fn the_cart_and_checkout_refuse_bad_input_in_the_visitors_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let too_many = add_to_cart(&app, &visitor, RUG, "50").await;
    assert_eq!(too_many.status, 409);
    assert!(
        too_many.body.contains("como máximo 20"),
        "{}",
        too_many.body
    );
    let stock = stock_of(&app, RUG).await;
    let more = add_to_cart(&app, &visitor, RUG, &(stock + 1).to_string()).await;
    assert_eq!(more.status, 409);
    assert!(more.body.contains(&format!("solo quedan {stock}")));
    let not_a_number = add_to_cart(&app, &visitor, RUG, "dos").await;
    assert_eq!(not_a_number.status, 422);

    add_to_cart(&app, &visitor, RUG, "1").await;
    let (rug, _) = support::orders::craft_row(&app, RUG).await;
    let delivery = format!("delivery_{}", rug.cooperative_id);
    let res = visitor
        .post(app.url("/checkout"))
        .header("accept-language", "en")
        .form(&[
            ("name", ""),
            ("email", "not an email"),
            (delivery.as_str(), "ship"),
            ("postal_code", "123"),
        ])
        .send()
        .await
        .unwrap();
    let page = support::Page::read(res).await;
    assert_eq!(page.status, 422);
    for said in [
        "Type your name",
        "does not look like an email",
        "five digits",
    ] {
        assert!(page.has(said), "the checkout says {said:?}: {}", page.body);
    }
    assert!(
        app.get_with(&visitor, "/cart", &[]).await.has(RUG),
        "a refused checkout keeps the cart"
    );
}

async fn a_cooperative_ships_its_part_and_the_buyer_is_told(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    add_to_cart(&app, &visitor, RUG, "1").await;
    let (rug, _) = support::orders::craft_row(&app, RUG).await;
    let delivery = format!("delivery_{}", rug.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.extend_from_slice(ADDRESS);
    fields.push((&delivery, "ship"));
    let (code, key) = order_code_and_key(&checkout(&app, &visitor, &fields).await);
    simulate(&app, &code, &key, "card_succeeds").await;
    let part = parts(&app, &code).await.remove(0);

    let stranger = app.signed_in("coop2@tianguis.demo").await;
    let refused = app
        .post_form(
            &stranger,
            &format!("/dashboard/orders/parts/{}/fulfil", part.id),
            &[("action", "prepare")],
        )
        .await;
    assert_eq!(refused.status, 403, "another cooperative's admin may not");

    let admin = app.signed_in(COOP_ADMIN).await;
    let list = app.get_with(&admin, "/dashboard/orders", &[]).await;
    assert!(
        list.has(&code),
        "the paid order is on the cooperative's list"
    );
    let fulfil = format!("/dashboard/orders/parts/{}/fulfil", part.id);
    let no_tracking = app
        .post_form(
            &admin,
            &fulfil,
            &[("action", "ship"), ("carrier", "Estafeta")],
        )
        .await;
    assert_eq!(
        no_tracking.status, 422,
        "a shipment needs its tracking number"
    );
    let shipped = app
        .post_form(
            &admin,
            &fulfil,
            &[
                ("action", "ship"),
                ("carrier", "Estafeta"),
                ("tracking", "EST123456789MX"),
            ],
        )
        .await;
    assert_eq!(shipped.status, 303, "{}", shipped.body);
    let part = parts(&app, &code).await.remove(0);
    assert_eq!(
        (part.status.as_str(), part.tracking.as_deref()),
        ("shipped", Some("EST123456789MX"))
    );
    let pickup = app
        .post_form(&admin, &fulfil, &[("action", "ready_for_pickup")])
        .await;
    assert_eq!(
        pickup.status, 409,
        "a shipped part is not waiting for pickup"
    );
    app.post_form(&admin, &fulfil, &[("action", "deliver")])
        .await;
    assert_eq!(parts(&app, &code).await[0].status, "delivered");
    let mail = emails_to(&app, "ana@example.mx").await;
    assert!(
        mail.iter().any(|m| m.body.contains("EST123456789MX")),
        "the buyer gets the tracking number"
    );
    let history = moves(&app, &code).await;
    assert!(history.ends_with(&["ship:shipped".to_owned(), "deliver:delivered".to_owned()]));
}

async fn a_cooperative_refunds_part_of_its_part_and_never_more_than_was_paid(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (code, key) = pickup_order(&app, &visitor, RUG, "1").await;
    simulate(&app, &code, &key, "card_succeeds").await;
    let part = parts(&app, &code).await.remove(0);
    let admin = app.signed_in(COOP_ADMIN).await;
    let refund = format!("/dashboard/orders/parts/{}/refund", part.id);
    let some = app
        .post_form(
            &admin,
            &refund,
            &[("amount", "100"), ("reason", "Una esquina manchada")],
        )
        .await;
    assert_eq!(some.status, 303, "{}", some.body);
    let done = refunds_of(&app, &code).await;
    assert_eq!(
        (done.len(), done[0].status.as_str(), done[0].amount_centavos),
        (1, "succeeded", 10_000)
    );
    let o = order(&app, &code).await;
    assert_eq!(
        (o.status.as_str(), o.refunded_centavos),
        ("partly_refunded", 10_000)
    );
    let left = part.goods_centavos - 10_000;
    let too_much = app
        .post_form(
            &admin,
            &refund,
            &[
                ("amount", &format!("{}.01", left / 100)),
                ("reason", "Todo"),
            ],
        )
        .await;
    assert_eq!(too_much.status, 409, "{}", too_much.body);
    assert_eq!(
        refunds_of(&app, &code).await.len(),
        1,
        "nothing more was refunded"
    );
    let rest = app
        .post_form(
            &admin,
            &refund,
            &[
                ("amount", &format!("{}.{:02}", left / 100, left % 100)),
                ("reason", "Se devolvió"),
            ],
        )
        .await;
    assert_eq!(rest.status, 303);
    assert_eq!(order(&app, &code).await.status, "refunded");
    assert_eq!(parts(&app, &code).await[0].status, "refunded");
}

async fn an_oxxo_refund_is_owed_then_settled_by_bank_transfer(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (code, key) = pickup_order(&app, &visitor, RUG, "1").await;
    simulate(&app, &code, &key, "oxxo_paid_later").await;
    simulate(&app, &code, &key, "pay_voucher").await;
    let part = parts(&app, &code).await.remove(0);
    let admin = app.signed_in(COOP_ADMIN).await;
    app.post_form(
        &admin,
        &format!("/dashboard/orders/parts/{}/refund", part.id),
        &[("amount", "200"), ("reason", "Llegó rota")],
    )
    .await;
    let owed = refunds_of(&app, &code).await.remove(0);
    assert_eq!(owed.status, "owed", "OXXO payments are refunded by hand");
    let mail = emails_to(&app, "ana@example.mx").await;
    assert!(mail.iter().any(|m| m.subject.contains("te debemos")));
    let settle = format!("/dashboard/orders/refunds/{}/settle", owed.id);
    let blank = app.post_form(&admin, &settle, &[("reference", " ")]).await;
    assert_eq!(blank.status, 422);
    let settled = app
        .post_form(&admin, &settle, &[("reference", "SPEI 2026120212345")])
        .await;
    assert_eq!(settled.status, 303);
    let r = refunds_of(&app, &code).await.remove(0);
    assert_eq!(
        (r.status.as_str(), r.manual_reference.as_deref()),
        ("settled", Some("SPEI 2026120212345"))
    );
    assert_eq!(
        order(&app, &code).await.refunded_centavos,
        20_000,
        "counted once"
    );
}

async fn cancelling_a_paid_booking_refunds_it_through_the_provider(backend: Backend) {
    let app = spawn_app(backend).await;
    let id = open_slot(&app, TOUR).await;
    let (code, key) =
        support::bookings::confirmed_booking(&app, id, "ana@example.mx", &[("adult", "1")]).await;
    let b = booking(&app, &code).await;
    let order_id = b.order_id.expect("paid in an order");
    let cancelled = app
        .post_form(
            &browser(),
            &format!("/bookings/{code}/cancel"),
            &[("k", &key)],
        )
        .await;
    assert_eq!(cancelled.status, 303, "{}", cancelled.body);
    let b = booking(&app, &code).await;
    assert_eq!(b.status, "cancelled");
    let refund = b.refund_centavos.unwrap();
    assert!(refund > 0, "the flexible policy gives money back");
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let refunds = store::entity::refund::Entity::find()
        .filter(store::entity::refund::Column::OrderId.eq(order_id))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (
            refunds[0].status.as_str(),
            refunds[0].amount_centavos,
            refunds[0].booking_id
        ),
        ("succeeded", refund, Some(b.id))
    );
}

async fn an_unpaid_order_given_up_lets_its_goods_go(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    let stock = stock_of(&app, POT).await;
    let (code, key) = pickup_order(&app, &visitor, POT, "1").await;
    assert_eq!(stock_of(&app, POT).await, stock - 1);
    let cancelled = app
        .post_form(
            &browser(),
            &format!("/orders/{code}/cancel"),
            &[("k", &key)],
        )
        .await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(order(&app, &code).await.status, "cancelled");
    assert_eq!(stock_of(&app, POT).await, stock);
    let wrong_key = app
        .post_form(
            &browser(),
            &format!("/orders/{code}/cancel"),
            &[("k", "nope")],
        )
        .await;
    assert_eq!(wrong_key.status, 404);
}

async fn a_hold_that_ran_out_in_the_cart_is_refused_once_then_left_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let visitor = browser();
    add_to_cart(&app, &visitor, POT, "1").await;
    let id = open_slot(&app, TOUR).await;
    let held = book(&app, &visitor, id, "ana@example.mx", &[("adult", "1")]).await;
    let (booking_code, _) = code_and_key(&held);
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    store::entity::booking::Entity::update_many()
        .col_expr(
            store::entity::booking::Column::HeldUntil,
            Expr::val((app.now - chrono::Duration::minutes(1)).naive()),
        )
        .filter(store::entity::booking::Column::Code.eq(booking_code.as_str()))
        .exec(&app.db)
        .await
        .unwrap();
    store::booking::bookings::expire_due_holds(&app.db, SiteTime::from_naive(app.now.naive()))
        .await
        .unwrap();
    let (pot, _) = support::orders::craft_row(&app, POT).await;
    let delivery = format!("delivery_{}", pot.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.push((&delivery, "pickup"));
    let refused = checkout(&app, &visitor, &fields).await;
    assert_eq!(refused.status, 409);
    assert!(refused.has("Se acabó el tiempo"), "{}", refused.body);
    let placed = checkout(&app, &visitor, &fields).await;
    assert_eq!(
        placed.status, 303,
        "the ran-out hold is left out: {}",
        placed.body
    );
    let (code, _) = order_code_and_key(&placed);
    assert_eq!(parts(&app, &code).await.len(), 1, "only the pot");
}

/// The keys in an order's links are kept nowhere but in the links: the database
/// holds their SHA-256 only. The checkout's link and each later email's link (with
/// a key of its own) open the order; a key one character off does not.
async fn an_order_link_s_key_is_kept_only_as_its_hash_and_each_email_brings_its_own(
    backend: Backend,
) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = spawn_app(backend).await;
    let visitor = browser();
    let (code, key) = pickup_order(&app, &visitor, POT, "1").await;
    let paid = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);

    let row = order(&app, &code).await;
    assert!(
        !format!("{row:?}").contains(&key),
        "the order row keeps no key"
    );
    let kept: Vec<String> = store::entity::order_key::Entity::find()
        .filter(store::entity::order_key::Column::OrderId.eq(row.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.key_hash)
        .collect();
    let emailed: Vec<String> = emails_to(&app, "ana@example.mx")
        .await
        .iter()
        .flat_map(|e| {
            e.body
                .match_indices(&format!("/orders/{code}?k="))
                .map(|(at, m)| e.body[at + m.len()..at + m.len() + 64].to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(emailed.len() >= 2, "received and paid: {emailed:?}");
    assert!(
        emailed.contains(&key),
        "the first email has the checkout's link"
    );
    assert!(
        emailed.iter().any(|k| *k != key),
        "the paid email brings a key of its own"
    );
    for k in &emailed {
        assert!(!kept.contains(k), "no key is kept as it is");
        assert!(kept.contains(&auth::token::hash_token(k)), "its hash is");
        let page = app.get(&format!("/orders/{code}?k={k}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.has(&code), "the link opens the order");
    }
    let mut off = key.clone();
    off.replace_range(0..1, if key.starts_with('0') { "1" } else { "0" });
    let page = app.get(&format!("/orders/{code}?k={off}")).await;
    assert_eq!(page.status, 404, "a wrong key opens nothing: {}", page.body);
}

/// A guest who lost the order's email asks for its link again: the address gets the
/// links of its newest orders, each with a key of its own that opens the order; an
/// address with no order gets nothing, and the same answer.
async fn a_guest_who_lost_the_order_link_gets_it_again_by_email(backend: Backend) {
    let app = spawn_app(backend).await;
    let (code, key) = pickup_order(&app, &browser(), POT, "1").await;
    let before = emails_to(&app, "ana@example.mx").await.len();
    let cart = app.get("/cart").await;
    assert!(
        cart.has("href=\"/order-links\""),
        "the cart says where to ask"
    );

    let asked = app
        .post_form(&browser(), "/order-links", &[("email", "Ana@Example.mx")])
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    assert_eq!(asked.location(), "/order-links?sent=1");
    let page = app.get(asked.location()).await;
    assert!(page.has("Si hay pedidos con ese correo"), "{}", page.body);
    assert_eq!(emails_to(&app, "ana@example.mx").await.len(), before + 1);
    let link = app
        .link_emailed_to("ana@example.mx", &format!("/orders/{code}?k="))
        .await;
    assert!(!link.ends_with(&key), "the email brings a key of its own");
    let opened = app.get(&link).await;
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert!(opened.has(&code), "{}", opened.body);

    let nobody = app
        .post_form(&browser(), "/order-links", &[("email", "nadie@example.mx")])
        .await;
    assert_eq!(nobody.location(), "/order-links?sent=1", "the same answer");
    assert!(emails_to(&app, "nadie@example.mx").await.is_empty());
    let bad = app
        .post_form(&browser(), "/order-links", &[("email", "ana@")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("no parece un correo"), "{}", bad.body);
}

/// Ten refunds of a whole paid order asked at once (two admins, a double click): one
/// is opened, the others are told how much is left — never more given back than was
/// paid (on PostgreSQL the order's row is locked while its refunds are summed).
async fn refunds_asked_at_once_never_give_back_more_than_was_paid(backend: Backend) {
    let app = spawn_app(backend).await;
    let (code, key) = pickup_order(&app, &browser(), POT, "1").await;
    let card = simulate(&app, &code, &key, "card_succeeds").await;
    assert_eq!(card.status, 303, "{}", card.body);
    let paid = order(&app, &code).await;
    assert_eq!(paid.status, "paid");
    let tries: Vec<_> = (0..10)
        .map(|_| {
            let db = app.db.clone();
            let ask = store::commerce::refunds::RefundAsk {
                order_id: paid.id,
                part_id: None,
                booking_id: None,
                amount: domain::Money::mxn(paid.total_centavos),
                reason: "doble clic".to_owned(),
                asked_by: None,
                for_withdrawn: false,
            };
            let at = app.now;
            tokio::spawn(async move { store::commerce::refunds::open(&db, &ask, at).await })
        })
        .collect();
    let mut opened = 0;
    for task in tries {
        match task.await.unwrap() {
            Ok(_) => opened += 1,
            Err(store::commerce::refunds::RefundError::TooMuch { .. }) => {}
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(opened, 1, "one refund of the whole order");
    let given: i64 = refunds_of(&app, &code)
        .await
        .iter()
        .map(|r| r.amount_centavos)
        .sum();
    assert_eq!(given, paid.total_centavos);
}

on_both_backends!(
    a_hold_that_ran_out_in_the_cart_is_refused_once_then_left_out,
    a_cart_from_three_cooperatives_is_paid_once_and_split_by_cooperative,
    a_declined_card_keeps_the_order_and_trying_again_pays_it,
    a_voucher_paid_later_pays_the_order,
    an_expired_voucher_gives_back_the_stock_and_the_places,
    money_that_is_not_the_total_never_pays_the_order_and_goes_back,
    checkout_refuses_a_craft_that_sold_out_meanwhile,
    the_cart_and_checkout_refuse_bad_input_in_the_visitors_language,
    a_cooperative_ships_its_part_and_the_buyer_is_told,
    a_cooperative_refunds_part_of_its_part_and_never_more_than_was_paid,
    an_oxxo_refund_is_owed_then_settled_by_bank_transfer,
    cancelling_a_paid_booking_refunds_it_through_the_provider,
    an_unpaid_order_given_up_lets_its_goods_go,
    an_order_link_s_key_is_kept_only_as_its_hash_and_each_email_brings_its_own,
    a_guest_who_lost_the_order_link_gets_it_again_by_email,
    refunds_asked_at_once_never_give_back_more_than_was_paid,
);
