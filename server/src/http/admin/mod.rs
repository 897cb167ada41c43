//! `/admin/…`: the platform admin's forms.

pub mod platform;
