//! The HTTP surface: one router for pages, server functions, media, built assets and
//! health, with language negotiation, compression, cache headers and sessions around it.

mod health;
mod lang;
mod router;
mod sessions;

pub use router::router;
pub use sessions::{COOKIE as SESSION_COOKIE, sessions, sweep_expired_sessions};
