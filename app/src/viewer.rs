//! Who is looking at the page. The server's `viewer` middleware loads the signed-in
//! person, if any, into the request; pages and their server functions read it here.
//! Pages decide what to show with it, but every change is also checked again where it
//! is made (the server's form handlers), never only hidden in the page.

pub use domain::Viewer;

/// The signed-in person, or `None` for an anonymous visitor.
pub fn use_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Viewer>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    None
}
