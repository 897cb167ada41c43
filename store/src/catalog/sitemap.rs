//! What the sitemap lists: the path of every public page, the listings a file at a
//! time (a sitemap file holds at most 50,000 addresses; each listing gives two, one
//! per language).

use crate::StoreError;
use crate::entity::{community, cooperative, listing};
use domain::catalog::ListingKind;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

/// Listings in one sitemap file.
pub const LISTINGS_PER_FILE: u64 = 5_000;

const PUBLISHED: &str = domain::ListingStatus::Published.code();

/// The public pages that are not listings: home, the catalogs, the footer's pages,
/// the cooperatives and each one, each community and its fund.
pub async fn pages(db: &impl ConnectionTrait) -> Result<Vec<String>, StoreError> {
    let mut paths = vec!["/".to_owned(), "/cooperatives".to_owned()];
    paths.extend(ListingKind::ALL.iter().map(|k| k.path().to_owned()));
    paths.extend(
        domain::site::InfoPage::ALL
            .iter()
            .map(|p| p.path().to_owned()),
    );
    let coops: Vec<String> = cooperative::Entity::find()
        .select_only()
        .column(cooperative::Column::Slug)
        .order_by_asc(cooperative::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    paths.extend(coops.into_iter().map(|s| format!("/cooperatives/{s}")));
    let communities: Vec<String> = community::Entity::find()
        .select_only()
        .column(community::Column::Slug)
        .order_by_asc(community::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    for slug in communities {
        paths.push(format!("/communities/{slug}"));
        paths.push(format!("/communities/{slug}/fund"));
    }
    Ok(paths)
}

/// How many files the published listings take.
pub async fn listing_files(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    let count = listing::Entity::find()
        .filter(listing::Column::Status.eq(PUBLISHED))
        .count(db)
        .await?;
    Ok(count.div_ceil(LISTINGS_PER_FILE))
}

/// The paths of file `n`'s published listings (by id).
pub async fn listings(db: &impl ConnectionTrait, n: u64) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String, String)> = listing::Entity::find()
        .select_only()
        .column(listing::Column::Kind)
        .column(listing::Column::Slug)
        .filter(listing::Column::Status.eq(PUBLISHED))
        .order_by_asc(listing::Column::Id)
        .offset(n.saturating_mul(LISTINGS_PER_FILE))
        .limit(LISTINGS_PER_FILE)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(kind, slug)| Some(format!("{}/{slug}", ListingKind::parse(&kind)?.path())))
        .collect())
}
