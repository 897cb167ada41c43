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

/// How many things the visitor's cart holds (crafts by quantity, held bookings), as
/// the server counted them for this page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CartCount(pub u32);

/// The visitor's cart count for the header; 0 without a cart.
pub fn use_cart_count() -> u32 {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<CartCount>().copied())
            .map_or(0, |c| c.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        0
    }
}
