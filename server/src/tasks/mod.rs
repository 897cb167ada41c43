//! Work that runs on a timer: holds that ran out and waiting lists (`bookings`),
//! payments past their deadline asked about and fund votes counted (`reconcile`),
//! payouts left sending (`payouts`), renditions older photos lack (`photos`, once at
//! start, in this server's own media folder). Every server runs the timers, and each
//! round is claimed first (`claims`): whichever server claims it does it, the others
//! skip it; one that dies mid-round leaves it to another once its lease runs out.
//! The moves themselves are conditional UPDATEs too, so even a round done twice (one
//! that outlasted its lease) moves nothing twice.

pub mod bookings;
pub mod claims;
pub mod payouts;
pub mod photos;
pub mod reconcile;
