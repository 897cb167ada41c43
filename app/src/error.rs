//! What can go wrong loading a page, as the visitor sees it. Internal details never
//! leave the server: they are logged there, and the page says "something went wrong".

use domain::FilterError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    /// The page is for signed-in people: the visitor is sent to sign in first.
    #[error("sign-in required")]
    SignInRequired,
    /// Signed in, but this page is not theirs to see.
    #[error("forbidden")]
    Forbidden,
    #[error("bad filter: {0}")]
    BadFilter(FilterError),
    #[error("internal error")]
    Internal,
}

impl PageError {
    pub fn status(&self) -> u16 {
        match self {
            PageError::NotFound => 404,
            PageError::SignInRequired => 303,
            PageError::Forbidden => 403,
            PageError::BadFilter(_) => 400,
            PageError::Internal => 500,
        }
    }

    /// Logs what really happened and returns the error the visitor may see.
    #[cfg(feature = "ssr")]
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "page failed");
        PageError::Internal
    }
}

impl FromServerFnError for PageError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::error!(error = %value, "server function failed");
        let _ = value;
        PageError::Internal
    }
}

/// The database handle and the local time, for server functions.
#[cfg(feature = "ssr")]
pub mod ssr {
    use super::PageError;
    use leptos::prelude::use_context;
    use store::DatabaseConnection;

    pub fn db() -> Result<DatabaseConnection, PageError> {
        use_context::<DatabaseConnection>()
            .ok_or_else(|| PageError::internal("no database in context"))
    }

    /// The signed-in person, or the error that sends an anonymous visitor to sign in.
    pub fn signed_in() -> Result<domain::Viewer, PageError> {
        crate::viewer::use_viewer().ok_or_else(|| denied(PageError::SignInRequired))
    }

    /// Marks the response of a refusing server function 401 (sign in first) or 403,
    /// so that a caller of its `/api` address sees a refusal, not a failure. (A page
    /// drawing the error sets its own status, or redirects, after this.)
    pub fn denied(error: PageError) -> PageError {
        let status = match error {
            PageError::SignInRequired => http::StatusCode::UNAUTHORIZED,
            _ => http::StatusCode::FORBIDDEN,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
        error
    }
}
