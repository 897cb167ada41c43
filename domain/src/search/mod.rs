//! Text search: what listings are found by and how a query is read. Everything is
//! folded (case, Spanish accents) so that `cafe` finds `Café` and `senor` finds
//! `Señor`; [`analysis`] turns texts into the index's tokens, [`typo`] reads
//! misspelt words, [`plan`] says what the index is asked, the same on SQLite and
//! PostgreSQL.

pub mod analysis;
pub mod plan;
pub mod suggest;
pub mod typo;

/// Lowercases and strips accents from Latin letters used in Mexican Spanish and in
/// the romanised indigenous languages of the demo communities.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        })
        .collect()
}

/// The words of a search query, folded, at most `MAX_TERMS` of them.
pub fn terms(query: &str) -> Vec<String> {
    fold(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_TERMS)
        .map(str::to_owned)
        .collect()
}

pub const MAX_TERMS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Café de Cuetzalan, SEÑOR"), "cafe de cuetzalan, senor");
    }

    #[test]
    fn splits_queries_into_terms() {
        assert_eq!(
            terms("  Barro  NEGRO, jarrón "),
            vec!["barro", "negro", "jarron"]
        );
        assert!(terms(" ,.; ").is_empty());
    }
}
