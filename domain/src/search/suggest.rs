//! What a search that found nothing offers instead: the query with a word replaced by
//! the closest indexed words (two edits at most), or with a word left out; the store
//! counts each and the page links those that find something.

/// Edits between `a` and `b` (letters deleted, inserted, replaced, or two neighbours
/// swapped: the optimal string alignment distance), or `None` when more than `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![vec![0usize; width]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i][0] = i;
        for j in 1..=b.len() {
            let replace = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + replace);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    let d = rows[a.len()][b.len()];
    (d <= max).then_some(d)
}

/// The variants to look up for words up to two edits from `word`: the word, and it
/// with one or two letters deleted (an indexed word two edits away shares one of
/// them with one of its own deletion variants, in nearly every case).
pub fn variants_within_two(word: &str) -> Vec<String> {
    let mut all = Vec::new();
    for one in super::typo::deletion_variants(word) {
        for two in super::typo::deletion_variants(&one) {
            if !all.contains(&two) {
                all.push(two);
            }
        }
    }
    all
}

/// Queries to try instead of `words`, best first, at most `limit`: each word the index
/// does not know (`unknown`) of five letters or more replaced by an indexed word two
/// edits or fewer from it (the closest first), then, when there are several words,
/// each left out in turn. `indexed` are the indexed words found by
/// [`variants_within_two`].
pub fn alternatives(
    words: &[String],
    unknown: &[String],
    indexed: &[String],
    limit: usize,
) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    let push = |query: Vec<String>, out: &mut Vec<Vec<String>>| {
        if out.len() < limit && !query.is_empty() && query != words && !out.contains(&query) {
            out.push(query);
        }
    };
    for (at, word) in words.iter().enumerate() {
        if !super::typo::is_corrected(word) || !unknown.contains(word) {
            continue;
        }
        let mut close: Vec<(usize, &String)> = indexed
            .iter()
            .filter_map(|w| distance(word, w, 2).filter(|d| *d > 0).map(|d| (d, w)))
            .collect();
        close.sort();
        for (_, replacement) in close {
            let mut query = words.to_vec();
            query[at] = replacement.clone();
            push(query, &mut out);
        }
    }
    if words.len() > 1 {
        for at in 0..words.len() {
            let mut query = words.to_vec();
            query.remove(at);
            push(query, &mut out);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn distance_counts_edits_up_to_a_limit() {
        assert_eq!(distance("tapete", "tapete", 2), Some(0));
        assert_eq!(distance("tapate", "tapete", 2), Some(1));
        assert_eq!(distance("tpaete", "tapete", 2), Some(1));
        assert_eq!(distance("tapatte", "tapete", 2), Some(2));
        assert_eq!(distance("alebrije", "tapete", 2), None);
        assert_eq!(distance("ab", "abcde", 2), None);
    }

    #[test]
    fn words_two_edits_apart_share_a_looked_up_variant() {
        let looked_up = variants_within_two("tapatte");
        let indexed = super::super::typo::deletion_variants("tapete");
        assert!(indexed.iter().any(|v| looked_up.contains(v)));
    }

    #[test]
    fn a_word_is_replaced_by_the_closest_then_each_word_left_out() {
        let words = strings(&["tapatte", "madera"]);
        let indexed = strings(&["tapetes", "tapete", "tapattes", "madera", "maderas"]);
        let unknown = strings(&["tapatte"]);
        let tried = alternatives(&words, &unknown, &indexed, 10);
        assert_eq!(tried[0], strings(&["tapattes", "madera"]), "closest first");
        assert_eq!(tried[1], strings(&["tapete", "madera"]));
        assert!(
            !tried.contains(&strings(&["tapetes", "madera"])),
            "three edits"
        );
        assert!(tried.contains(&strings(&["madera"])));
        assert!(tried.contains(&strings(&["tapatte"])));
        assert!(
            !tried.contains(&strings(&["tapatte", "maderas"])),
            "a known word is kept"
        );
        assert_eq!(alternatives(&words, &unknown, &indexed, 1).len(), 1);
        let sol = strings(&["sol"]);
        assert!(alternatives(&sol, &sol, &strings(&["sal"]), 5).is_empty());
    }
}
