//! Commerce: the cart, the checkout form, orders and their parts (a state machine
//! each), payments and their provider's news, shipping.

pub mod cart;
pub mod checkout_form;
pub mod order;
pub mod order_view;
pub mod payment;
pub mod shipping;
