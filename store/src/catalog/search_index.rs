//! Keeps the search index (see the migration `m20261210_000015_search_index`) equal to
//! the published listings: each change of a listing rewrites its entry in the change's
//! own transaction, so what is published is found at once and what is withdrawn is
//! not; listings loaded in bulk (the demo, the bench's generator, a database migrated
//! from before the index) are indexed in batches by [`index_missing`].

use crate::entity::{community, cooperative, craft, cultural_event, listing, tour};
use crate::{StoreError, rows};
use domain::search::analysis::{Document, Field, ListingText, vocabulary};
use domain::search::plan::rank_key;
use domain::search::typo::deletion_variants;
use domain::{ListingKind, ListingStatus, LocalizedText};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeSet, HashMap};

/// The advisory lock PostgreSQL servers indexing at once take in turn ("search").
const INDEXING_LOCK: i64 = 0x7365_6172_6368;
/// Listings indexed per transaction by [`index_missing`].
const BATCH: u64 = 500;
/// Rows per multi-row INSERT (well under SQLite's limit of bound values).
const ROWS_PER_INSERT: usize = 1_000;

/// Rewrites `listing_id`'s entry: its current texts if it is published, none if not.
/// In the caller's transaction.
pub(crate) async fn reindex(db: &impl ConnectionTrait, listing_id: i32) -> Result<(), StoreError> {
    remove(db, &[listing_id]).await?;
    let entries = entries_of(db, vec![listing_id]).await?;
    write(db, &entries).await
}

/// Rewrites the entries of a cooperative's listings (after its name or story changed).
pub(crate) async fn reindex_cooperative(
    db: &impl ConnectionTrait,
    cooperative_id: i32,
) -> Result<(), StoreError> {
    let ids: Vec<i32> = listing::Entity::find()
        .select_only()
        .column(listing::Column::Id)
        .filter(listing::Column::CooperativeId.eq(cooperative_id))
        .into_tuple()
        .all(db)
        .await?;
    remove(db, &ids).await?;
    let entries = entries_of(db, ids).await?;
    write(db, &entries).await
}

/// Indexes the published listings that have no entry, a batch per transaction; how
/// many. Run when a server opens the database (a database from before the index, or
/// a crash between a bulk load and its indexing) and after the demo's bulk loads.
/// Servers starting at once take turns: each batch is read in the transaction that
/// writes it, which on PostgreSQL first takes an advisory lock (SQLite's write
/// transaction already excludes the others).
pub async fn index_missing(db: &DatabaseConnection) -> Result<usize, StoreError> {
    let mut done = 0;
    loop {
        let txn = crate::write_transaction(db).await?;
        if db.get_database_backend() == DbBackend::Postgres {
            txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({INDEXING_LOCK})"))
                .await?;
        }
        let missing: Vec<i32> = listing::Entity::find()
            .select_only()
            .column(listing::Column::Id)
            .filter(listing::Column::Status.eq(ListingStatus::Published.code()))
            .filter(
                listing::Column::Id.not_in_subquery(
                    Query::select()
                        .column(Alias::new("listing_id"))
                        .from(Alias::new("search_entry"))
                        .to_owned(),
                ),
            )
            .order_by_asc(listing::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(&txn)
            .await?;
        if missing.is_empty() {
            return Ok(done);
        }
        done += missing.len();
        let entries = entries_of(&txn, missing).await?;
        write(&txn, &entries).await?;
        txn.commit().await?;
    }
}

/// A published listing as the index holds it.
struct Entry {
    listing_id: i32,
    rank_key: i64,
    document: Document,
    /// Its words with their tokens (for typo tolerance).
    words: BTreeSet<(String, String)>,
}

/// The entries of the published listings among `ids`.
async fn entries_of(db: &impl ConnectionTrait, ids: Vec<i32>) -> Result<Vec<Entry>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = listing::Entity::find()
        .filter(listing::Column::Id.is_in(ids.clone()))
        .filter(listing::Column::Status.eq(ListingStatus::Published.code()))
        .find_also_related(cooperative::Entity)
        .find_also(cooperative::Entity, community::Entity)
        .all(db)
        .await?;
    // What else describes each listing, by kind; and when each event ends.
    let mut more: HashMap<i32, Vec<LocalizedText>> = HashMap::new();
    let mut event_ends: HashMap<i32, chrono::NaiveDateTime> = HashMap::new();
    for c in craft::Entity::find()
        .filter(craft::Column::ListingId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        let texts = vec![
            rows::text(&c.materials_es, &c.materials_en),
            rows::text(&c.technique_es, &c.technique_en),
        ];
        more.insert(c.listing_id, texts);
    }
    for t in tour::Entity::find()
        .filter(tour::Column::ListingId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        let texts = vec![rows::text(&t.meeting_point_es, &t.meeting_point_en)];
        more.insert(t.listing_id, texts);
    }
    for e in cultural_event::Entity::find()
        .filter(cultural_event::Column::ListingId.is_in(ids))
        .all(db)
        .await?
    {
        more.insert(e.listing_id, vec![rows::text(&e.venue_es, &e.venue_en)]);
        event_ends.insert(e.listing_id, e.ends_at);
    }
    let mut entries = Vec::with_capacity(found.len());
    for (l, coop, place) in found {
        let coop = coop.ok_or_else(|| rows::missing("cooperative", l.cooperative_id))?;
        let place = place.ok_or_else(|| rows::missing("community", coop.community_id))?;
        let kind = rows::kind(&l.kind)?;
        let (title, summary, description, story) = (
            rows::text(&l.title_es, &l.title_en),
            rows::text(&l.summary_es, &l.summary_en),
            rows::text(&l.description_es, &l.description_en),
            rows::text(&coop.story_es, &coop.story_en),
        );
        let where_from = format!("{} {} {}", place.name, place.municipality, place.state);
        let listing_text = ListingText {
            title: &title,
            summary: &summary,
            description: &description,
            more: more.get(&l.id).map_or(&[], Vec::as_slice),
            cooperative: &coop.name,
            cooperative_story: &story,
            place: &where_from,
        };
        let at = match kind {
            ListingKind::Event => *event_ends
                .get(&l.id)
                .ok_or_else(|| rows::missing("cultural_event", l.id))?,
            _ => l.created_at,
        };
        entries.push(Entry {
            listing_id: l.id,
            rank_key: rank_key(kind, l.id, at),
            document: Document::of(&listing_text),
            words: vocabulary(&listing_text),
        });
    }
    Ok(entries)
}

/// Deletes the entries of `ids` (those that have one).
async fn remove(db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let entry = Alias::new("search_entry");
    let of_these = Expr::col((entry.clone(), Alias::new("listing_id"))).is_in(ids.to_vec());
    if db.get_database_backend() == DbBackend::Sqlite {
        let keys = Query::select()
            .column(Alias::new("rank_key"))
            .from(entry.clone())
            .and_where(of_these.clone())
            .to_owned();
        db.execute(
            Query::delete()
                .from_table(Alias::new("search_fts"))
                .and_where(Expr::col(Alias::new("rowid")).in_subquery(keys)),
        )
        .await?;
    }
    let removed = db
        .execute(Query::delete().from_table(entry).and_where(of_these))
        .await?
        .rows_affected();
    count_entries(db, -i64::try_from(removed).unwrap_or(i64::MAX)).await
}

/// Adds `change` to the kept count of entries (`search_entry_count`, read by
/// [`entry_count`]), in the caller's transaction.
async fn count_entries(db: &impl ConnectionTrait, change: i64) -> Result<(), StoreError> {
    if change == 0 {
        return Ok(());
    }
    let entries = Alias::new("entries");
    db.execute(
        Query::update()
            .table(Alias::new("search_entry_count"))
            .value(entries.clone(), Expr::col(entries).add(change))
            .and_where(Expr::col(Alias::new("id")).eq(1)),
    )
    .await?;
    Ok(())
}

/// The kept count of entries as a query of one row (`entries`): how many listings can
/// be found, one entry per published listing, read in one row whatever their number.
/// The home page reads it as a subquery of its totals.
pub(crate) fn entry_count_query() -> SelectStatement {
    Query::select()
        .column(Alias::new("entries"))
        .from(Alias::new("search_entry_count"))
        .to_owned()
}

/// [`entry_count_query`]'s number.
pub async fn entry_count(db: &impl ConnectionTrait) -> Result<u64, StoreError> {
    let count = entry_count_query();
    let found = EntryCount::find_by_statement(db.get_database_backend().build(&count))
        .one(db)
        .await?;
    Ok(found.map_or(0, |c| u64::try_from(c.entries).unwrap_or(0)))
}

#[derive(FromQueryResult)]
struct EntryCount {
    entries: i64,
}

/// Writes `entries` (none of which has an entry now) and adds their tokens and words
/// to the vocabulary.
async fn write(db: &impl ConnectionTrait, entries: &[Entry]) -> Result<(), StoreError> {
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    for chunk in entries.chunks(ROWS_PER_INSERT / 4) {
        let mut insert = Query::insert();
        insert.into_table(Alias::new("search_entry"));
        if postgres {
            insert.columns(["listing_id", "rank_key", "terms"].map(Alias::new));
            for e in chunk {
                insert.values_panic([
                    e.listing_id.into(),
                    e.rank_key.into(),
                    Expr::val(tsvector(&e.document)).cast_as(Alias::new("tsvector")),
                ]);
            }
        } else {
            insert.columns(["listing_id", "rank_key"].map(Alias::new));
            for e in chunk {
                insert.values_panic([e.listing_id.into(), e.rank_key.into()]);
            }
        }
        db.execute(&insert).await?;
        if !postgres {
            let mut fts = Query::insert();
            fts.into_table(Alias::new("search_fts")).columns(
                std::iter::once("rowid")
                    .chain(Field::ALL.map(Field::code))
                    .map(Alias::new),
            );
            for e in chunk {
                let mut row: Vec<Expr> = vec![e.rank_key.into()];
                row.extend(Field::ALL.map(|f| Expr::val(joined(e.document.tokens(f)))));
                fts.values_panic(row);
            }
            db.execute(&fts).await?;
        }
    }

    count_entries(db, i64::try_from(entries.len()).unwrap_or(i64::MAX)).await?;

    let tokens: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.document.all_tokens())
        .collect();
    let words: BTreeSet<(String, &str, &str)> = entries
        .iter()
        .flat_map(|e| &e.words)
        .flat_map(|(word, token)| {
            deletion_variants(word)
                .into_iter()
                .map(move |v| (v, word.as_str(), token.as_str()))
        })
        .collect();
    let tokens: Vec<&str> = tokens.into_iter().collect();
    for chunk in tokens.chunks(ROWS_PER_INSERT) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_token"))
            .columns([Alias::new("token")])
            .on_conflict(
                OnConflict::column(Alias::new("token"))
                    .do_nothing()
                    .to_owned(),
            );
        for token in chunk {
            insert.values_panic([(*token).into()]);
        }
        db.execute(&insert).await?;
    }
    let words: Vec<_> = words.into_iter().collect();
    for chunk in words.chunks(ROWS_PER_INSERT / 3) {
        let columns = ["variant", "word", "token"].map(Alias::new);
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_word"))
            .columns(columns.clone())
            .on_conflict(OnConflict::columns(columns).do_nothing().to_owned());
        for (variant, word, token) in chunk {
            insert.values_panic([variant.as_str().into(), (*word).into(), (*token).into()]);
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Tokens as one FTS5 column's text.
fn joined<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    tokens.collect::<Vec<_>>().join(" ")
}

/// A document as PostgreSQL's `tsvector` literal: each token once for each field it
/// is in, as a lexeme naming the field (`'A.tapet' 'C.tapet'`), so the GIN index alone
/// answers a tier's query. Weights (`'tapet':1A,3C`) kept one lexeme a token, but the
/// index does not hold them: every listing with the words was read and its terms
/// unpacked to check their fields (30 ms for a three-word search at 100,000 listings).
fn tsvector(document: &Document) -> String {
    let lexemes: BTreeSet<String> = Field::ALL
        .into_iter()
        .flat_map(|field| document.tokens(field).map(move |t| lexeme(field, t)))
        .collect();
    lexemes
        .iter()
        .map(|l| quoted(l))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `token` in `field`, as the index's lexeme on PostgreSQL.
pub(crate) fn lexeme(field: Field, token: &str) -> String {
    format!("{}.{token}", field.label())
}

/// A token as a lexeme in PostgreSQL's `tsvector` and `tsquery` syntax.
pub(crate) fn quoted(token: &str) -> String {
    format!("'{}'", token.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_written_as_a_tsvector_of_each_field_s_tokens() {
        let title = LocalizedText {
            es: Some("Tapete de lana".into()),
            en: Some("Wool rug".into()),
        };
        let empty = LocalizedText::default();
        let doc = Document::of(&ListingText {
            title: &title,
            summary: &title,
            description: &empty,
            more: &[],
            cooperative: "O'Higgins",
            cooperative_story: &empty,
            place: "",
        });
        let v = tsvector(&doc);
        for lexeme in [
            "'A.tapet'",
            "'C.tapet'",
            "'B.rug'",
            "'C.rug'",
            "'D.higgins'",
        ] {
            assert!(v.contains(lexeme), "{lexeme} in {v}");
        }
        assert!(!v.contains("'B.tapet'"), "{v}");
    }

    #[test]
    fn quotes_in_a_token_are_escaped() {
        assert_eq!(quoted("o'a\\b"), "'o''a\\\\b'");
    }
}
