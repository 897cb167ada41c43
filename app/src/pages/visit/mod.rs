//! What every visitor sees, signed in or not: the catalog and search, listings, cooperatives and
//! communities, a slot and its booking, the cart, checkout and the order, the community fund,
//! and the footer's pages.

pub mod booking;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod community;
pub mod cooperatives;
pub mod fund;
pub mod home;
pub mod info;
pub mod listing;
pub mod order;
pub mod order_links;
pub mod search;
pub mod slot;
