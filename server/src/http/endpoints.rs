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
    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.list.push(Endpoint {
            method: "POST",
            path,
        });
        self
    }

    /// A POST with a layer of its own (a larger body limit, for uploads).
    pub fn post_layered<H, T, L>(mut self, path: &'static str, handler: H, layer: L) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<axum::extract::Request, Error = std::convert::Infallible>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Response:
            axum::response::IntoResponse + 'static,
        <L::Service as tower::Service<axum::extract::Request>>::Future: Send + 'static,
    {
        self.router = self.router.route(path, post(handler).layer(layer));
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

/// All the site's changes, area by area.
pub fn all() -> Endpoints {
    let e = super::accounts::endpoints(Endpoints::default());
    let e = super::dashboard::endpoints(e);
    let e = super::listing_photos::endpoints(e);
    let e = super::cooperative::endpoints(e);
    let e = super::members::endpoints(e);
    let e = super::producer_profile::endpoints(e);
    let e = super::bookings::endpoints(e);
    let e = super::slots::endpoints(e);
    let e = super::schedules::endpoints(e);
    let e = super::cart::endpoints(e);
    let e = super::checkout::endpoints(e);
    let e = super::orders::endpoints(e);
    let e = super::order_admin::endpoints(e);
    let e = super::finances::endpoints(e);
    let e = super::fund::endpoints(e);
    let e = super::webhooks::endpoints(e);
    super::platform::endpoints(e)
}

/// The list the authorisation matrix checks against.
pub fn mutating_endpoints() -> Vec<Endpoint> {
    all().list().to_vec()
}
