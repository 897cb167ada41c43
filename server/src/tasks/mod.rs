//! Work that runs on a timer, in every server: holds that ran out and waiting lists
//! (`bookings`), payments past their deadline asked about and fund votes counted
//! (`reconcile`), payouts left sending (`payouts`), renditions older photos lack
//! (`photos`, once at start). Every server runs them; the moves
//! they make are conditional UPDATEs, so a second server finds nothing left to move.
//! (Emails are not claimed yet: issue 22.)

pub mod bookings;
pub mod payouts;
pub mod photos;
pub mod reconcile;
