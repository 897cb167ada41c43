//! Loads the signed-in person, if any, into each request as a `domain::Viewer`, for
//! the pages (`app::viewer`) and the form handlers alike. A request without a session
//! cookie costs nothing here: tower-sessions reads the store only for a cookie.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use store::DatabaseConnection;
use tower_sessions::Session;

use auth::session::{KEY, SessionAuth};

pub async fn load_viewer(
    State(db): State<DatabaseConnection>,
    mut req: Request,
    next: Next,
) -> Response {
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return next.run(req).await;
    };
    let signed_in = match session.get::<SessionAuth>(KEY).await {
        Ok(signed_in) => signed_in,
        Err(err) => {
            // A record that no longer reads (say, an older format) signs out.
            tracing::warn!(%err, "unreadable session");
            let _ = session.flush().await;
            None
        }
    };
    if let Some(auth) = signed_in {
        match store::people::access::viewer(&db, auth.account_id).await {
            Ok(Some((viewer, password_hash))) if auth.is_current(&password_hash) => {
                req.extensions_mut().insert(viewer);
            }
            // The account is gone, or its password changed since this sign-in.
            Ok(_) => {
                let _ = session.flush().await;
            }
            Err(err) => {
                tracing::error!(%err, "could not load the signed-in account");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    next.run(req).await
}
