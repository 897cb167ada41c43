//! The HTTP surface: one router for pages, server functions, media, built assets and
//! health, with language negotiation, compression, cache headers and sessions around it.

mod accounts;
mod bookings;
mod calendar_feed;
mod cart;
mod checkout;
mod cooperative;
mod dashboard;
pub mod endpoints;
mod finances;
mod forms;
mod fund;
mod health;
mod lang;
mod listing_photos;
mod members;
mod order_admin;
mod orders;
mod platform;
mod producer_profile;
mod router;
mod schedules;
mod sessions;
mod slots;
mod uploads;
mod viewer;
mod webhooks;

pub use cart::CART_COOKIE;
pub use checkout::order_page;
pub use router::{Site, router};
pub use sessions::{COOKIE as SESSION_COOKIE, sweep_expired_sessions};
