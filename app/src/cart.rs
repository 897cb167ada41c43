//! Which cart is the visitor's: the server's cart middleware puts the hash of the
//! cart cookie's secret into the request; pages and their server functions read it
//! here. A visitor who never added anything has no cart (and no cookie).

/// The SHA-256 of the visitor's cart cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartKey(pub String);

/// The visitor's cart key, if they have a cart.
#[cfg(feature = "ssr")]
pub fn use_cart_key() -> Option<CartKey> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CartKey>().cloned())
}
