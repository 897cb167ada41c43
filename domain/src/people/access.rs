//! Who is asking, and what they may do. Every permission the server checks before a
//! change or a private page is a method here, so the rules live in one place, read
//! as a table, and are tested without HTTP. The server loads a [`Viewer`] for each
//! signed-in request; anonymous visitors have none.
//!
//! The roles (see `MemberRole`): a *producer* manages their own listings; a *helper*
//! manages the listings of the producers a cooperative admin entrusted to them; a
//! *cooperative admin* manages one cooperative's members, profile and approvals; a
//! *platform admin* creates communities and cooperatives and appoints cooperative
//! admins, and reads the email outbox, but does not run any cooperative's affairs
//! unless also its admin: cooperatives govern themselves.

use crate::{Lang, MemberRole, Slug};
use serde::{Deserialize, Serialize};

/// A signed-in person and everything they are to the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub account_id: i32,
    pub name: String,
    pub email: String,
    pub lang: Lang,
    pub email_verified: bool,
    pub platform_admin: bool,
    pub memberships: Vec<Membership>,
    /// Producers this person may act for as a helper.
    pub helps: Vec<HelpGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub cooperative_id: i32,
    pub cooperative_slug: Slug,
    pub cooperative_name: String,
    pub role: MemberRole,
    /// The member's public producer profile, for producers.
    pub producer_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpGrant {
    pub producer_id: i32,
    pub producer_name: String,
    pub cooperative_id: i32,
}

/// How a person acts on a producer's listings: as that producer, or as their helper
/// (the change then records both names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    Themselves { producer_id: i32 },
    OnBehalfOf { producer_id: i32 },
}

impl Acting {
    pub fn producer_id(self) -> i32 {
        match self {
            Acting::Themselves { producer_id } | Acting::OnBehalfOf { producer_id } => producer_id,
        }
    }

    /// The producer a helper acted for, to record next to the helper's own name.
    pub fn on_behalf_of(self) -> Option<i32> {
        match self {
            Acting::Themselves { .. } => None,
            Acting::OnBehalfOf { producer_id } => Some(producer_id),
        }
    }
}

impl Viewer {
    /// The producer profiles this person is, one per cooperative they sell through.
    pub fn own_producers(&self) -> impl Iterator<Item = &Membership> {
        self.memberships
            .iter()
            .filter(|m| m.role == MemberRole::Producer && m.producer_id.is_some())
    }

    /// Whether this person has anything to do on `/dashboard`.
    pub fn has_dashboard(&self) -> bool {
        self.own_producers().next().is_some() || !self.helps.is_empty()
    }

    /// The cooperatives this person administers.
    pub fn administered(&self) -> impl Iterator<Item = &Membership> {
        self.memberships
            .iter()
            .filter(|m| m.role == MemberRole::Admin)
    }

    /// May create, edit, submit, unpublish and delete the listings of `producer_id`.
    pub fn acting_for(&self, producer_id: i32) -> Option<Acting> {
        if self
            .own_producers()
            .any(|m| m.producer_id == Some(producer_id))
        {
            Some(Acting::Themselves { producer_id })
        } else if self.helps.iter().any(|h| h.producer_id == producer_id) {
            Some(Acting::OnBehalfOf { producer_id })
        } else {
            None
        }
    }

    /// The cooperative with this slug, if this person administers it: what every
    /// cooperative admin's page and change checks first.
    pub fn administration_of(&self, slug: &str) -> Option<&Membership> {
        self.administered()
            .find(|m| m.cooperative_slug.as_str() == slug)
    }

    /// May invite and remove members, grant helpers, approve or reject listings and
    /// edit the profile of cooperative `cooperative_id`.
    pub fn administers(&self, cooperative_id: i32) -> bool {
        self.administered()
            .any(|m| m.cooperative_id == cooperative_id)
    }

    /// May see who booked a listing's slots, check them in, close or call off a slot,
    /// and edit the listing's schedule: its producer, a helper entrusted with them,
    /// or an admin of its cooperative (who steps in when the guide cannot).
    pub fn runs_slots_of(&self, producer_id: Option<i32>, cooperative_id: i32) -> bool {
        producer_id.is_some_and(|p| self.acting_for(p).is_some())
            || self.administers(cooperative_id)
    }

    /// May create communities and cooperatives, appoint cooperative admins, and read
    /// the email outbox.
    pub fn runs_platform(&self) -> bool {
        self.platform_admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(cooperative_id: i32, role: MemberRole, producer_id: Option<i32>) -> Membership {
        Membership {
            cooperative_id,
            cooperative_slug: Slug::parse(&format!("coop-{cooperative_id}")).unwrap(),
            cooperative_name: format!("Coop {cooperative_id}"),
            role,
            producer_id,
        }
    }

    fn viewer(memberships: Vec<Membership>, helps: Vec<HelpGrant>) -> Viewer {
        Viewer {
            account_id: 1,
            name: "Ana".into(),
            email: "ana@example.mx".into(),
            lang: Lang::Es,
            email_verified: true,
            platform_admin: false,
            memberships,
            helps,
        }
    }

    #[test]
    fn a_producer_acts_for_their_own_profile_only() {
        let ana = viewer(vec![membership(1, MemberRole::Producer, Some(10))], vec![]);
        assert_eq!(
            ana.acting_for(10),
            Some(Acting::Themselves { producer_id: 10 })
        );
        assert_eq!(ana.acting_for(11), None);
        assert!(ana.has_dashboard());
        assert!(!ana.administers(1));
    }

    #[test]
    fn a_helper_acts_on_behalf_of_the_producers_entrusted_to_them() {
        let grant = HelpGrant {
            producer_id: 12,
            producer_name: "Don Pedro".into(),
            cooperative_id: 1,
        };
        let scout = viewer(vec![membership(1, MemberRole::Helper, None)], vec![grant]);
        let acting = scout.acting_for(12).unwrap();
        assert_eq!(acting, Acting::OnBehalfOf { producer_id: 12 });
        assert_eq!(acting.on_behalf_of(), Some(12));
        assert_eq!(scout.acting_for(10), None);
        assert!(scout.has_dashboard());
    }

    #[test]
    fn a_cooperative_admin_administers_their_cooperative_and_edits_no_listing() {
        let admin = viewer(vec![membership(1, MemberRole::Admin, None)], vec![]);
        assert!(admin.administers(1));
        assert!(!admin.administers(2));
        assert_eq!(admin.acting_for(10), None);
        assert!(!admin.has_dashboard());
    }

    #[test]
    fn a_slot_is_run_by_its_guide_their_helper_or_the_cooperative() {
        let guide = viewer(vec![membership(1, MemberRole::Producer, Some(10))], vec![]);
        assert!(guide.runs_slots_of(Some(10), 1));
        assert!(!guide.runs_slots_of(Some(11), 1));
        assert!(!guide.runs_slots_of(None, 1));
        let admin = viewer(vec![membership(1, MemberRole::Admin, None)], vec![]);
        assert!(admin.runs_slots_of(Some(10), 1));
        assert!(admin.runs_slots_of(None, 1));
        assert!(!admin.runs_slots_of(Some(10), 2));
        let grant = HelpGrant {
            producer_id: 10,
            producer_name: "Isaac".into(),
            cooperative_id: 1,
        };
        let helper = viewer(vec![membership(1, MemberRole::Helper, None)], vec![grant]);
        assert!(helper.runs_slots_of(Some(10), 1));
        let mut root = viewer(vec![], vec![]);
        root.platform_admin = true;
        assert!(!root.runs_slots_of(Some(10), 1));
    }

    #[test]
    fn a_platform_admin_does_not_run_a_cooperative_they_are_not_admin_of() {
        let mut root = viewer(vec![], vec![]);
        root.platform_admin = true;
        assert!(root.runs_platform());
        assert!(!root.administers(1));
        assert_eq!(root.acting_for(10), None);
    }
}
