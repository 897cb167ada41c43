use super::forms::{PageRenderer, same_origin_only};
use super::headers::{self, Protection};
use super::{endpoints, health::healthz, lang, sessions, viewer::load_viewer};
use app::{App, shell};
use axum::{
    Router,
    body::Body,
    extract::{FromRef, Request, State},
    middleware,
    response::IntoResponse,
    routing::{get, post},
};
use http::{HeaderValue, header};
use leptos::nonce::Nonce;
use leptos::prelude::{LeptosOptions, provide_context, use_context};
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use sea_orm::DatabaseConnection;
use std::path::Path;
use std::sync::Arc;
use tower::Layer;
use tower_http::{
    CompressionLevel, compression::CompressionLayer, services::ServeDir,
    set_header::SetResponseHeaderLayer, trace::TraceLayer,
};

/// Pages are gzipped as they are sent, at level 5; built assets are compressed once at
/// build time, brotli'd and gzipped (see `/pkg` below). Not brotli for pages: a page
/// is 10-20 KB of HTML, and brotli's cost for it is mostly setting up its tables (a
/// megabyte zeroed and freed for every answer at quality 5), not the bytes: on the
/// demo's pages it added 0.45-0.8 ms of CPU to 1.0-2.2 ms without compression, gzip
/// 0.2-0.5, for 8% more bytes than brotli (a catalog page 3.2 KB instead of 3.0).
const COMPRESSION_QUALITY: CompressionLevel = CompressionLevel::Precise(5);
/// Built assets have a content hash in their names: cache them for a year.
pub(super) const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[derive(Clone)]
pub struct AppState {
    pub options: LeptosOptions,
    pub db: DatabaseConnection,
    /// Draws a page again around a refused form.
    pub pages: PageRenderer,
    /// The site's address as people reach it, for links in emails; no trailing slash.
    pub public_url: String,
    /// Where photos are written (and served from, under /media).
    pub photos: crate::photo_store::PhotoStore,
    /// How long a new booking's places are held.
    pub hold_for: chrono::Duration,
    /// Booking work that follows a request: offering freed places to waiting lists.
    pub bookings: crate::tasks::bookings::BookingTasks,
    /// The payment provider, and what it settles.
    pub payments: payments::Payments,
    /// How long an order waits for a card payment.
    pub card_window: chrono::Duration,
    /// Stripe's webhook signing secret; without it `/webhooks/stripe` believes nothing.
    pub webhook_secret: Option<String>,
    /// For Stripe.js on the payment page (cards); `None`: no card form.
    pub stripe_publishable_key: Option<String>,
    /// Proxies whose `X-Forwarded-For` names the client (`http::client`).
    pub trusted_proxies: std::sync::Arc<[std::net::IpAddr]>,
    /// What visitors may start in an hour (`http::visit::hourly_limits`).
    pub hourly_limits: domain::people::hourly_limits::HourlyLimits,
    /// What pages and server functions are told of the site's set-up.
    pub settings: app::SiteSettings,
    /// Every page's path (axum syntax): where a visit to a form's address goes.
    pub page_paths: Arc<[String]>,
}

/// Where the site keeps and shows things.
pub struct Site<'a> {
    /// Uploaded and demo photos.
    pub photos: crate::photo_store::PhotoStore,
    /// Where pages point photos when not `/media` here (a public bucket, a CDN).
    pub media_public_url: Option<String>,
    /// `https://…` marks the session cookie `Secure`.
    pub public_url: &'a str,
    /// How long a new booking's places are held.
    pub hold_for: chrono::Duration,
    /// How long places offered to a waiting list are held.
    pub offer_for: chrono::Duration,
    pub payments: payments::Payments,
    pub card_window: chrono::Duration,
    pub webhook_secret: Option<String>,
    pub stripe_publishable_key: Option<String>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    pub hourly_limits: domain::people::hourly_limits::HourlyLimits,
    /// Emails are sent through a mail server (`SMTP_URL` is set).
    pub emails_by_smtp: bool,
    /// Where people write to whoever runs the site (the contact page).
    pub contact_email: Option<String>,
    /// The server's statements, counted when `TIANGUIS_COUNT_QUERIES` asks for each
    /// answer's count.
    pub query_count: Option<store::QueryCount>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.options.clone()
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

/// The whole site. `options.site_root` holds the built CSS/JS/wasm.
pub fn router(options: LeptosOptions, db: DatabaseConnection, site: Site) -> Router {
    let routes = generate_route_list(App);
    let public_url = app::PublicUrl(site.public_url.to_owned());
    let settings = app::SiteSettings {
        provider: site.payments.provider().name(),
        oxxo_days: site.payments.oxxo_days(),
        publishable_key: site.stripe_publishable_key.clone(),
        emails_by_smtp: site.emails_by_smtp,
        contact_email: site.contact_email.clone(),
        stylesheet: crate::stylesheet_href(&options),
    };
    let state = AppState {
        options: options.clone(),
        db: db.clone(),
        pages: PageRenderer::new(
            options.clone(),
            page_context(db.clone(), public_url.clone(), settings.clone()),
        ),
        public_url: site.public_url.to_owned(),
        photos: site.photos.clone(),
        hold_for: site.hold_for,
        bookings: crate::tasks::bookings::BookingTasks {
            db: db.clone(),
            public_url: site.public_url.to_owned(),
            offer_for: site.offer_for,
        },
        payments: site.payments.clone(),
        card_window: site.card_window,
        webhook_secret: site.webhook_secret.clone(),
        stripe_publishable_key: site.stripe_publishable_key.clone(),
        trusted_proxies: site.trusted_proxies.clone().into(),
        hourly_limits: site.hourly_limits,
        settings: settings.clone(),
        page_paths: routes.iter().map(|r| r.path().to_owned()).collect(),
    };
    let context = page_context(db.clone(), public_url.clone(), settings.clone());
    let pkg_dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());

    // Pages, forms and server functions: they know who is asking.
    let pages = Router::<AppState>::new()
        .route("/healthz", get(healthz))
        .route(
            "/calendar/{file}",
            get(crate::http::dashboard::calendar_feed::feed),
        )
        .route(
            "/coop/{slug}/finances/statement.csv",
            get(crate::http::coop::finances::statement),
        )
        .route(
            "/api/{*fn_name}",
            post(server_fn)
                .get(server_fn)
                .layer(middleware::from_fn(crate::http::forms::bounded_body)),
        )
        .merge(endpoints::all().into_router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(middleware::from_fn_with_state(db.clone(), load_viewer))
        .layer(middleware::from_fn_with_state(
            db.clone(),
            crate::http::visit::cart::load_cart,
        ))
        .layer(middleware::from_fn(same_origin_only))
        .layer(sessions::sessions(
            &db,
            site.public_url.starts_with("https://"),
        ));

    // Built assets and photos: the same for everybody, so no session is read.
    let assets = Router::<AppState>::new().nest_service(
        &format!("/{}", options.site_pkg_dir),
        // `make build` writes each file also brotli'd and gzipped at the highest
        // level, once; without them the compression layer compresses per request.
        cached(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
            IMMUTABLE,
        ),
    );
    let protection = Arc::new(Protection {
        stripe: site.stripe_publishable_key.is_some(),
        https: site.public_url.starts_with("https://"),
        photos_from: site
            .media_public_url
            .as_deref()
            .and_then(headers::origin_of),
    });
    let media = match &site.photos {
        crate::photo_store::PhotoStore::Folder(dir) => Router::<AppState>::new()
            .nest_service("/media", ServeDir::new(dir))
            .layer(middleware::from_fn_with_state(
                Arc::new(dir.clone()),
                super::media::photos,
            )),
        bucket => Router::<AppState>::new().route(
            "/media/{file}",
            get(super::media::from_bucket).with_state(bucket.clone()),
        ),
    };

    // What crawlers and browsers ask for by name: the same for everybody, so no
    // session or cart is read.
    let crawlers = Router::<AppState>::new()
        .route("/robots.txt", get(super::crawlers::robots))
        .route("/sitemap.xml", get(super::crawlers::sitemap_index))
        .route("/sitemaps/{file}", get(super::crawlers::sitemap_file))
        .route("/favicon.ico", get(super::crawlers::favicon));

    let router = pages
        .merge(assets)
        .merge(media)
        .merge(crawlers)
        .layer(middleware::from_fn(crate::http::forms::plain_paths_only))
        .layer(middleware::from_fn(lang::negotiate))
        .layer(middleware::from_fn_with_state(protection, headers::protect))
        .layer(
            CompressionLayer::new()
                .br(false)
                .gzip(true)
                .quality(COMPRESSION_QUALITY),
        )
        // Outermost but for the trace: whatever answers, the body is read first.
        .layer(middleware::from_fn(
            super::unread_body::read_before_answering,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    match site.query_count {
        Some(count) => router.layer(middleware::from_fn_with_state(
            count,
            super::query_count::count_per_answer,
        )),
        None => router,
    }
}

/// What every page is drawn with: the database, the site's address and settings, and
/// the nonce `headers::protect` gave the request, for the page's inline scripts.
pub fn page_context(
    db: DatabaseConnection,
    public_url: app::PublicUrl,
    settings: app::SiteSettings,
) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(db.clone());
        provide_context(public_url.clone());
        provide_context(settings.clone());
        let nonce = use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Nonce>().cloned());
        if let Some(nonce) = nonce {
            provide_context(nonce);
        }
    }
}

fn cached<S>(service: S, policy: &'static str) -> SetResponseHeaderLayerService<S> {
    SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static(policy))
        .layer(service)
}

type SetResponseHeaderLayerService<S> = tower_http::set_header::SetResponseHeader<S, HeaderValue>;

async fn server_fn(State(state): State<AppState>, req: Request<Body>) -> impl IntoResponse {
    let public_url = app::PublicUrl(state.public_url.clone());
    let context = page_context(state.db.clone(), public_url, state.settings.clone());
    handle_server_fns_with_context(context, req).await
}
