//! The cart: a cookie carries a random secret (the database keeps its SHA-256), so a
//! guest's cart works without an account and without JavaScript; a signed-in
//! visitor's cart is also tied to their account. Crafts are added with a quantity;
//! held tour and event bookings arrive from the booking flow.

use crate::http::answer::{Answer, Stop};
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use app::cart::CartKey;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::{Path, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::booking::code::BookingCode;
use http::request::Parts;
use http::{HeaderValue, StatusCode, header};
use serde::{Deserialize, Serialize};
use store::commerce::carts::{self, CartError};

pub const CART_COOKIE: &str = "tianguis_cart";
const THIRTY_DAYS: u32 = 30 * 24 * 60 * 60;

fn token_of(parts: &http::HeaderMap) -> Option<String> {
    parts
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|c| c.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == CART_COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Puts the hash of the cart cookie's secret, if any, into the request for the pages,
/// and, for a page, how many things the cart holds (the header shows it).
pub async fn load_cart(
    State(db): State<store::DatabaseConnection>,
    mut req: Request,
    next: Next,
) -> Answer {
    if let Some(token) = token_of(req.headers()) {
        let key = auth::token::hash_token(&token);
        if req.method() == http::Method::GET {
            let now = domain::clock::now().on_site();
            match carts::count(&db, &key, now).await {
                Ok(n) => {
                    req.extensions_mut().insert(app::cart::CartCount(n));
                }
                Err(err) => tracing::warn!(%err, "could not count the cart"),
            }
        }
        req.extensions_mut().insert(CartKey(key));
    }
    Ok(next.run(req).await)
}

/// The poster's cart, made (with its cookie) if they have none: its id, and the
/// cookie to set on the answer when it is new.
pub(super) async fn cart_of(
    state: &AppState,
    parts: &Parts,
) -> Result<(i32, Option<HeaderValue>), store::StoreError> {
    let account = parts
        .extensions
        .get::<domain::Viewer>()
        .map(|v| v.account_id);
    let (token, fresh) = match token_of(&parts.headers) {
        Some(token) => (token, false),
        None => (auth::token::new_token().0, true),
    };
    let id = carts::open(
        &state.db,
        &auth::token::hash_token(&token),
        account,
        domain::clock::now().on_site(),
    )
    .await?;
    let cookie = fresh.then(|| {
        let secure = if state.public_url.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{CART_COOKIE}={token}; Path=/; Max-Age={THIRTY_DAYS}; HttpOnly; SameSite=Lax{secure}"
        ))
        .ok()
    });
    Ok((id, cookie.flatten()))
}

/// `answer` with the new cart's cookie, if there is one.
pub(super) fn with_cookie(mut answer: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(cookie) = cookie {
        answer.headers_mut().append(header::SET_COOKIE, cookie);
    }
    answer
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AddForm {
    /// The craft's slug.
    #[serde(default)]
    craft: String,
    #[serde(default)]
    quantity: String,
    /// The page the form is on (a listing), to draw again with a problem.
    #[serde(default)]
    from: String,
}

fn quantity_of(text: &str) -> Option<u32> {
    match text.trim() {
        "" => Some(1),
        t => t.parse().ok(),
    }
}

fn cart_problem(e: &CartError) -> Option<FieldError> {
    match e {
        CartError::NotForSale => Some(FieldError::NoLongerForSale),
        CartError::NotEnoughStock { left } => Some(FieldError::NotEnoughStock { left: *left }),
        CartError::TooMany { max } => Some(FieldError::CartTooMany { max: *max }),
        CartError::Store(_) => None,
    }
}

#[tracing::instrument(name = "add_to_cart", skip_all)]
pub async fn add(State(state): State<AppState>, post: FormPost<AddForm>) -> Answer {
    let from = domain::people::return_path::local_path(&post.form.from)
        .unwrap_or("/cart")
        .to_owned();
    let again = |problem: FieldError| echo_of(&post.form, [("quantity", problem)]);
    let Some(quantity) = quantity_of(&post.form.quantity).filter(|q| *q > 0) else {
        let echo = again(FieldError::NotAQuantity {
            max: domain::commerce::cart::MAX_QUANTITY,
        });
        return Err(redraw_from(
            &state,
            &post.parts,
            &from,
            echo,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    };
    let listing_id = carts::craft_id(&state.db, post.form.craft.trim())
        .await?
        .ok_or(Stop::NotFound)?;
    let (cart, cookie) = cart_of(&state, &post.parts).await?;
    match carts::add_craft(
        &state.db,
        cart,
        listing_id,
        quantity,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => Ok(with_cookie(see_other("/cart?done=added"), cookie)),
        Err(e) => match cart_problem(&e) {
            Some(problem) => {
                let echo = again(problem);
                let answer =
                    redraw_from(&state, &post.parts, &from, echo, StatusCode::CONFLICT).await;
                Err(Stop::Redrawn(Box::new(with_cookie(
                    answer.into_response(),
                    cookie,
                ))))
            }
            None => Err(Stop::failed(e)),
        },
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct QuantityForm {
    #[serde(default)]
    quantity: String,
}

#[tracing::instrument(name = "set_cart_quantity", skip_all, fields(listing = listing_id))]
pub async fn set_quantity(
    State(state): State<AppState>,
    Path(listing_id): Path<i32>,
    post: FormPost<QuantityForm>,
) -> Answer {
    let field = format!("quantity_{listing_id}");
    let again = |problem: FieldError| {
        FormEcho::new()
            .error(&field, problem)
            .value(&field, &post.form.quantity)
    };
    let Some(quantity) = quantity_of(&post.form.quantity) else {
        let echo = again(FieldError::NotAQuantity {
            max: domain::commerce::cart::MAX_QUANTITY,
        });
        return Err(redraw_from(
            &state,
            &post.parts,
            "/cart",
            echo,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await);
    };
    let Some(CartKey(hash)) = post.parts.extensions.get::<CartKey>().cloned() else {
        return Ok(see_other("/cart"));
    };
    let cart = match carts::find(&state.db, &hash).await {
        Ok(Some(cart)) => cart,
        Ok(None) => return Ok(see_other("/cart")),
        Err(err) => return Err(Stop::failed(err)),
    };
    match carts::set_quantity(
        &state.db,
        cart,
        listing_id,
        quantity,
        domain::clock::now().on_site(),
    )
    .await
    {
        Ok(()) => Ok(see_other("/cart")),
        Err(e) => match cart_problem(&e) {
            Some(problem) => Err(redraw_from(
                &state,
                &post.parts,
                "/cart",
                again(problem),
                StatusCode::CONFLICT,
            )
            .await),
            None => Err(Stop::failed(e)),
        },
    }
}

/// Page `at` drawn again around a refused cart form.
async fn redraw_from(
    state: &AppState,
    parts: &Parts,
    at: &str,
    echo: FormEcho,
    status: StatusCode,
) -> Stop {
    let uri = at;
    state.pages.redraw_at(parts, uri, echo, status).await
}

/// Takes a held booking out of the cart and lets its places go.
#[tracing::instrument(name = "remove_cart_booking", skip_all)]
pub async fn remove_booking(
    State(state): State<AppState>,
    Path(code): Path<String>,
    post: FormPost<QuantityForm>,
) -> Answer {
    let not_found = || Stop::NotFound;
    let Ok(code) = BookingCode::parse(&code) else {
        return Err(not_found());
    };
    let Some(CartKey(hash)) = post.parts.extensions.get::<CartKey>().cloned() else {
        return Err(not_found());
    };
    let at = domain::clock::now().on_site();
    let (cart, found) = match (
        carts::find(&state.db, &hash).await,
        store::booking::bookings::by_code(&state.db, &code, at).await,
    ) {
        (Ok(Some(cart)), Ok(Some(found))) => (cart, found),
        (Ok(_), Ok(_)) => return Err(not_found()),
        (Err(err), _) | (_, Err(err)) => return Err(Stop::failed(err)),
    };
    match carts::remove_booking(&state.db, cart, found.id).await {
        Ok(true) => {}
        Ok(false) => return Err(not_found()),
        Err(err) => return Err(Stop::failed(err)),
    }
    let account = post.account_id();
    match store::booking::bookings::cancel(&state.db, &found, account, at).await {
        Ok(_) => {
            state.bookings.offer_places(found.slot_id, at.naive()).await;
            Ok(see_other("/cart"))
        }
        Err(err) => {
            let echo = FormEcho::new().error(WHOLE_FORM, FieldError::BookingNotNow);
            tracing::warn!(%err, "cart booking not cancelled");
            Err(redraw_from(&state, &post.parts, "/cart", echo, StatusCode::CONFLICT).await)
        }
    }
}
