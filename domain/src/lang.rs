//! The languages Tianguis speaks, and human-written texts that exist in some of them.

use serde::{Deserialize, Serialize};

/// A UI and content language. Spanish comes first: it is the default and the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    /// Whether `n` things take the language's "one" form of a counted word (CLDR's
    /// plural rules: exactly 1, in Spanish as in English). The locale files keep that
    /// form under the key with `_one` (see the app's `tr_n!`).
    pub fn is_one(self, n: u64) -> bool {
        match self {
            Lang::Es | Lang::En => n == 1,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// `es`, `en`, and regional tags such as `es-MX` or `en_US`.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best language from an `Accept-Language` header, honouring q-values.
    /// Falls back to Spanish when nothing matches.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (position, item) in accept_language.split(',').enumerate() {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on equal q the earlier entry wins.
            let better = match best {
                None => true,
                Some((bq, bpos, _)) => q > bq || (q == bq && position < bpos),
            };
            if better {
                best = Some((q, position, lang));
            }
        }
        best.map(|(_, _, l)| l).unwrap_or_default()
    }

    pub fn other(self) -> Self {
        match self {
            Lang::Es => Lang::En,
            Lang::En => Lang::Es,
        }
    }
}

/// A text written by a person (a description, a story) in Spanish, English or both.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    pub es: Option<String>,
    pub en: Option<String>,
}

/// What to show for a [`LocalizedText`] in a given language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    /// The language the text is really in; differs from the one asked for when the
    /// text has not been translated yet, so the page can mark it (and set `lang=`).
    pub lang: Lang,
    pub untranslated: bool,
}

impl LocalizedText {
    pub fn get(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::Es => self.es.as_deref(),
            Lang::En => self.en.as_deref(),
        }
        .filter(|t| !t.trim().is_empty())
    }

    /// The text in `lang`, or else in the other language, marked as untranslated.
    pub fn show(&self, lang: Lang) -> Shown<'_> {
        if let Some(text) = self.get(lang) {
            return Shown {
                text,
                lang,
                untranslated: false,
            };
        }
        match self.get(lang.other()) {
            Some(text) => Shown {
                text,
                lang: lang.other(),
                untranslated: true,
            },
            None => Shown {
                text: "",
                lang,
                untranslated: false,
            },
        }
    }

    /// Both languages, for search indexes.
    pub fn all_text(&self) -> String {
        [self.es.as_deref(), self.en.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_from_accept_language() {
        assert_eq!(Lang::negotiate("en-US,en;q=0.9,es;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate("es-MX,es;q=0.9,en;q=0.8"), Lang::Es);
        assert_eq!(Lang::negotiate("fr-FR,fr;q=0.9,en;q=0.5"), Lang::En);
        assert_eq!(Lang::negotiate("es;q=0.3,en;q=0.7"), Lang::En);
        assert_eq!(Lang::negotiate("de,fr"), Lang::Es);
        assert_eq!(Lang::negotiate(""), Lang::Es);
        assert_eq!(Lang::negotiate("en;q=0"), Lang::Es);
    }

    #[test]
    fn shows_the_other_language_marked_when_a_text_is_missing() {
        let only_es = LocalizedText {
            es: Some("Tapete de lana".into()),
            en: None,
        };
        let shown = only_es.show(Lang::En);
        assert_eq!(shown.text, "Tapete de lana");
        assert_eq!(shown.lang, Lang::Es);
        assert!(shown.untranslated);
        assert!(!only_es.show(Lang::Es).untranslated);
    }

    #[test]
    fn blank_counts_as_missing() {
        let t = LocalizedText {
            es: Some("Hola".into()),
            en: Some("  ".into()),
        };
        assert!(t.show(Lang::En).untranslated);
    }
}
