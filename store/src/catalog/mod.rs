//! The catalog: what visitors browse (`browse`) and search (`search`, over the index
//! `search_index` keeps), the listings producers write and cooperatives approve
//! (`listings`), their photos, and the ticket types a tour or event is sold in
//! (`tickets`).

pub mod browse;
pub mod listings;
pub mod photos;
pub(crate) mod search;
pub mod search_index;
pub mod sitemap;
pub mod tickets;
