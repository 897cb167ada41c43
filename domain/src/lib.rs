//! Tianguis business types and rules.
//!
//! Everything here is plain data and pure functions: no HTTP, no database, no Leptos.
//! The server, the store and the pages all speak these types, and the wasm build can
//! use them too.
//!
//! One folder per context — `people`, `catalog`, `booking`, `commerce`, `money` — whose
//! `mod.rs` holds the context's own vocabulary (`ListingKind`, `BookingStatus`, `Money`)
//! and names its modules; `lang`, `slug` and `dates` are shared by all. No import
//! circle crosses two contexts (`scripts/check-contexts.py`, run by `make lint`).

// Amounts are written pesos_centavos (`150_00` is $150.00 MXN), the way they read.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod booking;
pub mod catalog;
pub mod clock;
pub mod commerce;
pub mod dates;
pub mod field;
pub mod lang;
pub mod money;
pub mod people;
pub mod search;
pub mod site;
pub mod slug;

pub use catalog::filter::{CatalogFilter, FilterError};
pub use catalog::moderation::{ListingAction, ListingStatus, TransitionError};
pub use catalog::{Category, ListingKind};
pub use lang::{Lang, LocalizedText, Shown};
pub use money::{Currency, Money, MoneyError};
pub use people::access::{Acting, Viewer};
pub use people::account::{
    Email, EmailError, MemberRole, NewPassword, PasswordError, PersonName, PersonNameError,
};
pub use slug::{Slug, SlugError};
