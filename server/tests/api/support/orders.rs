//! Helpers for cart, checkout and payment tests: filling a cart as a browser does,
//! checking out, paying on the simulated provider's page, and reading what the
//! database says.

use super::{Page, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use store::entity::{craft, listing, order_event, order_part, orders, payment, refund};

/// A demo rug of Tejedoras del Picacho (the first demo admin's cooperative), 3 in
/// stock.
pub const RUG: &str = "tapete-diamante-zapoteco-indigo";
/// A demo pot of another cooperative (Alfarera Tierra Negra), 10 in stock.
pub const POT: &str = "cantaro-mezcalero-barro-negro";
/// A made-to-order demo craft (no stock limit, 30 days to make).
pub const MADE_TO_ORDER: &str = "lampara-calada-barro-negro";

/// The buyer's details for a checkout with nothing shipped.
pub const BUYER: &[(&str, &str)] = &[("name", "Ana López"), ("email", "ana@example.mx")];

/// An address for a checkout that ships.
pub const ADDRESS: &[(&str, &str)] = &[
    ("street", "Av. Juárez 12"),
    ("city", "Oaxaca de Juárez"),
    ("state", "Oaxaca"),
    ("postal_code", "68000"),
];

pub async fn craft_row(app: &TestApp, slug: &str) -> (listing::Model, craft::Model) {
    let (l, c) = listing::Entity::find()
        .filter(listing::Column::Slug.eq(slug))
        .find_also_related(craft::Entity)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("craft {slug}"));
    (l, c.expect("a craft's details"))
}

pub async fn stock_of(app: &TestApp, slug: &str) -> i32 {
    craft_row(app, slug).await.1.stock
}

/// Sets craft `slug`'s stock (and makes it a stocked craft, not made to order).
pub async fn set_stock(app: &TestApp, slug: &str, stock: i32) {
    use sea_orm::sea_query::Expr;
    let (l, _) = craft_row(app, slug).await;
    craft::Entity::update_many()
        .col_expr(craft::Column::Stock, Expr::val(stock))
        .col_expr(craft::Column::MadeToOrder, Expr::val(false))
        .filter(craft::Column::ListingId.eq(l.id))
        .exec(&app.db)
        .await
        .unwrap();
}

/// Puts `quantity` of craft `slug` in `client`'s cart.
pub async fn add_to_cart(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    quantity: &str,
) -> Page {
    app.post_form(
        client,
        "/cart/items",
        &[
            ("craft", slug),
            ("quantity", quantity),
            ("from", &format!("/crafts/{slug}")),
        ],
    )
    .await
}

/// Checks `client`'s cart out with `fields` (the buyer, deliveries, address).
pub async fn checkout(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> Page {
    app.post_form(client, "/checkout", fields).await
}

/// The code and secret of the order page a checkout redirects to.
pub fn order_code_and_key(page: &Page) -> (String, String) {
    let location = page.location();
    let rest = location.strip_prefix("/orders/").unwrap_or_else(|| {
        panic!(
            "a checkout redirects to its order, not {location:?}: {}",
            page.body
        )
    });
    let (code, key) = rest.split_once("?k=").expect("the link has its secret");
    (code.to_owned(), key.to_owned())
}

/// The payer's choice on the simulated provider's test page.
pub async fn simulate(app: &TestApp, code: &str, key: &str, choice: &str) -> Page {
    app.post_form(
        &super::browser(),
        &format!("/orders/{code}/simulate"),
        &[("k", key), ("choice", choice)],
    )
    .await
}

pub async fn order(app: &TestApp, code: &str) -> orders::Model {
    orders::Entity::find()
        .filter(orders::Column::Code.eq(code))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("order {code}"))
}

pub async fn parts(app: &TestApp, code: &str) -> Vec<order_part::Model> {
    let o = order(app, code).await;
    order_part::Entity::find()
        .filter(order_part::Column::OrderId.eq(o.id))
        .order_by_asc(order_part::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

pub async fn payment_of(app: &TestApp, code: &str) -> payment::Model {
    let o = order(app, code).await;
    payment::Entity::find()
        .filter(payment::Column::OrderId.eq(o.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("an order has its payment")
}

pub async fn refunds_of(app: &TestApp, code: &str) -> Vec<refund::Model> {
    let o = order(app, code).await;
    refund::Entity::find()
        .filter(refund::Column::OrderId.eq(o.id))
        .order_by_asc(refund::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The moves recorded for order `code`, as `action:to` (parts' too), oldest first.
pub async fn moves(app: &TestApp, code: &str) -> Vec<String> {
    let o = order(app, code).await;
    order_event::Entity::find()
        .filter(order_event::Column::OrderId.eq(o.id))
        .order_by_asc(order_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| format!("{}:{}", e.action, e.to_status))
        .collect()
}

/// Puts `quantity` of craft `slug` in `client`'s cart and checks out, collecting at
/// its cooperative: the order's code and secret.
pub async fn pickup_order(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    quantity: &str,
) -> (String, String) {
    let added = add_to_cart(app, client, slug, quantity).await;
    assert_eq!(added.status, 303, "added: {}", added.body);
    let (l, _) = craft_row(app, slug).await;
    let delivery = format!("delivery_{}", l.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.push((&delivery, "pickup"));
    order_code_and_key(&checkout(app, client, &fields).await)
}

/// Pays everything in `client`'s cart with the simulated card: the order's code
/// and secret.
pub async fn pay_cart_by_card(app: &TestApp, client: &reqwest::Client) -> (String, String) {
    let placed = checkout(app, client, BUYER).await;
    assert_eq!(placed.status, 303, "checkout: {}", placed.body);
    let (code, key) = order_code_and_key(&placed);
    let paid = simulate(app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "simulated card: {}", paid.body);
    assert_eq!(order(app, &code).await.status, "paid");
    (code, key)
}

/// A guest's rug, to be shipped, paid by the simulated card: the order's code.
pub async fn rug_shipped_and_paid(app: &TestApp) -> String {
    let visitor = super::browser();
    add_to_cart(app, &visitor, RUG, "1").await;
    let (rug, _) = craft_row(app, RUG).await;
    let ship = format!("delivery_{}", rug.cooperative_id);
    let mut fields = BUYER.to_vec();
    fields.extend_from_slice(ADDRESS);
    fields.push((&ship, "ship"));
    let (code, key) = order_code_and_key(&checkout(app, &visitor, &fields).await);
    let paid = simulate(app, &code, &key, "card_succeeds").await;
    assert_eq!(paid.status, 303, "{}", paid.body);
    code
}
