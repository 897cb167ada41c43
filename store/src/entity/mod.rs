//! sea-orm entities, one per table, mirroring the migrations. Most queries join by
//! hand in `catalog`; only the relations those joins need are declared.

pub mod community;
pub mod cooperative;
pub mod craft;
pub mod cultural_event;
pub mod listing;
pub mod photo;
pub mod producer;
pub mod ticket_type;
pub mod tour;
pub mod tour_slot;
