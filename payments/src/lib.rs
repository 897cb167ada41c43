//! Payments: the providers behind one interface ([`Provider`]: Stripe through
//! async-stripe, or the simulated one of the demo), Stripe's webhook signatures, and
//! the service the server calls ([`Payments`]), which reads each payment's current
//! state from its provider and lets the store settle the order. Server-only.

pub mod connect;
pub mod provider;
pub mod service;
pub mod signature;
pub mod simulated;
pub mod stripe;

pub use provider::{Provider, ProviderError};
pub use service::{PaymentError, Payments, Reconciled};
