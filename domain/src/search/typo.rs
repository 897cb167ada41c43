//! Typo tolerance: a query word of five letters or more that the index does not know
//! is read as the indexed words one edit away from it (a letter missing, added,
//! changed, or two neighbours swapped). Candidates are found without scanning the
//! vocabulary: a word and everything one edit from it share a "deletion variant"
//! (the word with at most one letter deleted), which the index keeps for every word.

/// The shortest query word that is corrected: shorter words have too many
/// neighbours ("sol" is one letter from "col", "sal", "son", …).
pub const MIN_CORRECTED: usize = 5;

/// The word itself and every way of deleting one of its letters, each once.
pub fn deletion_variants(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut variants = vec![word.to_owned()];
    for skip in 0..chars.len() {
        let variant: String = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect();
        if !variants.contains(&variant) {
            variants.push(variant);
        }
    }
    variants
}

/// Whether `a` and `b` differ by exactly one edit: one letter deleted, inserted or
/// replaced, or two adjacent letters swapped.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (x, y) if x == y => {
            a[1..] == b[1..] || (x >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        (x, y) if x == y + 1 => a[1..] == *b,
        (x, y) if x + 1 == y => *a == b[1..],
        _ => false,
    }
}

/// Whether a query word is long enough to be corrected.
pub fn is_corrected(word: &str) -> bool {
    word.chars().count() >= MIN_CORRECTED
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_a_deletion_an_insertion_a_replacement_or_a_swap() {
        assert!(one_edit_apart("tapate", "tapete"));
        assert!(one_edit_apart("alebrijes", "alebrije"));
        assert!(one_edit_apart("alebrije", "alebrijes"));
        assert!(one_edit_apart("tpaete", "tapete"));
        assert!(one_edit_apart("xtapete", "tapete"));
        assert!(!one_edit_apart("tapete", "tapete"));
        assert!(!one_edit_apart("tapote", "tapeta"));
        assert!(!one_edit_apart("barro", "jarron"));
    }

    #[test]
    fn words_one_edit_apart_share_a_deletion_variant() {
        for (a, b) in [
            ("tapate", "tapete"),
            ("tpaete", "tapete"),
            ("alebrije", "alebrijes"),
            ("mezcla", "mezcal"),
        ] {
            let ours = deletion_variants(a);
            assert!(
                deletion_variants(b).iter().any(|v| ours.contains(v)),
                "{a} / {b}"
            );
            assert!(one_edit_apart(a, b), "{a} / {b}");
        }
        assert_eq!(deletion_variants("ana"), ["ana", "na", "aa", "an"]);
    }
}
