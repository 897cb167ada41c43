//! Small conversions from rows to domain values, with a clear error when a stored
//! code is unknown.

use crate::StoreError;
use domain::{Category, ListingKind, LocalizedText, Slug, catalog::ProducerRole};

pub fn text(es: &Option<String>, en: &Option<String>) -> LocalizedText {
    LocalizedText {
        es: es.clone(),
        en: en.clone(),
    }
}

pub fn kind(value: &str) -> Result<ListingKind, StoreError> {
    ListingKind::parse(value).ok_or_else(|| bad("listing", "kind", value))
}

pub fn category(value: &str) -> Result<Category, StoreError> {
    Category::parse(value).ok_or_else(|| bad("listing", "category", value))
}

pub fn role(value: &str) -> Result<ProducerRole, StoreError> {
    ProducerRole::parse(value).ok_or_else(|| bad("producer", "role", value))
}

pub fn slug(table: &'static str, value: &str) -> Result<Slug, StoreError> {
    Slug::parse(value).map_err(|_| bad(table, "slug", value))
}

/// Splits a comma-separated list of codes.
pub fn codes(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(crate) fn bad(table: &'static str, column: &'static str, value: &str) -> StoreError {
    StoreError::BadValue {
        table,
        column,
        value: value.to_owned(),
    }
}

/// A row that another row points at is not there.
pub(crate) fn missing(table: &'static str, id: i32) -> StoreError {
    StoreError::BadValue {
        table,
        column: "id",
        value: format!("{id} (referenced but missing)"),
    }
}

/// What a link's secret is compared by: its SHA-256, in hex (as `auth::token` keeps
/// the secrets of bookings).
pub fn key_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
