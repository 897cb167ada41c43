//! Which language a page is in. The server decides once per request (see the
//! server's `lang` middleware: `?lang=`, then the remembered choice, then
//! `Accept-Language`) and puts a [`Lang`] in the request; pages read it from context.

pub use domain::Lang;
use leptos::prelude::*;

use crate::i18n::Locale;

pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Es => Locale::es,
        Lang::En => Locale::en,
    }
}

/// The language of the page being rendered.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Reads the language the server chose for this request and provides it to every page.
pub fn provide_lang_from_request() -> Lang {
    #[cfg(feature = "ssr")]
    let lang = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Lang>().copied())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let lang = Lang::default();
    provide_context(lang);
    lang
}

/// A UI string in the page's language: `tr!(lang, key)` or `tr!(lang, key, var = value)`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:ident $(, $var:ident = $value:expr)* $(,)?) => {
        $crate::i18n::td_string!($crate::lang::locale($lang), $key $(, $var = $value)*).to_string()
    };
}

/// A UI string that counts something: `tr_n!(lang, n, key_one | key, var = value…)`
/// is the locale files' form for one (`key_one`, when the language's plural rule
/// says `n` is one: [`Lang::is_one`]) or for any other number (`key`).
#[macro_export]
macro_rules! tr_n {
    ($lang:expr, $n:expr, $one:ident | $other:ident $(, $var:ident = $value:expr)* $(,)?) => {
        if $lang.is_one(u64::try_from($n).unwrap_or(u64::MAX)) {
            $crate::tr!($lang, $one $(, $var = $value)*)
        } else {
            $crate::tr!($lang, $other $(, $var = $value)*)
        }
    };
}
