//! Accounts as the server handles them: how passwords are hashed and checked, how
//! one-time tokens for emailed links are made, and the flows that use them.
//! Server-only, with no HTTP: the pages and the CLI call these.

pub mod admin;
pub mod emails;
pub mod flows;
pub mod password;
pub mod session;
pub mod token;
