//! Payouts to cooperatives, and the connected accounts they are paid into.
//!
//! ```text
//! by transfer:  sending ──all transfers sent──▶ paid
//!                  │ ▲
//!             fail │ │ retry (the same idempotency keys: nothing is sent twice)
//!                  ▼ │
//!                failed ──cancel──▶ cancelled (nothing was written to the ledger)
//!
//! cash / SPEI:  (recorded by the cooperative's admin) ──▶ paid
//! ```
//! The ledger's payout entry is written when the payout is paid: when the provider
//! confirmed every transfer, or when an admin recorded the cash or bank transfer.

use crate::commerce::order::codes;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutMethod {
    /// Through the provider to the cooperative's connected account.
    Transfer,
    Cash,
    /// A Mexican bank transfer.
    Spei,
}

codes!(PayoutMethod {
    Transfer => "transfer",
    Cash => "cash",
    Spei => "spei",
});

impl PayoutMethod {
    /// Recorded by a person, with a reference, rather than sent by the provider.
    pub fn is_manual(self) -> bool {
        !matches!(self, PayoutMethod::Transfer)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutStatus {
    Sending,
    Paid,
    Failed,
    Cancelled,
}

codes!(PayoutStatus {
    Sending => "sending",
    Paid => "paid",
    Failed => "failed",
    Cancelled => "cancelled",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayoutAction {
    /// Every transfer was confirmed by the provider.
    Sent,
    Fail,
    Retry,
    Cancel,
}

codes!(PayoutAction {
    Sent => "sent",
    Fail => "fail",
    Retry => "retry",
    Cancel => "cancel",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a payout that is {from:?} cannot be {action:?}")]
pub struct PayoutMoveError {
    pub from: PayoutStatus,
    pub action: PayoutAction,
}

impl PayoutStatus {
    pub fn after(self, action: PayoutAction) -> Result<PayoutStatus, PayoutMoveError> {
        use PayoutAction as A;
        use PayoutStatus as S;
        match (self, action) {
            (S::Sending, A::Sent) => Ok(S::Paid),
            (S::Sending, A::Fail) => Ok(S::Failed),
            // Stripe made every transfer after all (a timeout had hidden them).
            (S::Failed, A::Sent) => Ok(S::Paid),
            (S::Failed, A::Retry) => Ok(S::Sending),
            (S::Failed, A::Cancel) => Ok(S::Cancelled),
            (from, action) => Err(PayoutMoveError { from, action }),
        }
    }

    /// Still under way: a cooperative has at most one such payout at a time, so that
    /// the same balance is never sent twice.
    pub fn is_open(self) -> bool {
        matches!(self, PayoutStatus::Sending | PayoutStatus::Failed)
    }
}

/// Where a cooperative's connected account stands at the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectedStatus {
    /// Created; the cooperative has not finished the provider's onboarding.
    Onboarding,
    /// It can receive transfers.
    Enabled,
    /// The provider stopped it from receiving transfers (details missing).
    Restricted,
}

codes!(ConnectedStatus {
    Onboarding => "onboarding",
    Enabled => "enabled",
    Restricted => "restricted",
});

impl ConnectedStatus {
    pub fn can_receive(self) -> bool {
        self == ConnectedStatus::Enabled
    }

    /// What the provider's account says: enabled once its details are in and it can
    /// be paid; restricted when its details are in but it cannot (the provider wants
    /// more); onboarding before.
    pub fn of_account(details_submitted: bool, payouts_enabled: bool) -> ConnectedStatus {
        match (details_submitted, payouts_enabled) {
            (true, true) => ConnectedStatus::Enabled,
            (true, false) => ConnectedStatus::Restricted,
            (false, _) => ConnectedStatus::Onboarding,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_receives_transfers_only_once_onboarded_and_enabled() {
        assert_eq!(
            ConnectedStatus::of_account(false, false),
            ConnectedStatus::Onboarding
        );
        assert_eq!(
            ConnectedStatus::of_account(true, false),
            ConnectedStatus::Restricted
        );
        assert!(ConnectedStatus::of_account(true, true).can_receive());
        assert!(!ConnectedStatus::Restricted.can_receive());
    }

    #[test]
    fn a_failed_payout_is_retried_cancelled_or_found_paid_after_all() {
        let s = PayoutStatus::Sending;
        assert_eq!(s.after(PayoutAction::Fail), Ok(PayoutStatus::Failed));
        let f = PayoutStatus::Failed;
        assert_eq!(f.after(PayoutAction::Sent), Ok(PayoutStatus::Paid));
        assert!(PayoutStatus::Cancelled.after(PayoutAction::Sent).is_err());
        assert_eq!(f.after(PayoutAction::Retry), Ok(PayoutStatus::Sending));
        assert_eq!(f.after(PayoutAction::Cancel), Ok(PayoutStatus::Cancelled));
        assert!(PayoutStatus::Paid.after(PayoutAction::Retry).is_err());
        assert!(!PayoutStatus::Paid.is_open() && f.is_open());
    }
}
