//! Checkout: the cart becomes an order awaiting payment (stock and places kept for
//! it), the provider's payment is made, and the buyer goes to the order's page to pay.

use crate::emails;
use crate::http::answer::{Answer, Stop};
use crate::http::client::ClientAddress;
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use crate::http::visit::hourly_limits;
use app::cart::CartKey;
use app::forms::{FieldError, WHOLE_FORM};
use axum::extract::State;
use domain::commerce::checkout_form::parse_checkout;
use domain::commerce::order::OrderCode;
use domain::people::hourly_limits::Started;
use http::StatusCode;
use std::collections::BTreeMap;
use store::commerce::checkout::{self, CheckoutError, NewOrder};
use store::commerce::orders::FoundOrder;
use store::outbox::OrderKey;

type CheckoutForm = BTreeMap<String, String>;

/// A link to order `order_id` with a key made for one email (the link's text) and
/// that key, for the letter to keep (`Letter::opens`): the key itself is kept
/// nowhere but in the email.
pub fn emailed_order_link(public_url: &str, order_id: i32, code: &OrderCode) -> (String, OrderKey) {
    let (key, key_hash) = auth::token::new_token();
    let link = format!("{public_url}{}", order_page(code, &key));
    (link, OrderKey { order_id, key_hash })
}

/// The order's page, opened by whoever has its link.
pub fn order_page(code: &OrderCode, key: &str) -> String {
    if key.is_empty() {
        format!("/orders/{code}")
    } else {
        format!("/orders/{code}?k={key}")
    }
}

async fn redraw_checkout(
    state: &AppState,
    post: &FormPost<CheckoutForm>,
    problems: Vec<(String, FieldError)>,
    status: StatusCode,
) -> Stop {
    let echo = echo_of(
        &post.form,
        problems.iter().map(|(f, e)| (f.as_str(), e.clone())),
    );
    let uri = "/checkout";
    state.pages.redraw_at(&post.parts, uri, echo, status).await
}

#[tracing::instrument(name = "checkout", skip_all)]
pub async fn place(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    post: FormPost<CheckoutForm>,
) -> Answer {
    let lang = post.lang();
    let at = domain::clock::now().on_site();
    let Some(CartKey(hash)) = post.parts.extensions.get::<CartKey>().cloned() else {
        return Ok(see_other("/cart"));
    };
    let cart = match store::commerce::carts::find(&state.db, &hash).await {
        Ok(Some(cart)) => cart,
        Ok(None) => return Ok(see_other("/cart")),
        Err(err) => return Err(Stop::failed(err)),
    };
    let view = store::commerce::carts::view(&state.db, cart, lang, at).await?;
    if view.is_empty() {
        let problem = vec![(WHOLE_FORM.to_owned(), FieldError::CartEmpty)];
        return Err(redraw_checkout(&state, &post, problem, StatusCode::CONFLICT).await);
    }
    let offered: Vec<_> = view
        .parts
        .iter()
        .filter(|p| !p.crafts.is_empty())
        .map(|p| {
            (
                p.cooperative_id,
                p.deliveries.iter().map(|(d, _)| *d).collect(),
            )
        })
        .collect();
    let checkout = match parse_checkout(&post.form, &offered) {
        Ok(checkout) => checkout,
        Err(problems) => {
            let problems = problems
                .into_iter()
                .map(|(f, e)| (f, FieldError::Checkout(e)))
                .collect();
            return Err(
                redraw_checkout(&state, &post, problems, StatusCode::UNPROCESSABLE_ENTITY).await,
            );
        }
    };
    // An order waiting for its payment keeps stock and places: one address may
    // start only so many in an hour.
    if let Err(too_many) =
        hourly_limits::check(&state, Started::Order, &checkout.email, client).await?
    {
        let problem = vec![(WHOLE_FORM.to_owned(), FieldError::HourlyLimit(too_many))];
        let status = StatusCode::TOO_MANY_REQUESTS;
        let page = redraw_checkout(&state, &post, problem, status).await;
        return Err(hourly_limits::try_again_later(page));
    }
    let code = OrderCode::from_random(auth::token::random_bytes());
    let (secret, secret_hash) = auth::token::new_token();
    let account = post.account_id();
    let link = format!("{}{}", state.public_url, order_page(&code, &secret));
    let received = |placed: &FoundOrder| emails::orders::received(&placed.view, lang, &link);
    let new = NewOrder {
        cart_id: cart,
        checkout: &checkout,
        account_id: account,
        lang,
        code: code.clone(),
        link_key_hash: secret_hash,
        provider: state.payments.provider().name(),
        pay_within: state.card_window,
        received: &received,
    };
    let placed = match checkout::place(&state.db, new, at).await {
        Ok(placed) => placed,
        Err(e) => {
            let problem = match &e {
                CheckoutError::Empty => FieldError::CartEmpty,
                CheckoutError::NotEnoughStock { title, left } => FieldError::StockRanOut {
                    title: title.clone(),
                    left: *left,
                },
                CheckoutError::NotForSale { title } => FieldError::GoneFromSale {
                    title: title.clone(),
                },
                CheckoutError::HoldRanOut { .. } => {
                    if let Err(err) =
                        store::commerce::carts::drop_stale_bookings(&state.db, cart, at).await
                    {
                        return Err(Stop::failed(err));
                    }
                    FieldError::HoldRanOut
                }
                CheckoutError::Delivery { .. } => FieldError::NoDelivery,
                CheckoutError::Store(err) => return Err(Stop::failed(err)),
            };
            let problem = vec![(WHOLE_FORM.to_owned(), problem)];
            return Err(redraw_checkout(&state, &post, problem, StatusCode::CONFLICT).await);
        }
    };
    tracing::info!(order = %code, total = placed.total.centavos(), "order placed");
    hourly_limits::record(&state, Started::Order, &checkout.email, client).await;
    // The order is kept either way: if the provider cannot be reached now, the
    // order's page (and the reconciliation) make the payment later, under the same
    // idempotency key.
    if let Err(err) = state.payments.start(placed.payment_id, at).await {
        tracing::warn!(%err, order = %code, "payment not made yet");
    }
    Ok(see_other(&order_page(&code, &secret)))
}
