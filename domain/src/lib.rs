//! Tianguis business types and rules.
//!
//! Everything here is plain data and pure functions: no HTTP, no database, no Leptos.
//! The server, the store and the pages all speak these types, and the wasm build can
//! use them too.

// Amounts are written pesos_centavos (`150_00` is $150.00 MXN), the way they read.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod access;
pub mod account;
pub mod booking;
pub mod booking_code;
pub mod booking_form;
pub mod booking_view;
pub mod cart;
pub mod catalog;
pub mod checkout_form;
pub mod dates;
pub mod filter;
pub mod finance_forms;
pub mod finances;
pub mod fund;
pub mod ical;
pub mod lang;
pub mod ledger;
pub mod listing_form;
pub mod members;
pub mod moderation;
pub mod money;
pub mod order;
pub mod order_view;
pub mod payment;
pub mod payout;
pub mod photo;
pub mod platform;
pub mod producer_profile;
pub mod receipt;
pub mod schedule;
pub mod schedule_form;
pub mod search;
pub mod shipping;
pub mod slot;
pub mod slug;
pub mod split;

pub use access::{Acting, Viewer};
pub use account::{
    Email, EmailError, MemberRole, NewPassword, PasswordError, PersonName, PersonNameError,
};
pub use catalog::{Category, ListingKind};
pub use filter::{CatalogFilter, FilterError};
pub use lang::{Lang, LocalizedText, Shown};
pub use moderation::{ListingAction, ListingStatus, TransitionError};
pub use money::{Currency, Money, MoneyError};
pub use slug::{Slug, SlugError};

/// Local time in the communities. Central Mexico has kept UTC−6 all year since
/// daylight saving time was abolished in 2022, and every demo community but the
/// Yucatán ones (also UTC−6 in practice) uses it. Times of tours and events are
/// stored and shown in this local time.
pub fn local_time_in_mexico(utc: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    utc.naive_utc() - chrono::Duration::hours(6)
}

/// The instant of a [`local_time_in_mexico`] reading.
pub fn utc_of_mexico_local(local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    (local + chrono::Duration::hours(6)).and_utc()
}
