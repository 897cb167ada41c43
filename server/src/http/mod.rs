//! The HTTP surface: one router for pages, server functions, media, built assets and
//! health, with language negotiation, compression, cache headers and sessions around it.

// Forms, by the part of the site their page is in (see `app::pages`).
mod account;
mod admin;
mod coop;
mod dashboard;
mod visit;

// What every handler shares.
mod answer;
mod client;
mod crawlers;
pub mod endpoints;
mod forms;
mod headers;
mod health;
mod lang;
mod media;
mod query_count;
mod router;
mod sessions;
mod unread_body;
mod uploads;
mod viewer;
mod webhooks;

pub use router::{Site, router};
pub use sessions::{COOKIE as SESSION_COOKIE, sweep_expired_sessions};
pub use visit::cart::CART_COOKIE;
pub use visit::checkout::{emailed_order_link, order_page};
