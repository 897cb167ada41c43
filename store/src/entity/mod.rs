//! sea-orm entities, one per table, mirroring the migrations. Only the relations
//! that queries join on are declared.

pub mod account;
pub mod booking;
pub mod booking_event;
pub mod booking_line;
pub mod booking_rule;
pub mod community;
pub mod cooperative;
pub mod cooperative_event;
pub mod craft;
pub mod cultural_event;
pub mod email_token;
pub mod helper_grant;
pub mod invitation;
pub mod listing;
pub mod listing_event;
pub mod membership;
pub mod outbox_email;
pub mod photo;
pub mod producer;
pub mod schedule_rule;
pub mod session;
pub mod sign_in_failure;
pub mod slot_ticket;
pub mod ticket_type;
pub mod tour;
pub mod tour_slot;
pub mod waitlist_entry;
