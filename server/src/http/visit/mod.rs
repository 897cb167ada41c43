//! What every visitor does, signed in or not: the cart, checkout and the order's
//! payment, booking a slot and changing the booking, the community fund's votes.

pub mod booking;
pub mod cart;
pub mod checkout;
pub mod fund;
pub mod hourly_limits;
pub mod order;
pub mod order_links;
pub mod slot;
