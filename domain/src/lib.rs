//! Tianguis business types and rules.
//!
//! Everything here is plain data and pure functions: no HTTP, no database, no Leptos.
//! The server, the store and the pages all speak these types, and the wasm build can
//! use them too.

pub mod catalog;
pub mod filter;
pub mod lang;
pub mod money;
pub mod search;
pub mod slug;

pub use catalog::{Category, ListingKind};
pub use filter::{CatalogFilter, FilterError};
pub use lang::{Lang, LocalizedText, Shown};
pub use money::{Currency, Money, MoneyError};
pub use slug::{Slug, SlugError};
