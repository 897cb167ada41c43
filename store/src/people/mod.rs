//! People: accounts and their tokens, who a signed-in person is (`access`), the
//! cooperatives' members, invitations and helpers, producers' profiles, and the
//! platform's communities and cooperatives.

pub mod access;
pub mod accounts;
pub mod members;
pub mod platform;
pub mod producers;
pub mod visitor_starts;
pub mod waiting_roles;
