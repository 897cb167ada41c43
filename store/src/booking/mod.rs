//! Booking: the dated slots of tours and events (`slots`, made from each listing's
//! schedule by `schedules`), holding and confirming places (`bookings`), waiting
//! lists, and guides' calendar feeds.

pub mod bookings;
pub mod calendar_feeds;
pub mod schedules;
pub mod slots;
pub mod waitlist;
