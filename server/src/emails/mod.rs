//! The wording of the emails the server writes about bookings and orders, in the
//! reader's language (queued with their change through `store::outbox`).

pub mod bookings;
pub mod orders;
