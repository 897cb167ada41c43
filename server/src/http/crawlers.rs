//! What search engines and browsers ask every site for by name: `/robots.txt` (the
//! public pages may be crawled; accounts, dashboards, carts, orders and bookings may
//! not) and `/favicon.ico` (the SVG icon is the site's one icon).

use axum::response::{IntoResponse, Redirect, Response};
use http::header;

/// The paths no crawler has business in: they are a person's own, or forms.
const PRIVATE: &[&str] = &[
    "/account",
    "/admin",
    "/api/",
    "/bookings/",
    "/calendar/",
    "/cart",
    "/checkout",
    "/coop/",
    "/dashboard",
    "/forgot-password",
    "/invitations/",
    "/order-links",
    "/orders/",
    "/reset-password",
    "/sign-in",
    "/sign-up",
    "/verify-email",
];

pub async fn robots() -> Response {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in PRIVATE {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        text,
    )
        .into_response()
}

/// Browsers ask for `/favicon.ico` on their own: the SVG icon answers.
pub async fn favicon() -> Redirect {
    Redirect::permanent("/favicon.svg")
}
