//! Every endpoint that changes something is added through [`Endpoints`], which keeps
//! a list of them beside the routes. The authorisation matrix test
//! (`server/tests/api/authorisation.rs`) reads that list and fails for an endpoint it
//! has no row for: nobody can add a change to the site without saying who may make it.

use super::router::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::post;

#[derive(Default)]
pub struct Endpoints {
    router: Router<AppState>,
    list: Vec<Endpoint>,
}

/// A change the site accepts: its method and path (axum syntax, `{slug}` for a part).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
}

impl Endpoints {
    /// A form's POST: its body (at most `forms::FORM_BYTES_MOST`) is read whole before
    /// the handler runs, so that any refusal (a path that names nothing, a person who
    /// may not) is sent once the client has sent everything; answered earlier, the
    /// connection would close under the client and the answer be lost.
    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(
            path,
            post(handler)
                .layer(axum::middleware::from_fn(super::forms::bounded_body))
                .fallback(visited),
        );
        self.list.push(Endpoint {
            method: "POST",
            path,
        });
        self
    }

    /// A POST whose body may be larger than a form's, up to `most` bytes (an upload,
    /// a payment provider's event); read whole before the handler, as a form's is.
    pub fn post_up_to<H, T>(mut self, path: &'static str, handler: H, most: usize) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(
            path,
            post(handler)
                .layer(axum::extract::DefaultBodyLimit::max(most))
                .layer(axum::middleware::from_fn_with_state(
                    most,
                    super::forms::read_whole,
                ))
                .fallback(visited),
        );
        self.list.push(Endpoint {
            method: "POST",
            path,
        });
        self
    }

    pub fn list(&self) -> &[Endpoint] {
        &self.list
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

/// A form's address asked for with another method than POST. A GET (reloading the
/// page a refused form was drawn again at, a bookmark, a shared link) goes to the
/// page the form is on, keeping the query (a link's key); anything else is refused
/// with a 405 (`answer::explain_empty` says why, in the person's language).
async fn visited(
    axum::extract::State(state): axum::extract::State<AppState>,
    method: http::Method,
    uri: http::Uri,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if method != http::Method::GET && method != http::Method::HEAD {
        return (
            http::StatusCode::METHOD_NOT_ALLOWED,
            [(http::header::ALLOW, "POST")],
        )
            .into_response();
    }
    let page = page_above(&state.page_paths, uri.path());
    match uri.query() {
        Some(query) => super::forms::see_other(&format!("{page}?{query}")),
        None => super::forms::see_other(page),
    }
}

/// The nearest page at or above `path` (`/slots/5/book` → `/slots/5`), `/` if none.
fn page_above<'a>(pages: &[String], path: &'a str) -> &'a str {
    let mut here = path.trim_end_matches('/');
    while !here.is_empty() {
        if pages.iter().any(|page| matches_route(page, here)) {
            return here;
        }
        here = &here[..here.rfind('/').unwrap_or(0)];
    }
    "/"
}

/// Whether `path` is one `route` (axum syntax: `{name}` stands for any one part) names.
fn matches_route(route: &str, path: &str) -> bool {
    let mut parts = path.split('/');
    let mut wanted = route.split('/');
    loop {
        match (wanted.next(), parts.next()) {
            (None, None) => return true,
            (Some(w), Some(p)) if w.starts_with('{') && !p.is_empty() => {}
            (Some(w), Some(p)) if w == p => {}
            _ => return false,
        }
    }
}

/// Every change the site accepts, area by area: the path, and the handler in the module
/// named like the page the form is on. (The pages themselves are routed in
/// `app/src/lib.rs`; the few other GETs in `router.rs`.)
pub fn all() -> Endpoints {
    use super::uploads::UPLOAD_LIMIT;
    use super::{account, admin, coop, dashboard, visit, webhooks};
    Endpoints::default()
        // What every visitor does.
        .post("/cart/items", visit::cart::add)
        .post("/cart/items/{listing_id}", visit::cart::set_quantity)
        .post("/cart/bookings/{code}/remove", visit::cart::remove_booking)
        .post("/checkout", visit::checkout::place)
        .post("/communities/{slug}/fund/proposals", visit::fund::propose)
        .post(
            "/communities/{slug}/fund/proposals/{id}/vote",
            visit::fund::vote,
        )
        .post_up_to(
            "/communities/{slug}/fund/proposals/{id}/spending",
            visit::fund::spend,
            UPLOAD_LIMIT,
        )
        .post("/orders/{code}/oxxo", visit::order::oxxo)
        .post("/orders/{code}/simulate", visit::order::simulate)
        .post("/orders/{code}/check", visit::order::check)
        .post("/order-links", visit::order_links::send)
        .post("/orders/{code}/cancel", visit::order::cancel)
        .post("/slots/{id}/book", visit::slot::book)
        .post("/slots/{id}/waitlist", visit::slot::join_waitlist)
        .post("/bookings/{code}/confirm", visit::booking::confirm)
        .post("/bookings/{code}/cancel", visit::booking::cancel)
        // Accounts.
        .post("/sign-up", account::sign_up::sign_up)
        .post("/sign-in", account::sign_in::sign_in)
        .post("/sign-out", account::sign_in::sign_out)
        .post("/verify-email", account::verify_email::verify_email)
        .post(
            "/account/verification",
            account::overview::resend_verification,
        )
        .post("/forgot-password", account::password::forgot_password)
        .post("/reset-password", account::password::reset_password)
        .post("/invitations/{token}", account::invitation::accept)
        // A producer's or guide's work.
        // With its first photo, as an upload.
        .post_up_to("/dashboard/new", dashboard::listings::create, UPLOAD_LIMIT)
        .post("/dashboard/listings/{id}/edit", dashboard::listings::edit)
        .post(
            "/dashboard/listings/{id}/submit",
            dashboard::listings::submit,
        )
        .post(
            "/dashboard/listings/{id}/unpublish",
            dashboard::listings::unpublish,
        )
        .post(
            "/dashboard/listings/{id}/delete",
            dashboard::listings::delete,
        )
        .post(
            "/dashboard/slots/{id}/check-in",
            dashboard::manifest::check_in,
        )
        .post(
            "/dashboard/calendar/new-addresses",
            dashboard::calendar_feed::new_addresses,
        )
        .post("/dashboard/slots/{id}/close", dashboard::manifest::close)
        .post("/dashboard/slots/{id}/open", dashboard::manifest::open)
        .post("/dashboard/slots/{id}/cancel", dashboard::manifest::cancel)
        .post(
            "/dashboard/orders/parts/{id}/fulfil",
            dashboard::orders::fulfil,
        )
        .post(
            "/dashboard/orders/parts/{id}/refund",
            dashboard::orders::refund,
        )
        .post(
            "/dashboard/orders/refunds/{id}/settle",
            dashboard::orders::settle_owed,
        )
        .post_up_to(
            "/dashboard/listings/{id}/photos",
            dashboard::photos::upload,
            UPLOAD_LIMIT,
        )
        .post(
            "/dashboard/listings/{id}/photos/{photo}/earlier",
            dashboard::photos::earlier,
        )
        .post(
            "/dashboard/listings/{id}/photos/{photo}/later",
            dashboard::photos::later,
        )
        .post(
            "/dashboard/listings/{id}/photos/{photo}/delete",
            dashboard::photos::delete,
        )
        .post(
            "/dashboard/producers/{id}/profile",
            dashboard::producer_profile::edit,
        )
        .post_up_to(
            "/dashboard/producers/{id}/photo",
            dashboard::producer_profile::upload_photo,
            UPLOAD_LIMIT,
        )
        .post(
            "/dashboard/producers/{id}/photo/delete",
            dashboard::producer_profile::remove_photo,
        )
        .post(
            "/dashboard/listings/{id}/booking-rules",
            dashboard::schedule::booking_rules,
        )
        .post(
            "/dashboard/listings/{id}/schedule",
            dashboard::schedule::add_opening,
        )
        .post(
            "/dashboard/listings/{id}/schedule/{rule}/remove",
            dashboard::schedule::remove_opening,
        )
        .post(
            "/dashboard/listings/{id}/ticket-limits",
            dashboard::schedule::ticket_limits,
        )
        // A cooperative admin's work.
        .post("/coop/{slug}/finances/payouts", coop::finances::payout)
        .post(
            "/coop/{slug}/finances/member-payments",
            coop::finances::member_payment,
        )
        .post(
            "/coop/{slug}/finances/split-rule",
            coop::finances::split_rule,
        )
        .post("/coop/{slug}/finances/stripe", coop::finances::onboard)
        .post(
            "/coop/{slug}/finances/payouts/transfer",
            coop::finances::transfer_payout,
        )
        .post(
            "/coop/{slug}/finances/payouts/{id}/retry",
            coop::finances::retry_payout,
        )
        .post(
            "/coop/{slug}/finances/payouts/{id}/cancel",
            coop::finances::cancel_payout,
        )
        .post(
            "/coop/{slug}/listings/{id}/approve",
            coop::listings::approve,
        )
        .post("/coop/{slug}/listings/{id}/reject", coop::listings::reject)
        .post("/coop/{slug}/invitations", coop::members::invite)
        .post(
            "/coop/{slug}/invitations/{id}/withdraw",
            coop::members::withdraw,
        )
        .post("/coop/{slug}/members/{id}/remove", coop::members::remove)
        .post("/coop/{slug}/helpers", coop::members::grant_helper)
        .post(
            "/coop/{slug}/helpers/{id}/revoke",
            coop::members::revoke_helper,
        )
        .post(
            "/coop/{slug}/waiting/{id}/withdraw",
            coop::members::withdraw_waiting,
        )
        .post("/coop/{slug}/profile", coop::profile::edit_profile)
        .post("/coop/{slug}/shipping", coop::shipping::shipping)
        // The platform admin's work.
        .post("/admin/communities", admin::platform::create_community)
        .post("/admin/cooperatives", admin::platform::create_cooperative)
        .post("/admin/admins", admin::platform::appoint_admin)
        // The payment provider: its events may be larger than a form.
        .post_up_to("/webhooks/stripe", webhooks::stripe, WEBHOOK_LIMIT)
}

/// The most a payment provider's event may weigh (Stripe's are a few KiB).
const WEBHOOK_LIMIT: usize = 1024 * 1024;

/// The list the authorisation matrix checks against.
pub fn mutating_endpoints() -> Vec<Endpoint> {
    all().list().to_vec()
}

#[cfg(test)]
mod tests {
    use super::page_above;

    #[test]
    fn a_form_s_address_leads_up_to_the_page_the_form_is_on() {
        let pages: Vec<String> = ["/", "/slots/{id}", "/orders/{code}", "/dashboard", "/cart"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(page_above(&pages, "/slots/5/book"), "/slots/5");
        assert_eq!(page_above(&pages, "/orders/AB-CD/oxxo"), "/orders/AB-CD");
        assert_eq!(page_above(&pages, "/cart/items/3"), "/cart");
        assert_eq!(
            page_above(&pages, "/dashboard/listings/4/photos/2/delete"),
            "/dashboard"
        );
        assert_eq!(page_above(&pages, "/nothing/here"), "/");
    }
}
