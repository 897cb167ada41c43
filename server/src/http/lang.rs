//! Decides the language of each request, once, in one place:
//! 1. `?lang=es` / `?lang=en` on any URL forces it, and is remembered in a cookie;
//! 2. else the remembered choice (cookie);
//! 3. else the browser's `Accept-Language`;
//! 4. else Spanish.
//!
//! The result goes into the request's extensions as a `domain::Lang` for the pages.

use axum::{extract::Request, middleware::Next, response::Response};
use domain::Lang;
use http::{HeaderValue, header};

pub const LANG_COOKIE: &str = "tianguis_lang";
const ONE_YEAR: u32 = 365 * 24 * 60 * 60;

pub async fn negotiate(mut req: Request, next: Next) -> Response {
    let forced = req.uri().query().and_then(lang_from_query);
    let remembered = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(lang_from_cookie);
    let accepted = || {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::negotiate)
            .unwrap_or_default()
    };
    let lang = forced.or(remembered).unwrap_or_else(accepted);
    req.extensions_mut().insert(lang);

    let mut response = crate::http::answer::explain_empty(next.run(req).await, lang);
    let headers = response.headers_mut();
    if let Some(lang) = forced.filter(|l| Some(*l) != remembered) {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    headers.append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    if !headers.contains_key(header::CONTENT_LANGUAGE) {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
    }
    response
}

fn lang_from_query(query: &str) -> Option<Lang> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

fn lang_from_cookie(cookies: &str) -> Option<Lang> {
    cookies
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| Lang::parse(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lang_parameter() {
        assert_eq!(lang_from_query("q=barro&lang=en"), Some(Lang::En));
        assert_eq!(lang_from_query("lang=es"), Some(Lang::Es));
        assert_eq!(lang_from_query("lang=fr"), None);
        assert_eq!(lang_from_query("language=en"), None);
    }

    #[test]
    fn reads_the_remembered_choice() {
        assert_eq!(
            lang_from_cookie("a=1; tianguis_lang=en; b=2"),
            Some(Lang::En)
        );
        assert_eq!(lang_from_cookie("tianguis_lang=xx"), None);
        assert_eq!(lang_from_cookie("other=en"), None);
    }
}
