//! Human-written texts (descriptions, stories) in the page's language, or in the
//! other one, marked, when nobody has translated them yet.

use crate::tr;
use domain::{Lang, LocalizedText};
use leptos::prelude::*;

/// Inline text: `<span lang=…>` with a small badge when it is untranslated.
pub fn localized(text: &LocalizedText, lang: Lang) -> impl IntoView + use<> {
    let shown = text.show(lang);
    let badge = shown.untranslated.then(|| {
        view! { <small class="untranslated">{tr!(lang, untranslated)}</small> }
    });
    let attr_lang = shown.untranslated.then(|| shown.lang.code());
    let body = shown.text.to_owned();
    view! { <span lang=attr_lang>{body}</span> {badge} }
}

/// Paragraphs: blank lines in the text separate them.
pub fn paragraphs(text: &LocalizedText, lang: Lang) -> impl IntoView + use<> {
    let shown = text.show(lang);
    let badge = shown.untranslated.then(|| {
        view! { <p class="untranslated">{tr!(lang, untranslated)}</p> }
    });
    let attr_lang = shown.untranslated.then(|| shown.lang.code());
    let paras = shown
        .text
        .split("\n\n")
        .map(|p| view! { <p>{p.trim().to_owned()}</p> })
        .collect_view();
    view! { {badge} <div class="prose" lang=attr_lang>{paras}</div> }
}

/// Plain string for attributes (titles, meta tags), falling back silently.
pub fn plain(text: &LocalizedText, lang: Lang) -> String {
    text.show(lang).text.to_owned()
}

/// The first sentences of a text, up to about 200 characters, for meta descriptions.
pub fn excerpt(text: &LocalizedText, lang: Lang) -> String {
    const MAX: usize = 200;
    let full = plain(text, lang);
    if full.chars().count() <= MAX {
        return full;
    }
    let cut: String = full.chars().take(MAX).collect();
    match cut.rfind(". ") {
        Some(end) => cut[..=end].to_owned(),
        None => format!("{}…", cut.trim_end()),
    }
}
