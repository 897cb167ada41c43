//! `/coop/{slug}/…`: a cooperative admin's forms: approving listings, members, the
//! public profile, finances and shipping rates.

pub mod finances;
pub mod listings;
pub mod members;
pub mod profile;
pub mod shipping;

use crate::http::answer::Stop;
use crate::http::forms::FormPost;
use app::forms::Refusal;
use domain::people::access::Membership;

/// The cooperative `slug` if the poster administers it; else the answer: sign in
/// first, or refused.
pub(super) fn administered<T>(post: &FormPost<T>, slug: &str) -> Result<(i32, Membership), Stop> {
    let viewer = post.viewer()?;
    viewer
        .administration_of(slug)
        .map(|m| (viewer.account_id, m.clone()))
        .ok_or_else(|| post.refuse(Refusal::NotAllowed))
}
