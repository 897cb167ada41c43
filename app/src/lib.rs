//! Tianguis pages. Everything renders on the server and works with JavaScript off.
//! Interactive parts would be Leptos islands (hydrated by the `frontend` crate's wasm),
//! but none is needed now: the photo gallery is HTML, CSS and a few lines of plain JS
//! (`components::gallery`), so no page loads wasm.

#![recursion_limit = "512"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod cart;
mod components;
pub mod error;
pub mod forms;
pub mod lang;
pub mod pages;
pub mod viewer;

use components::layout::{Footer, Header};
use domain::site::InfoPage;
use lang::use_lang;
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};
use pages::visit::info::InfoPageView;

/// The site's address as people reach it (no trailing slash), for links that leave
/// the page: a QR code, a calendar feed. The server provides it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(pub String);

/// How the site is set up, for the pages that depend on it (the server provides it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteSettings {
    /// The payment provider: `stripe` or `simulated`.
    pub provider: &'static str,
    /// Days an OXXO voucher runs.
    pub oxxo_days: u32,
    /// Stripe.js's key, for the card form; `None`: no card form.
    pub publishable_key: Option<String>,
    /// Emails go out through a mail server (`SMTP_URL`): the outbox then shows no
    /// bodies, and forgets them once sent. Without one they wait in the outbox.
    pub emails_by_smtp: bool,
    /// Where people write to whoever runs the site (`TIANGUIS_CONTACT_EMAIL`).
    pub contact_email: Option<String>,
    /// The built stylesheet's address (content-hashed), which every page links to.
    pub stylesheet: String,
}

/// The HTML document around every page. Runs on the server for each request.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = lang::provide_lang_from_request();
    provide_context(options.clone());
    // Worked out once by the server; the unhashed name where none provides it.
    let stylesheet = use_context::<SiteSettings>().map_or_else(
        || format!("/{}/{}.css", options.site_pkg_dir, options.output_name),
        |s| s.stylesheet,
    );
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#8b1e3f" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="leptos" rel="stylesheet" href=stylesheet />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = use_lang();
    view! {
        <a class="skip" href="#main">{tr!(lang, skip_to_content)}</a>
        <Router>
            <Header />
            <main id="main">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::visit::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=pages::visit::search::SearchPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/crafts")
                        view=|| view! { <pages::visit::catalog::CatalogPage kind=domain::ListingKind::Craft /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/tours")
                        view=|| view! { <pages::visit::catalog::CatalogPage kind=domain::ListingKind::Tour /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/events")
                        view=|| view! { <pages::visit::catalog::CatalogPage kind=domain::ListingKind::Event /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/crafts/:slug")
                        view=|| view! { <pages::visit::listing::ListingPage kind=domain::ListingKind::Craft /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/tours/:slug")
                        view=|| view! { <pages::visit::listing::ListingPage kind=domain::ListingKind::Tour /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/events/:slug")
                        view=|| view! { <pages::visit::listing::ListingPage kind=domain::ListingKind::Event /> }
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/cooperatives")
                        view=pages::visit::cooperatives::CooperativesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/cooperatives/:slug")
                        view=pages::visit::cooperatives::CooperativePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/communities/:slug")
                        view=pages::visit::community::CommunityPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/sign-up") view=pages::account::sign_up::SignUpPage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=pages::account::sign_in::SignInPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/forgot-password")
                        view=pages::account::password::ForgotPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reset-password")
                        view=pages::account::password::ResetPasswordPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/verify-email")
                        view=pages::account::verify_email::VerifyEmailPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/account") view=pages::account::overview::AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin") view=pages::admin::platform::PlatformPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/outbox") view=pages::admin::outbox::OutboxPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=pages::dashboard::listings::DashboardPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/dashboard/new")
                        view=pages::dashboard::listings::NewListingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/listings/:id/edit")
                        view=pages::dashboard::listings::EditListingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/listings/:id/schedule")
                        view=pages::dashboard::schedule::SchedulePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/producers/:id/profile")
                        view=pages::dashboard::producer_profile::ProducerProfilePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/coop/:slug") view=pages::coop::listings::CoopAdminPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/coop/:slug/members")
                        view=pages::coop::members::CoopMembersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coop/:slug/profile")
                        view=pages::coop::profile::CoopProfilePage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/slots/:id") view=pages::visit::slot::SlotPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/bookings/:code")
                        view=pages::visit::booking::BookingPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/slots")
                        view=pages::dashboard::slots::MySlotsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/slots/:id")
                        view=pages::dashboard::manifest::ManifestPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/cart") view=pages::visit::cart::CartPage ssr=SsrMode::Async />
                    <Route path=path!("/checkout") view=pages::visit::checkout::CheckoutPage ssr=SsrMode::Async />
                    <Route path=path!("/orders/:code") view=pages::visit::order::OrderPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/order-links")
                        view=pages::visit::order_links::OrderLinksPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/orders")
                        view=pages::dashboard::orders::SoldOrdersPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/orders/:code")
                        view=pages::dashboard::orders::SoldOrderPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/communities/:slug/fund")
                        view=pages::visit::fund::FundPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard/earnings")
                        view=pages::dashboard::earnings::EarningsPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coop/:slug/finances")
                        view=pages::coop::finances::FinancesPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coop/:slug/shipping")
                        view=pages::coop::shipping::ShippingPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/about") view=|| view! { <InfoPageView page=InfoPage::About /> } />
                    <Route path=path!("/contact") view=|| view! { <InfoPageView page=InfoPage::Contact /> } />
                    <Route path=path!("/terms") view=|| view! { <InfoPageView page=InfoPage::Terms /> } />
                    <Route path=path!("/returns") view=|| view! { <InfoPageView page=InfoPage::Returns /> } />
                    <Route path=path!("/privacy") view=|| view! { <InfoPageView page=InfoPage::Privacy /> } />
                    <Route
                        path=path!("/invitations/:token")
                        view=pages::account::invitation::InvitationPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}
