//! Pieces that several pages share.

pub mod calendar;
pub mod card;
pub mod errors;
pub mod gallery;
pub mod layout;
pub mod load;
pub mod pager;
pub mod photo;
pub mod seo;
pub mod structured;
pub mod table;
pub mod text;
pub mod transparency;
