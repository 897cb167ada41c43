//! People: accounts and who a signed-in person is (`access`: the `Viewer` every
//! permission is asked of), cooperatives' members, producers' profiles, the platform.

pub mod access;
pub mod account;
pub mod hourly_limits;
pub mod members;
pub mod platform;
pub mod producer_profile;
pub mod return_path;
pub mod sign_in_gate;
