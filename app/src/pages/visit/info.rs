//! `/about`, `/contact`, `/terms`, `/returns`, `/privacy`: the footer's pages, in the
//! reader's language. Their words are in the locale files (`info_*`), a paragraph
//! between blank lines; the contact page adds the site's address when it has one
//! (`TIANGUIS_CONTACT_EMAIL`).

use crate::components::seo::Seo;
use crate::lang::use_lang;
use crate::tr;
use domain::Lang;
use domain::site::InfoPage;
use leptos::prelude::*;

/// The page's title, in `lang` (also the footer's link to it).
pub fn title(page: InfoPage, lang: Lang) -> String {
    match page {
        InfoPage::About => tr!(lang, info_about_title),
        InfoPage::Contact => tr!(lang, info_contact_title),
        InfoPage::Terms => tr!(lang, info_terms_title),
        InfoPage::Returns => tr!(lang, info_returns_title),
        InfoPage::Privacy => tr!(lang, info_privacy_title),
    }
}

/// The page's paragraphs, one blank line apart, in `lang`.
fn body(page: InfoPage, lang: Lang) -> String {
    match page {
        InfoPage::About => tr!(lang, info_about_body),
        InfoPage::Contact => tr!(lang, info_contact_body),
        InfoPage::Terms => tr!(lang, info_terms_body),
        InfoPage::Returns => tr!(lang, info_returns_body),
        InfoPage::Privacy => tr!(lang, info_privacy_body),
    }
}

#[component]
pub fn InfoPageView(page: InfoPage) -> impl IntoView {
    let lang = use_lang();
    let (title, body) = (title(page, lang), body(page, lang));
    let description = body.split("\n\n").next().unwrap_or_default().to_owned();
    let paragraphs = body
        .split("\n\n")
        .map(|p| view! { <p>{p.to_owned()}</p> })
        .collect_view();
    let contact = (page == InfoPage::Contact).then(|| {
        let email = use_context::<crate::SiteSettings>().and_then(|s| s.contact_email);
        match email {
            Some(email) => view! {
                <p>
                    {tr!(lang, info_contact_email)} " "
                    <a href=format!("mailto:{email}")>{email.clone()}</a>
                </p>
            }
            .into_any(),
            None => view! { <p>{tr!(lang, info_contact_none)}</p> }.into_any(),
        }
    });
    view! {
        <Seo title=format!("{title} — Tianguis") description=description path=page.path().to_owned() />
        <article class="narrow info-page">
            <h1>{title}</h1>
            <div class="prose">{paragraphs}</div>
            {contact}
        </article>
    }
}
