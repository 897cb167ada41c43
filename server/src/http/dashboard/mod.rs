//! `/dashboard/…`: a producer's, guide's or helper's forms: listings, their photos and
//! schedules, the producer profile, a slot's manifest, orders sold; and the calendar feed.

pub mod calendar_feed;
pub mod listings;
pub mod manifest;
pub mod orders;
pub mod photos;
pub mod producer_profile;
pub mod schedule;
