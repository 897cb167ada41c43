//! What a search asks the index: for each word of the query, the tokens that count
//! as it (its forms, or the indexed words one edit away when the index knows none of
//! them), and the order results come in within a tier of relevance (the rank key).

use super::analysis::forms;
use super::typo::{is_corrected, one_edit_apart};
use crate::ListingKind;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::collections::HashSet;

/// A query as the index is asked it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPlan {
    /// One entry per query word: the tokens any of which matches it.
    pub terms: Vec<Vec<String>>,
    /// The words read as others, to say so on the page ("tapate": "tapete").
    pub corrections: Vec<(String, Vec<String>)>,
    /// The words none of whose forms the index knows (corrected or not).
    pub unknown: Vec<String>,
}

/// An indexed word one edit (or less) from a query word, with its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub word: String,
    pub token: String,
}

/// The plan for `words` (from [`super::analysis::query_words`]), given which of their
/// forms the index knows and the indexed words that share a deletion variant with
/// them ([`super::typo::deletion_variants`]).
pub fn plan(words: &[String], known: &HashSet<String>, neighbours: &[Neighbour]) -> SearchPlan {
    let mut plan = SearchPlan::default();
    for word in words {
        let mut tokens = forms(word);
        let is_known = tokens.iter().any(|t| known.contains(t));
        if !is_known {
            plan.unknown.push(word.clone());
        }
        if !is_known && is_corrected(word) {
            let mut read_as: Vec<String> = Vec::new();
            for n in neighbours.iter().filter(|n| one_edit_apart(word, &n.word)) {
                if !tokens.contains(&n.token) {
                    tokens.push(n.token.clone());
                }
                if !read_as.contains(&n.word) {
                    read_as.push(n.word.clone());
                }
            }
            if !read_as.is_empty() {
                read_as.sort();
                plan.corrections.push((word.clone(), read_as));
            }
        }
        plan.terms.push(tokens);
    }
    plan
}

/// The index orders a tier's matches by this key and keeps each kind in its own
/// range of keys, so a page of results is read off the index in order without
/// sorting every match. `at` is when a craft or tour was listed (read newest first,
/// from the highest key down) and when an event ends (read soonest first, from the
/// lowest key up: events that have ended are below [`kind_range`]'s lowest key).
/// Then the listing's id, which makes each key unique.
pub fn rank_key(kind: ListingKind, listing_id: i32, at: NaiveDateTime) -> i64 {
    (kind_number(kind) << KIND_SHIFT)
        | (minute_number(at) << MINUTE_SHIFT)
        | i64::from(listing_id.max(0))
}

/// Whether results of `kind` are read from the lowest key up (events) rather than from
/// the highest down.
pub fn ascending(kind: ListingKind) -> bool {
    kind == ListingKind::Event
}

/// The keys of `kind`'s listings that can be shown at `now`: `(lowest, highest)`,
/// both included (events that ended before `now` are below it).
pub fn kind_range(kind: ListingKind, now: NaiveDateTime) -> (i64, i64) {
    let base = kind_number(kind) << KIND_SHIFT;
    let low = match kind {
        ListingKind::Event => base | (minute_number(now) << MINUTE_SHIFT),
        _ => base,
    };
    (low, base + (1 << KIND_SHIFT) - 1)
}

/// The listing a rank key stands for.
pub fn listing_of(key: i64) -> i32 {
    (key & i64::from(i32::MAX)) as i32
}

/// Minutes since 2000 (28 bits hold them until the year 2510).
fn minute_number(at: NaiveDateTime) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)
        .expect("a valid date")
        .and_time(NaiveTime::MIN);
    (at - epoch).num_minutes().clamp(0, (1 << 28) - 1)
}

const MINUTE_SHIFT: u32 = 32;
const KIND_SHIFT: u32 = 60;

fn kind_number(kind: ListingKind) -> i64 {
    match kind {
        ListingKind::Craft => 1,
        ListingKind::Tour => 2,
        ListingKind::Event => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn an_unknown_long_word_is_read_as_its_indexed_neighbours() {
        let known: HashSet<String> = ["tapet".to_owned()].into();
        let neighbours = vec![
            Neighbour {
                word: "tapete".into(),
                token: "tapet".into(),
            },
            Neighbour {
                word: "tapetes".into(),
                token: "tapet".into(),
            },
        ];
        let words = ["tapate".to_owned(), "tapetes".to_owned(), "lna".to_owned()];
        let plan = plan(&words, &known, &neighbours);
        assert!(plan.terms[0].contains(&"tapet".to_owned()));
        assert_eq!(
            plan.corrections,
            vec![("tapate".to_owned(), vec!["tapete".to_owned()])]
        );
        assert_eq!(
            plan.terms[1],
            forms("tapetes"),
            "a known word is not corrected"
        );
        assert_eq!(plan.terms[2], forms("lna"), "short words are not corrected");
        assert_eq!(plan.unknown, ["tapate", "lna"]);
    }

    #[test]
    fn keys_keep_kinds_apart_and_order_crafts_newest_and_events_soonest_first() {
        let now = at(2026, 12, 7, 12);
        let craft = rank_key(ListingKind::Craft, 7, at(2026, 12, 1, 9));
        let (low, high) = kind_range(ListingKind::Craft, now);
        assert!((low..=high).contains(&craft));
        let listed_later = rank_key(ListingKind::Craft, 3, at(2026, 12, 1, 10));
        assert!(listed_later > craft, "newer first, read downwards");
        assert!(!ascending(ListingKind::Craft) && ascending(ListingKind::Event));
        let soon = rank_key(ListingKind::Event, 9, at(2026, 12, 10, 20));
        let later = rank_key(ListingKind::Event, 2, at(2027, 1, 10, 20));
        let ended = rank_key(ListingKind::Event, 3, at(2026, 12, 7, 11));
        let ends_tonight = rank_key(ListingKind::Event, 4, at(2026, 12, 7, 23));
        assert!(soon < later, "sooner first, read upwards");
        let (low, high) = kind_range(ListingKind::Event, now);
        for shown in [soon, later, ends_tonight] {
            assert!((low..=high).contains(&shown));
        }
        assert!(ended < low, "ended before now");
        assert!(!(low..=high).contains(&craft));
        assert_eq!(listing_of(later), 2);
        assert_eq!(
            listing_of(rank_key(ListingKind::Tour, i32::MAX, now)),
            i32::MAX
        );
        assert!(
            kind_range(ListingKind::Event, now).1 > 0,
            "keys stay positive"
        );
    }
}
