//! `/coop/{slug}/…`: a cooperative admin's pages: the listings to approve, members,
//! the public profile, finances and shipping rates.

pub mod finances;
pub mod listings;
pub mod members;
pub mod profile;
pub mod shipping;
