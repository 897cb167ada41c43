//! Where a person is sent back to after signing in or up: a page of this site only.

/// `candidate` when it is a path on this site: it starts with one `/` (not `//` or
/// `/\`, which browsers read as another host), and holds no backslash, no whitespace
/// and no control character (browsers drop tabs and newlines, so `/\t/evil.example`
/// would become `//evil.example`). `None` for anything else.
pub fn local_path(candidate: &str) -> Option<&str> {
    let rest = candidate.strip_prefix('/')?;
    let acceptable = !rest.starts_with('/')
        && !candidate
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    acceptable.then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn a_path_on_this_site_is_kept() {
        for path in ["/", "/account", "/crafts?q=barro&page=2", "/coop/a%20b#top"] {
            assert_eq!(local_path(path), Some(path));
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_is_refused() {
        for path in [
            "",
            "account",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n",
            "/ /evil.example",
            "/a\\b",
            "/\u{0}",
            "/\u{a0}/evil.example",
            "/\u{2028}",
        ] {
            assert_eq!(local_path(path), None, "{path:?}");
        }
    }
}
