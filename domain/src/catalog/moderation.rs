//! A listing's way to visitors: its producer (or their helper) writes it as a
//! draft and submits it; the cooperative approves it, and only then do visitors see
//! it, or rejects it with a reason the producer reads. Every move is an explicit
//! [`ListingAction`] checked by [`ListingStatus::after`] and recorded with who made it.
//!
//! ```text
//!            submit              approve
//!   draft ───────────▶ pending ───────────▶ published
//!     ▲  ▲               │  ▲                  │  │
//!     │  └── unpublish ──┘  └── edit (text) ───┘  │
//!     │                  │ reject                  │ reject (take down)
//!     │                  ▼                         │
//!     │   edit      rejected ◀─────────────────────┘
//!     │  ┌──────┐       │ submit (after changes)
//!     └──┴──────┘       └──────▶ pending
//!   any but deleted ── delete ──▶ deleted (kept, hidden: orders may point at it)
//! ```

use crate::{ListingKind, LocalizedText, Money, Slug};
use serde::{Deserialize, Serialize};

/// A listing in a producer's dashboard or a cooperative's approval queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkListing {
    pub id: i32,
    pub kind: ListingKind,
    pub slug: Slug,
    pub title: LocalizedText,
    pub summary: LocalizedText,
    pub status: ListingStatus,
    pub rejection_reason: Option<String>,
    pub price: Money,
    pub producer_id: Option<i32>,
    pub cooperative_id: i32,
    /// Its first photo, where the page shows it (the approval queue).
    pub cover: Option<crate::catalog::PhotoRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingStatus {
    Draft,
    /// Submitted, waiting for the cooperative.
    Pending,
    Published,
    Rejected,
    Deleted,
}

/// What someone does to a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListingAction {
    Create,
    /// Changes its texts, price, details or photos.
    Edit,
    /// Changes only its stock: a sale at the market does not need the cooperative.
    EditStock,
    Submit,
    Approve,
    Reject,
    Unpublish,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {} listing cannot be {}", from.code(), action.past_tense())]
pub struct TransitionError {
    pub from: ListingStatus,
    pub action: ListingAction,
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 5] = [
        ListingStatus::Draft,
        ListingStatus::Pending,
        ListingStatus::Published,
        ListingStatus::Rejected,
        ListingStatus::Deleted,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            ListingStatus::Draft => "draft",
            ListingStatus::Pending => "pending",
            ListingStatus::Published => "published",
            ListingStatus::Rejected => "rejected",
            ListingStatus::Deleted => "deleted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether visitors see it.
    pub fn is_public(self) -> bool {
        self == ListingStatus::Published
    }

    /// The status after `action`, or why it cannot be done now.
    pub fn after(self, action: ListingAction) -> Result<ListingStatus, TransitionError> {
        use ListingAction as A;
        use ListingStatus as S;
        let next = match (self, action) {
            (S::Deleted, _) => None,
            (_, A::Create) => None,
            (_, A::Delete) => Some(S::Deleted),
            (S::Draft | S::Rejected, A::Submit) => Some(S::Pending),
            (S::Pending, A::Approve) => Some(S::Published),
            (S::Pending | S::Published, A::Reject) => Some(S::Rejected),
            (S::Pending | S::Published, A::Unpublish) => Some(S::Draft),
            // Changed words or photos are seen by the cooperative before visitors.
            (S::Published, A::Edit) => Some(S::Pending),
            (status, A::Edit | A::EditStock) => Some(status),
            _ => None,
        };
        next.ok_or(TransitionError { from: self, action })
    }
}

impl ListingAction {
    pub fn code(self) -> &'static str {
        match self {
            ListingAction::Create => "created",
            ListingAction::Edit => "edited",
            ListingAction::EditStock => "stock_changed",
            ListingAction::Submit => "submitted",
            ListingAction::Approve => "approved",
            ListingAction::Reject => "rejected",
            ListingAction::Unpublish => "unpublished",
            ListingAction::Delete => "deleted",
        }
    }

    fn past_tense(self) -> &'static str {
        self.code()
    }

    /// Producers and their helpers do these; cooperative admins do the others.
    pub fn is_producers(self) -> bool {
        !matches!(self, ListingAction::Approve | ListingAction::Reject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ListingAction as A;
    use ListingStatus as S;

    #[test]
    fn a_listing_is_public_only_after_approval() {
        let submitted = S::Draft.after(A::Submit).unwrap();
        assert_eq!(submitted, S::Pending);
        assert!(!submitted.is_public());
        assert_eq!(submitted.after(A::Approve), Ok(S::Published));
        assert!(
            S::Draft.after(A::Approve).is_err(),
            "a draft is not approved"
        );
        assert!(
            S::Rejected.after(A::Approve).is_err(),
            "a rejected listing is resubmitted first"
        );
    }

    #[test]
    fn editing_a_published_listing_sends_it_back_for_approval_but_stock_does_not() {
        assert_eq!(S::Published.after(A::Edit), Ok(S::Pending));
        assert_eq!(S::Published.after(A::EditStock), Ok(S::Published));
        assert_eq!(S::Draft.after(A::Edit), Ok(S::Draft));
        assert_eq!(S::Rejected.after(A::Edit), Ok(S::Rejected));
    }

    #[test]
    fn rejected_listings_are_fixed_and_submitted_again() {
        assert_eq!(S::Pending.after(A::Reject), Ok(S::Rejected));
        assert_eq!(S::Published.after(A::Reject), Ok(S::Rejected));
        assert_eq!(S::Rejected.after(A::Submit), Ok(S::Pending));
    }

    #[test]
    fn unpublishing_goes_back_to_draft_and_deleted_is_final() {
        assert_eq!(S::Published.after(A::Unpublish), Ok(S::Draft));
        assert!(S::Draft.after(A::Unpublish).is_err());
        for status in S::ALL {
            if status != S::Deleted {
                assert_eq!(status.after(A::Delete), Ok(S::Deleted));
            }
        }
        for action in [A::Edit, A::Submit, A::Approve, A::Delete, A::Unpublish] {
            assert!(S::Deleted.after(action).is_err());
        }
    }

    #[test]
    fn codes_round_trip() {
        for status in S::ALL {
            assert_eq!(S::parse(status.code()), Some(status));
        }
        assert_eq!(S::parse("hidden"), None);
    }

    #[test]
    fn the_error_says_what_cannot_be_done() {
        let err = S::Draft.after(A::Approve).unwrap_err();
        assert_eq!(err.to_string(), "a draft listing cannot be approved");
    }
}
