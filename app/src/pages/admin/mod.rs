//! `/admin/…`: the platform admin's pages: communities, cooperatives and admins, and the outbox.

pub mod outbox;
pub mod platform;
