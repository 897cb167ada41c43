//! What a search asks each database's engine: the query read against the index's
//! vocabulary (which words it knows; the neighbours of misspelt ones), and, for each
//! tier of relevance, the condition that finds that tier's listings in the order of
//! their rank keys — SQLite's FTS5 `MATCH` or PostgreSQL's `@@` on a `tsquery`.

use crate::StoreError;
use crate::catalog::search_index::lexeme;
use domain::search::analysis::{Field, forms, query_words, tiers};
use domain::search::plan::{Neighbour, SearchPlan, ascending, kind_range, plan};
use domain::search::suggest::variants_within_two;
use domain::search::typo::{deletion_variants, is_corrected};
use domain::{Lang, ListingKind};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};
use std::collections::HashSet;

/// Reads `query` against the index's vocabulary: one query for the tokens it knows,
/// and one more for the neighbours of the words it does not.
pub(crate) async fn read_query(
    db: &impl ConnectionTrait,
    query: &str,
) -> Result<SearchPlan, StoreError> {
    let words = query_words(query);
    if words.is_empty() {
        return Ok(SearchPlan::default());
    }
    let all_forms: Vec<String> = words.iter().flat_map(|w| forms(w)).collect();
    let known: HashSet<String> = Token::find_by_statement(
        db.get_database_backend().build(
            Query::select()
                .column(Alias::new("token"))
                .from(Alias::new("search_token"))
                .and_where(Expr::col(Alias::new("token")).is_in(all_forms)),
        ),
    )
    .all(db)
    .await?
    .into_iter()
    .map(|t| t.token)
    .collect();
    let unknown: Vec<String> = words
        .iter()
        .filter(|w| is_corrected(w) && !forms(w).iter().any(|f| known.contains(f)))
        .flat_map(|w| deletion_variants(w))
        .collect();
    let neighbours: Vec<Neighbour> = words_under(db, unknown)
        .await?
        .into_iter()
        .map(|n| Neighbour {
            word: n.word,
            token: n.token,
        })
        .collect();
    Ok(plan(&words, &known, &neighbours))
}

/// The indexed words up to two edits from any of `words` of five letters or more
/// (see `domain::search::suggest`): one query.
pub(crate) async fn close_words(
    db: &impl ConnectionTrait,
    words: &[String],
) -> Result<Vec<String>, StoreError> {
    let variants: Vec<String> = words
        .iter()
        .filter(|w| is_corrected(w))
        .flat_map(|w| variants_within_two(w))
        .collect();
    Ok(words_under(db, variants)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect())
}

/// The indexed words (with their tokens) kept under any of `variants`.
async fn words_under(
    db: &impl ConnectionTrait,
    variants: Vec<String>,
) -> Result<Vec<WordRow>, StoreError> {
    if variants.is_empty() {
        return Ok(Vec::new());
    }
    let query = Query::select()
        .distinct()
        .columns([Alias::new("word"), Alias::new("token")])
        .from(Alias::new("search_word"))
        .and_where(Expr::col(Alias::new("variant")).is_in(variants))
        .to_owned();
    Ok(
        WordRow::find_by_statement(db.get_database_backend().build(&query))
            .all(db)
            .await?,
    )
}

#[derive(FromQueryResult)]
struct Token {
    token: String,
}

#[derive(FromQueryResult)]
struct WordRow {
    word: String,
    token: String,
}

/// The listings of one tier of relevance, as conditions on a query of `listing`.
pub(crate) struct Tier {
    /// What the engine matches (an FTS5 query or a `tsquery`).
    matches: String,
}

/// The tiers of relevance of `plan` for a visitor reading `lang`: each holds the
/// listings that match every word in its fields and not in the tier before's.
pub(crate) fn tiers_of(plan: &SearchPlan, lang: Lang, backend: DbBackend) -> Vec<Tier> {
    let tiers = tiers(lang);
    let mut out: Vec<Tier> = Vec::with_capacity(tiers.len());
    let mut before: Option<String> = None;
    for fields in tiers {
        let all = engine_query(plan, fields, backend);
        let matches = match (&before, backend) {
            (None, _) => all.clone(),
            (Some(b), DbBackend::Postgres) => format!("({all}) & !({b})"),
            (Some(b), _) => format!("({all}) NOT ({b})"),
        };
        before = Some(all);
        out.push(Tier { matches });
    }
    out
}

/// The tiers of relevance of `plan` for a visitor reading `lang`, each with every
/// listing that matches in its fields, so each holds the one before (the fields of
/// `analysis::tiers` grow from tier to tier): for a first page, read with
/// [`first_of_tiers`], whose caller skips what an earlier tier gave. Each costs half of
/// a [`tiers_of`] tier, which the engine must also match against the tier before.
pub(crate) fn nested_tiers(plan: &SearchPlan, lang: Lang, backend: DbBackend) -> Vec<Tier> {
    tiers(lang)
        .into_iter()
        .map(|fields| Tier {
            matches: engine_query(plan, fields, backend),
        })
        .collect()
}

/// Every listing `plan` matches, in any field.
pub(crate) fn any_field(plan: &SearchPlan, backend: DbBackend) -> Tier {
    Tier {
        matches: engine_query(plan, &Field::ALL, backend),
    }
}

/// `plan` over `fields` in the query language of `backend`'s engine.
fn engine_query(plan: &SearchPlan, fields: &[Field], backend: DbBackend) -> String {
    match backend {
        DbBackend::Postgres => tsquery(plan, fields),
        _ => fts5_query(plan, fields),
    }
}

/// `plan` as an FTS5 query over `fields`: `{title_es title_en} : ("tapet" OR "tapete")
/// AND {…} : (…)`.
fn fts5_query(plan: &SearchPlan, fields: &[Field]) -> String {
    let columns = if fields.len() == Field::ALL.len() {
        String::new()
    } else {
        let names: Vec<&str> = fields.iter().map(|f| f.code()).collect();
        format!("{{{}}} : ", names.join(" "))
    };
    plan.terms
        .iter()
        .map(|alternatives| {
            let any: Vec<String> = alternatives
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
                .collect();
            format!("{columns}({})", any.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// `plan` as a PostgreSQL `tsquery` over `fields` (each word as any of its forms in any
/// of them): `('A.tapete' | 'A.tapet') & (…)`.
fn tsquery(plan: &SearchPlan, fields: &[Field]) -> String {
    plan.terms
        .iter()
        .map(|alternatives| {
            let any: Vec<String> = fields
                .iter()
                .flat_map(|f| alternatives.iter().map(move |t| lexeme(*f, t)))
                .map(|l| super::search_index::quoted(&l))
                .collect();
            format!("({})", any.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// Joins `query` (a query of `listing`) to the index: only `kind`'s listings that can
/// be shown at `now`, and of those, when `tier` is given, the ones it matches.
pub(crate) fn join_index(
    query: &mut SelectStatement,
    kind: ListingKind,
    now: chrono::NaiveDateTime,
    tier: Option<&Tier>,
    backend: DbBackend,
) {
    let (low, high) = kind_range(kind, now);
    match (tier, backend) {
        // SQLite's index's rowid is the rank key, whose low bits are the listing's id.
        (Some(tier), DbBackend::Sqlite) => {
            query
                .inner_join(
                    Alias::new("search_fts"),
                    Expr::cust("listing.id = (search_fts.rowid & 2147483647)"),
                )
                .and_where(Expr::cust_with_values(
                    "search_fts MATCH ?",
                    [tier.matches.clone()],
                ))
                .and_where(Expr::cust_with_values(
                    "search_fts.rowid BETWEEN ? AND ?",
                    [low, high],
                ));
        }
        _ => {
            let entry = Alias::new("search_entry");
            query
                .inner_join(
                    entry.clone(),
                    Expr::col((entry.clone(), Alias::new("listing_id")))
                        .equals((Alias::new("listing"), Alias::new("id"))),
                )
                .and_where(Expr::col((entry, Alias::new("rank_key"))).between(low, high));
            if let Some(tier) = tier {
                query.and_where(Expr::cust_with_values(
                    "search_entry.terms @@ CAST($1 AS tsquery)",
                    [tier.matches.clone()],
                ));
            }
        }
    }
}

/// Orders `query`, joined by [`join_index`] (`searched`: with a tier), by rank key:
/// a tier's order, and a catalog's usual order without a search (crafts and tours
/// newest first, events soonest first).
pub(crate) fn order_by_rank(
    query: &mut SelectStatement,
    kind: ListingKind,
    searched: bool,
    backend: DbBackend,
) {
    query.order_by_expr(rank_key(searched, backend), order(kind));
}

/// The rank key of a row joined by [`join_index`] (`searched`: with a tier).
pub(crate) fn rank_key(searched: bool, backend: DbBackend) -> Expr {
    if searched && backend == DbBackend::Sqlite {
        Expr::cust("search_fts.rowid")
    } else {
        Expr::col((Alias::new("search_entry"), Alias::new("rank_key")))
    }
}

/// The first `limit` ids of each of `tiers` (each a select of listings joined by
/// [`join_index`] with its tier), the first tier's in rank order, then the second's…:
/// one query, where reading tier after tier until the page was full took one each.
pub(crate) fn first_of_tiers(
    tiers: Vec<SelectStatement>,
    kind: ListingKind,
    limit: u64,
    backend: DbBackend,
) -> Option<SelectStatement> {
    let (tier, rank) = (Alias::new("tier"), Alias::new("rank"));
    let mut each = tiers.into_iter().enumerate().map(|(n, mut select)| {
        select
            .clear_selects()
            .column((Alias::new("listing"), Alias::new("id")))
            .expr_as(Expr::val(n as i32), tier.clone())
            .expr_as(rank_key(true, backend), rank.clone())
            .limit(limit);
        // Each tier in a subquery of its own, its order and limit kept.
        Query::select()
            .columns([Alias::new("id"), tier.clone(), rank.clone()])
            .from_subquery(select, Alias::new(format!("tier{n}")))
            .to_owned()
    });
    let mut all = each.next()?;
    for next in each {
        all.union(UnionType::All, next);
    }
    all.order_by(tier, Order::Asc).order_by(rank, order(kind));
    Some(all)
}

fn order(kind: ListingKind) -> Order {
    if ascending(kind) {
        Order::Asc
    } else {
        Order::Desc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(terms: &[&[&str]]) -> SearchPlan {
        SearchPlan {
            terms: terms
                .iter()
                .map(|t| t.iter().map(|s| s.to_string()).collect())
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn each_tier_excludes_the_one_before_on_both_engines() {
        let plan = plan_of(&[&["tapete", "tapet"], &["lana", "lan"]]);
        let sqlite = tiers_of(&plan, Lang::En, DbBackend::Sqlite);
        assert_eq!(
            sqlite[0].matches,
            r#"{title_en} : ("tapete" OR "tapet") AND {title_en} : ("lana" OR "lan")"#
        );
        assert!(sqlite[1].matches.starts_with(r#"({title_es title_en} : ("#));
        assert!(sqlite[1].matches.ends_with(
            r#"NOT ({title_en} : ("tapete" OR "tapet") AND {title_en} : ("lana" OR "lan"))"#
        ));
        assert!(
            sqlite[3]
                .matches
                .starts_with(r#"(("tapete" OR "tapet") AND"#)
        );
        let pg = tiers_of(&plan, Lang::Es, DbBackend::Postgres);
        assert_eq!(
            pg[0].matches,
            "('A.tapete' | 'A.tapet') & ('A.lana' | 'A.lan')"
        );
        assert!(pg[2].matches.contains("'C.tapet'") && pg[2].matches.contains("& !("));
        assert!(!pg[2].matches.contains("'D.tapet'"));
        let any = any_field(&plan, DbBackend::Postgres).matches;
        assert!(
            any.starts_with("('A.tapete' | 'A.tapet' | 'B.tapete'") && any.contains("'D.lan')"),
            "{any}"
        );
    }
}
