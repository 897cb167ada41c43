//! sea-orm entities, one per table, mirroring the migrations. Queries join by hand in
//! `catalog`, so the entities carry no relations.

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
