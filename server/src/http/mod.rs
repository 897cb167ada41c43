//! The HTTP surface: one router for pages, server functions, media, built assets and
//! health, with language negotiation, compression and cache headers around it.

mod health;
mod lang;
mod router;

pub use router::router;
