//! The account forms: signing up, in and out, verifying an email, resetting a
//! password, accepting an invitation. The pages are `app::pages::account`; each form
//! posts back to its own page's address and is handled by the module of its name.

pub mod invitation;
pub mod overview;
pub mod password;
pub mod sign_in;
pub mod sign_up;
pub mod verify_email;

use crate::http::answer::Stop;
use tower_sessions::Session;

/// Remembers the sign-in in a session with a new id: an id somebody planted in the
/// browser before (session fixation) never becomes a signed-in session.
pub(super) async fn start_session(
    session: &Session,
    auth: &auth::session::SessionAuth,
) -> Result<(), Stop> {
    session.cycle_id().await?;
    session.insert(auth::session::KEY, auth).await?;
    Ok(())
}
