//! The header (site name, sections, language switcher; above it, while payments are
//! simulated, a line saying so) and footer of every page.

use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The logo (`public/logo.svg`), drawn inline: no request of its own.
const LOGO: &str = include_str!("../../../public/logo.svg");

/// On a phone, one row: the logo and name, the cart, and a menu (a `<details>`, so it
/// opens without JavaScript) holding the sections, the account and the languages; on a
/// wider screen those are in the row itself.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let demo_payments =
        use_context::<crate::SiteSettings>().is_some_and(|s| s.provider == "simulated");
    let count = crate::cart::use_cart_count();
    let sections = move || {
        view! {
            <nav class="sections" aria-label=tr!(lang, nav_label)>
                <a href="/crafts">{tr!(lang, nav_crafts)}</a>
                <a href="/tours">{tr!(lang, nav_tours)}</a>
                <a href="/events">{tr!(lang, nav_events)}</a>
                <a href="/cooperatives">{tr!(lang, nav_cooperatives)}</a>
            </nav>
        }
    };
    view! {
        <header class="site-header">
            {demo_payments
                .then(|| view! { <p class="demo-payments" role="note">{tr!(lang, demo_payments_note)}</p> })}
            <a class="brand" href="/">
                <span class="logo" aria-hidden="true" inner_html=LOGO></span>
                <strong>{tr!(lang, site_name)}</strong>
            </a>
            <div class="wide-only">{sections()}</div>
            <a class="cart-link" href="/cart">
                {tr!(lang, nav_cart)}
                {(count > 0).then(|| view! { " " <span class="cart-count">{count}</span> })}
            </a>
            <div class="wide-only"><AccountLink /></div>
            <div class="wide-only"><LangSwitcher /></div>
            <details class="menu">
                <summary>{tr!(lang, menu)}</summary>
                <div class="menu-panel">
                    {sections()}
                    <AccountLink />
                    <LangSwitcher />
                </div>
            </details>
        </header>
    }
}

/// "Sign in" for visitors; the person's name, to their account page, once signed in.
#[component]
fn AccountLink() -> impl IntoView {
    let lang = use_lang();
    match crate::viewer::use_viewer() {
        Some(viewer) => view! {
            <a class="account-link" href="/account">{viewer.name}</a>
        }
        .into_any(),
        None => {
            // Signing in comes back to this page (the sign-in and sign-up pages keep
            // whatever they were to come back to).
            let location = use_location();
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let search = search.strip_prefix('?').unwrap_or(&search).to_owned();
            let href = if path.starts_with("/sign-in") || path.starts_with("/sign-up") {
                format!(
                    "{path}{}",
                    if search.is_empty() {
                        String::new()
                    } else {
                        format!("?{search}")
                    }
                )
            } else {
                let here = if search.is_empty() {
                    path
                } else {
                    format!("{path}?{search}")
                };
                format!(
                    "/sign-in?next={}",
                    domain::catalog::filter::percent_encode(&here)
                )
            };
            view! { <a class="account-link" href=href>{tr!(lang, sign_in_title)}</a> }.into_any()
        }
    }
}

/// Plain links to the same page with `?lang=`: they work without JavaScript, and the
/// server remembers the choice in a cookie.
#[component]
fn LangSwitcher() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let path = location.pathname.get_untracked();
    let query = location.query.get_untracked();
    let links = Lang::ALL
        .into_iter()
        .map(|l| {
            let mut params: Vec<String> = (&query)
                .into_iter()
                .filter(|(k, _)| k.as_ref() != "lang")
                .map(|(k, v)| format!("{k}={}", domain::catalog::filter::percent_encode(v)))
                .collect();
            params.push(format!("lang={}", l.code()));
            let href = format!("{path}?{}", params.join("&"));
            let label = match l {
                Lang::Es => "Español",
                Lang::En => "English",
            };
            let current = (l == lang).then_some("true");
            view! {
                <a href=href hreflang=l.code() lang=l.code() aria-current=current class="lang-link">
                    {label}
                </a>
            }
        })
        .collect_view();
    view! {
        <nav class="lang" aria-label=tr!(lang, lang_label)>
            {links}
        </nav>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    let links = domain::site::InfoPage::ALL
        .into_iter()
        .map(|page| {
            view! { <a href=page.path()>{crate::pages::visit::info::title(page, lang)}</a> }
        })
        .collect_view();
    view! {
        <footer class="site-footer">
            <nav class="footer-pages" aria-label=tr!(lang, footer_pages_label)>{links}</nav>
            <p>{tr!(lang, footer_text)}</p>
        </footer>
    }
}
