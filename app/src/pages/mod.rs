//! One module per page; each holds the server function that loads its data.

pub mod account;
pub mod admin;
pub mod catalog;
pub mod community;
pub mod coop;
pub mod cooperatives;
pub mod dashboard;
pub mod home;
pub mod listing;
pub mod not_found;
