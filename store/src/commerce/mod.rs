//! Commerce: carts, checkout into an order, the order's life and its parts, payments
//! and their provider's news, refunds, and cooperatives' shipping rates.

pub mod carts;
pub mod checkout;
pub mod orders;
pub mod payments;
pub mod refunds;
pub mod shipping_rates;
pub mod simulated_payments;
