//! `/dashboard/…`: a producer's (or guide's, or their helper's) work: listings, their
//! photos and schedules, the producer profile, slots and their manifests, orders sold, earnings.

pub mod earnings;
pub mod listings;
pub mod manifest;
pub mod orders;
pub mod producer_profile;
pub mod schedule;
pub mod slots;
