//! `/order-links`'s form: the links of the newest orders placed with an address,
//! emailed to it again (a guest's email with the order's link may be lost). The
//! answer is the same whether or not the address has orders; the hourly limits
//! keep anyone from filling an inbox with it.

use crate::emails;
use crate::http::answer::{Answer, Stop};
use crate::http::client::ClientAddress;
use crate::http::emailed_order_link;
use crate::http::forms::{FormPost, see_other};
use crate::http::router::AppState;
use crate::http::visit::hourly_limits;
use app::forms::{FieldError, FormEcho, WHOLE_FORM};
use axum::extract::State;
use domain::people::hourly_limits::Started;
use http::StatusCode;
use serde::Deserialize;

/// How many orders the email lists, newest first.
const ORDERS_LISTED: u64 = 10;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EmailFields {
    email: String,
}

#[tracing::instrument(name = "send_order_links", skip_all)]
pub async fn send(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    post: FormPost<EmailFields>,
) -> Answer {
    let email = match domain::Email::parse(&post.form.email) {
        Ok(email) => email,
        Err(e) => {
            let echo = FormEcho::new()
                .value("email", &post.form.email)
                .error("email", FieldError::Email(e));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Err(state.pages.redraw(&post.parts, echo, status).await);
        }
    };
    if let Err(too_many) = hourly_limits::check(&state, Started::OrderLinks, &email, client).await?
    {
        let echo = FormEcho::new()
            .value("email", &post.form.email)
            .error(WHOLE_FORM, FieldError::HourlyLimit(too_many));
        let status = StatusCode::TOO_MANY_REQUESTS;
        let page = state.pages.redraw(&post.parts, echo, status).await;
        return Err(hourly_limits::try_again_later(page));
    }
    hourly_limits::record(&state, Started::OrderLinks, &email, client).await;
    let orders = store::commerce::orders::newest_of_email(&state.db, &email, ORDERS_LISTED)
        .await
        .map_err(Stop::failed)?;
    if !orders.is_empty() {
        let mut keys = Vec::new();
        let mut listed = Vec::new();
        for order in orders {
            let (link, key) = emailed_order_link(&state.public_url, order.id, &order.code);
            keys.push(key);
            listed.push((order, link));
        }
        let mut letter = emails::orders::links_again(email, post.lang(), &listed);
        letter.opens = keys;
        store::outbox::queue(&state.db, &letter, domain::clock::now())
            .await
            .map_err(Stop::failed)?;
    }
    Ok(see_other("/order-links?sent=1"))
}
