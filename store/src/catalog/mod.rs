//! The catalog: what visitors browse (`browse`), the listings producers write and
//! cooperatives approve (`listings`), their photos, and the ticket types a tour or
//! event is sold in (`tickets`).

pub mod browse;
pub mod listings;
pub mod photos;
pub mod sitemap;
pub mod tickets;
