//! How a listing's texts become the tokens the search index holds, and a query's
//! words the tokens it looks for: folded (case, accents), stop words dropped, and
//! stemmed with the Snowball stemmer of the text's language (the algorithms behind
//! PostgreSQL's `spanish` and `english` configurations), so that "tapetes" finds
//! "tapete" and "weaving" finds "weave". Both databases index what this produces,
//! so both find the same listings.

use super::fold;
use crate::{Lang, LocalizedText};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;

/// The parts of a listing that search weighs differently: a match in the title in
/// the visitor's language counts most, then in the other title, then in the
/// summary or description, then anywhere (the cooperative's and community's names,
/// the place, the cooperative's story).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    TitleEs,
    TitleEn,
    Body,
    About,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::TitleEs, Field::TitleEn, Field::Body, Field::About];

    /// The index's name for the field (a column of SQLite's index).
    pub fn code(self) -> &'static str {
        match self {
            Field::TitleEs => "title_es",
            Field::TitleEn => "title_en",
            Field::Body => "body",
            Field::About => "about",
        }
    }

    /// PostgreSQL's weight label for the field (`A` … `D` in a `tsvector`).
    pub fn label(self) -> char {
        match self {
            Field::TitleEs => 'A',
            Field::TitleEn => 'B',
            Field::Body => 'C',
            Field::About => 'D',
        }
    }

    pub fn title(lang: Lang) -> Field {
        match lang {
            Lang::Es => Field::TitleEs,
            Lang::En => Field::TitleEn,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The ways a match can be ranked, best first: every word of the query in the
/// title in the visitor's language; in either title; in the titles, summaries or
/// descriptions; anywhere. Each tier's fields hold the one before's, so every listing
/// a tier finds, the next finds too: its results are the next's less the earlier ones.
pub fn tiers(lang: Lang) -> [&'static [Field]; 4] {
    const ES: &[Field] = &[Field::TitleEs];
    const EN: &[Field] = &[Field::TitleEn];
    const TITLES: &[Field] = &[Field::TitleEs, Field::TitleEn];
    const WRITTEN: &[Field] = &[Field::TitleEs, Field::TitleEn, Field::Body];
    let own = match lang {
        Lang::Es => ES,
        Lang::En => EN,
    };
    [own, TITLES, WRITTEN, &Field::ALL]
}

/// What search reads of a listing.
pub struct ListingText<'a> {
    pub title: &'a LocalizedText,
    pub summary: &'a LocalizedText,
    pub description: &'a LocalizedText,
    /// What else describes it, weighed as its description: a craft's materials and
    /// technique, a tour's meeting point, an event's venue.
    pub more: &'a [LocalizedText],
    pub cooperative: &'a str,
    pub cooperative_story: &'a LocalizedText,
    /// The community's name, municipality and state.
    pub place: &'a str,
}

/// A listing as the index holds it: the tokens of each field, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    fields: [BTreeSet<String>; 4],
}

impl Document {
    pub fn of(text: &ListingText) -> Document {
        let mut doc = Document::default();
        for (field, _, token) in indexed_words(text) {
            doc.fields[field.index()].insert(token);
        }
        doc
    }

    pub fn tokens(&self, field: Field) -> impl Iterator<Item = &str> {
        self.fields[field.index()].iter().map(String::as_str)
    }

    /// Every field's tokens, each token once.
    pub fn all_tokens(&self) -> BTreeSet<&str> {
        self.fields.iter().flatten().map(String::as_str).collect()
    }
}

/// The words a listing is written with, each with the token it is indexed as: what a
/// misspelt query word is compared with (see [`super::typo`]). Words too short to
/// be one letter away from a corrected query word are left out.
pub fn vocabulary(text: &ListingText) -> BTreeSet<(String, String)> {
    indexed_words(text)
        .filter(|(_, word, _)| word.chars().count() + 1 >= super::typo::MIN_CORRECTED)
        .map(|(_, word, token)| (word, token))
        .collect()
}

/// Every word of a listing's texts (folded, no stop words) with the field it counts in
/// and the token it is indexed as: its stem in the text's language; names as written.
fn indexed_words(text: &ListingText) -> impl Iterator<Item = (Field, String, String)> {
    let es = Stemmer::create(Algorithm::Spanish);
    let en = Stemmer::create(Algorithm::English);
    let mut parts: Vec<(Field, Option<&str>, Option<&Stemmer>)> = vec![
        (Field::TitleEs, text.title.es.as_deref(), Some(&es)),
        (Field::TitleEn, text.title.en.as_deref(), Some(&en)),
    ];
    for body in [text.summary, text.description]
        .into_iter()
        .chain(text.more)
    {
        parts.push((Field::Body, body.es.as_deref(), Some(&es)));
        parts.push((Field::Body, body.en.as_deref(), Some(&en)));
    }
    parts.extend([
        (Field::About, Some(text.cooperative), None),
        (Field::About, Some(text.place), None),
        (
            Field::About,
            text.cooperative_story.es.as_deref(),
            Some(&es),
        ),
        (
            Field::About,
            text.cooperative_story.en.as_deref(),
            Some(&en),
        ),
    ]);
    let mut found = Vec::new();
    for (field, part, stemmer) in parts {
        for word in words(part.unwrap_or_default()) {
            let token = stemmer.map_or_else(|| word.clone(), |s| s.stem(&word).into_owned());
            found.push((field, word, token));
        }
    }
    found.into_iter()
}

/// The tokens a query word may be indexed as, whatever the language of the text it
/// is in: the word itself (names are indexed as written), and its Spanish and
/// English stems.
pub fn forms(word: &str) -> Vec<String> {
    let mut forms = vec![word.to_owned()];
    for algorithm in [Algorithm::Spanish, Algorithm::English] {
        let stem = Stemmer::create(algorithm).stem(word).into_owned();
        if !forms.contains(&stem) {
            forms.push(stem);
        }
    }
    forms
}

/// The words of a query that search looks for: folded, at most
/// [`super::MAX_TERMS`], without stop words ("de", "the") unless the query has
/// nothing else.
pub fn query_words(query: &str) -> Vec<String> {
    let all = super::terms(query);
    let meaningful: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
    if meaningful.is_empty() {
        all
    } else {
        meaningful
    }
}

/// A text's folded words, without stop words.
fn words(text: &str) -> impl Iterator<Item = String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// Words too common in Spanish or English to tell listings apart (folded).
fn is_stop_word(word: &str) -> bool {
    const STOP: &[&str] = &[
        "a", "al", "an", "and", "are", "as", "at", "by", "con", "de", "del", "e", "el", "en", "es",
        "for", "from", "in", "is", "it", "its", "la", "las", "lo", "los", "o", "of", "on", "or",
        "para", "por", "que", "se", "su", "sus", "the", "to", "u", "un", "una", "unas", "unos",
        "with", "y",
    ];
    STOP.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_tier_searches_the_fields_of_the_one_before_and_more() {
        for lang in [Lang::Es, Lang::En] {
            let tiers = tiers(lang);
            assert_eq!(tiers[0], &[Field::title(lang)][..]);
            for pair in tiers.windows(2) {
                assert!(pair[0].iter().all(|f| pair[1].contains(f)), "{pair:?}");
                assert!(pair[1].len() > pair[0].len(), "{pair:?}");
            }
            assert_eq!(tiers[3], &Field::ALL[..]);
        }
    }

    fn text(es: &str, en: &str) -> LocalizedText {
        LocalizedText {
            es: Some(es.to_owned()),
            en: Some(en.to_owned()),
        }
    }

    #[test]
    fn the_stop_word_list_is_sorted_for_its_binary_search() {
        assert!(is_stop_word("de") && is_stop_word("y") && is_stop_word("the"));
        assert!(!is_stop_word("tapete"));
    }

    #[test]
    fn plurals_and_accents_are_indexed_as_their_query_forms() {
        let title = text("Tapetes de lana, Teotitlán", "Woven wool rugs");
        let empty = LocalizedText::default();
        let doc = Document::of(&ListingText {
            title: &title,
            summary: &empty,
            description: &empty,
            more: &[],
            cooperative: "Tejedoras del Picacho",
            cooperative_story: &empty,
            place: "Teotitlán del Valle, Oaxaca",
        });
        let titles: Vec<&str> = doc.tokens(Field::TitleEs).collect();
        for query in ["tapete", "TAPETES", "teotitlan", "lanas"] {
            let forms = forms(&super::super::terms(query)[0]);
            assert!(
                forms.iter().any(|f| titles.contains(&f.as_str())),
                "{query}: {forms:?} not in {titles:?}"
            );
        }
        assert!(
            forms("rug")
                .iter()
                .any(|f| doc.tokens(Field::TitleEn).any(|t| t == f))
        );
        assert!(forms("weaving").iter().any(|f| f == "weav"));
        assert!(doc.tokens(Field::About).any(|t| t == "picacho"));
        assert!(
            !doc.all_tokens().contains("de"),
            "stop words are not indexed"
        );
    }

    #[test]
    fn a_query_of_stop_words_only_keeps_them() {
        assert_eq!(query_words("tapete de la sierra"), ["tapete", "sierra"]);
        assert_eq!(query_words("de la"), ["de", "la"]);
    }

    #[test]
    fn tiers_start_with_the_visitors_own_title_and_end_with_everything() {
        assert_eq!(tiers(Lang::En)[0], &[Field::TitleEn]);
        assert_eq!(tiers(Lang::Es)[0], &[Field::TitleEs]);
        assert_eq!(tiers(Lang::Es)[3], &Field::ALL);
    }
}
