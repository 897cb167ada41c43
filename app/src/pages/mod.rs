//! One module per page; each holds the server function that loads its data.

pub mod account;
pub mod admin;
pub mod booking;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod community;
pub mod coop;
pub mod coop_members;
pub mod coop_profile;
pub mod cooperatives;
pub mod dashboard;
pub mod home;
pub mod invitation;
pub mod listing;
pub mod manifest;
pub mod my_slots;
pub mod not_found;
pub mod order;
pub mod platform;
pub mod producer_profile;
pub mod schedule;
pub mod shipping;
pub mod slot;
pub mod sold_orders;
