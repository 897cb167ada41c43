//! Loading who a signed-in person is: their account, memberships and helper grants,
//! as a `domain::Viewer` the permission rules work on.

use crate::StoreError;
use crate::entity::{account, cooperative, helper_grant, membership, producer};
use domain::people::access::{HelpGrant, Membership, Viewer};
use domain::{Lang, MemberRole, Slug};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The viewer for `account_id` and the account's password hash (sessions remember a
/// fingerprint of it, so a new password ends every older session). `None` when the
/// account no longer exists.
pub async fn viewer(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<Option<(Viewer, String)>, StoreError> {
    let Some(row) = account::Entity::find_by_id(account_id).one(db).await? else {
        return Ok(None);
    };
    let memberships = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .find_also_related(cooperative::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(m, coop)| coop.map(|c| (m, c)))
        .map(|(m, coop)| {
            Ok(Membership {
                cooperative_id: coop.id,
                cooperative_slug: Slug::parse(&coop.slug)
                    .map_err(|_| bad("cooperative", "slug", &coop.slug))?,
                cooperative_name: coop.name,
                role: MemberRole::parse(&m.role)
                    .ok_or_else(|| bad("membership", "role", &m.role))?,
                producer_id: m.producer_id,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let helps = helper_grant::Entity::find()
        .filter(helper_grant::Column::HelperAccountId.eq(account_id))
        .find_also_related(producer::Entity)
        .order_by_asc(helper_grant::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(_, p)| p)
        .map(|p| HelpGrant {
            producer_id: p.id,
            producer_name: p.name,
            cooperative_id: p.cooperative_id,
        })
        .collect();
    let viewer = Viewer {
        account_id: row.id,
        name: row.name,
        email: row.email,
        lang: Lang::parse(&row.lang).ok_or_else(|| bad("account", "lang", &row.lang))?,
        email_verified: row.email_verified_at.is_some(),
        platform_admin: row.platform_admin,
        memberships,
        helps,
    };
    Ok(Some((viewer, row.password_hash)))
}

fn bad(table: &'static str, column: &'static str, value: &str) -> StoreError {
    StoreError::BadValue {
        table,
        column,
        value: value.to_owned(),
    }
}
