//! Work that runs on a timer, in every server: holds that ran out and waiting lists
//! (`bookings`), payments past their deadline asked about and fund votes counted
//! (`reconcile`), payouts left sending (`payouts`). Each claims its rows through the
//! database, so any number of servers do it once.

pub mod bookings;
pub mod payouts;
pub mod reconcile;
