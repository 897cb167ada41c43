#![recursion_limit = "512"]

//! The `tianguis` server as a library, so integration tests start the very same
//! server the binary runs.

pub mod config;
pub mod demo;
pub mod emails;
pub mod http;
pub mod mail;
pub mod photo_store;
pub mod tasks;

use config::Config;
use leptos::prelude::LeptosOptions;
use store::DatabaseConnection;
use tokio::net::TcpListener;

/// Whether the site's built files are where `serve` will look: `hash.txt` beside the
/// executable (cargo-leptos writes it; it names the content-hashed CSS, JS and wasm)
/// and the stylesheet it names under the site root. Without them every page would be
/// served unstyled, so `tianguis serve` refuses to start, saying so in one line.
pub fn check_site_built(config: &Config) -> Result<(), String> {
    let hash_file = hash_file().ok_or("cannot find this program's folder")?;
    let css_hash = stylesheet_hash()?.ok_or_else(|| {
        format!(
            "the site is not built: {} is missing (run `make build`, which writes it \
             with the site's CSS and scripts)",
            hash_file.display()
        )
    })?;
    let css = config
        .site_root
        .join("pkg")
        .join(format!("tianguis.{css_hash}.css"));
    if !css.exists() {
        return Err(format!(
            "the site is not built: {} is missing (run `make build`, or set LEPTOS_SITE_ROOT)",
            css.display()
        ));
    }
    Ok(())
}

/// The stylesheet's content hash as `hash.txt` names it (`css: …`); `None` without
/// the file, an error when it names no stylesheet.
fn stylesheet_hash() -> Result<Option<String>, String> {
    let hash_file = hash_file().ok_or("cannot find this program's folder")?;
    let Ok(hashes) = std::fs::read_to_string(&hash_file) else {
        return Ok(None);
    };
    let hash = hashes
        .lines()
        .find_map(|line| line.trim().strip_prefix("css:"))
        .map(|hash| hash.trim().to_owned())
        .ok_or_else(|| format!("{} names no stylesheet (css: …)", hash_file.display()))?;
    Ok(Some(hash))
}

/// The built stylesheet's address, which every page links to: content-hashed
/// (`/pkg/tianguis.<hash>.css`) when the build wrote `hash.txt`. Worked out once, when
/// the router is made (Leptos' `HashedStylesheet` read the file for every page).
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let hash = match options.hash_files.then(stylesheet_hash) {
        Some(Ok(Some(hash))) => format!(".{hash}"),
        _ => String::new(),
    };
    format!(
        "/{}/{}{hash}.css",
        options.site_pkg_dir, options.output_name
    )
}

/// `hash.txt` beside the program, where cargo-leptos writes it (and Leptos reads it).
fn hash_file() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join("hash.txt"))
}

/// Leptos' settings, from our configuration rather than from Cargo metadata, so the
/// binary runs the same with or without cargo-leptos around it. Content-hashed
/// asset names are used when the build wrote its hash file next to the binary.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_file_present = hash_file().is_some_and(|f| f.exists());
    LeptosOptions::builder()
        .output_name("tianguis")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(hash_file_present)
        .build()
}

/// Connects and brings the schema up to date.
pub async fn open_database(config: &Config) -> Result<DatabaseConnection, store::StoreError> {
    let db = store::connect(&config.database_url).await?;
    store::migrate(&db).await?;
    // Listings published before the search index existed, or loaded in bulk by a
    // process that stopped before indexing them, or emptied by a migration to be
    // written anew: a bulk load, after which the planner needs fresh statistics.
    if store::catalog::search_index::index_missing(&db).await? > 0 {
        store::after_bulk_load(&db).await?;
    }
    Ok(db)
}

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM).
pub async fn serve(
    listener: TcpListener,
    config: &Config,
    mut db: DatabaseConnection,
) -> std::io::Result<()> {
    // Before any clone is made, so that every query of the server's is counted.
    let query_count = config.count_queries.then(|| store::count_queries(&mut db));
    // This server among any others on the database: each round of background work
    // is claimed, and done by the one server that claims it.
    let worker = tasks::claims::Worker::new(
        db.clone(),
        chrono::Duration::seconds(i64::from(config.lease_seconds)),
    );
    let sweeper = tokio::spawn(http::sweep_expired_sessions(worker.clone()));
    let photos = config.photo_store().map_err(std::io::Error::other)?;
    if let Some(base) = &config.media_public_url {
        domain::catalog::set_media_base(base.clone());
    }
    let renditions = tokio::spawn({
        let (worker, photos) = (worker.clone(), photos.clone());
        async move {
            let once = std::time::Duration::from_secs(24 * 60 * 60);
            worker
                .run(
                    tasks::claims::job::RENDITIONS,
                    tasks::claims::When::Free,
                    once,
                    || tasks::photos::add_missing_renditions(photos),
                )
                .await
        }
    });
    let tasks = tasks::bookings::BookingTasks {
        db: db.clone(),
        public_url: config.public_url.clone(),
        offer_for: chrono::Duration::minutes(i64::from(config.offer_minutes)),
    };
    // Holds that ran out while the server was down give their places back before the
    // first request is answered.
    tasks.sweep_round(&worker, tasks::claims::When::Free).await;
    let booking_work = tokio::spawn(tasks.clone().run(worker.clone()));
    let mailer = match &config.smtp_url {
        Some(url) => {
            let mailer =
                mail::Mailer::new(url, &config.mail_from).map_err(std::io::Error::other)?;
            Some(tokio::spawn(mail::run(worker.clone(), mailer)))
        }
        None => None,
    };
    config.check_payments().map_err(std::io::Error::other)?;
    let payments = payments_of(config, &db).map_err(std::io::Error::other)?;
    let reconciliation = tasks::reconcile::PaymentTasks {
        payments: payments.clone(),
        public_url: config.public_url.clone(),
        bookings: tasks.clone(),
        every: std::time::Duration::from_secs(u64::from(config.reconcile_seconds)),
    };
    // News missed while the server was down (a webhook to a dead process, a crash
    // between making a payment and hearing of it): every waiting order is asked
    // about once before the first request is answered.
    reconciliation.reconcile_round(&worker, true).await;
    let payment_work = tokio::spawn(reconciliation.run(worker));
    let site = http::Site {
        photos,
        media_public_url: config.media_public_url.clone(),
        public_url: &config.public_url,
        hold_for: chrono::Duration::minutes(i64::from(config.hold_minutes)),
        offer_for: chrono::Duration::minutes(i64::from(config.offer_minutes)),
        payments,
        card_window: chrono::Duration::minutes(i64::from(config.card_pay_minutes)),
        webhook_secret: config.stripe.as_ref().map(|s| s.webhook_secret.clone()),
        stripe_publishable_key: config
            .stripe
            .as_ref()
            .and_then(|s| s.publishable_key.clone()),
        trusted_proxies: config.trusted_proxies.clone(),
        hourly_limits: config.hourly_limits,
        emails_by_smtp: config.smtp_url.is_some(),
        contact_email: config.contact_email.clone(),
        query_count,
    };
    let app = http::router(leptos_options(config), db, site);
    // Peer addresses, to slow down whoever guesses passwords from one address
    // (`http::client` reads them, and trusted proxies' `X-Forwarded-For`).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    sweeper.abort();
    renditions.abort();
    booking_work.abort();
    payment_work.abort();
    if let Some(mailer) = mailer {
        mailer.abort();
    }
    served
}

/// The payment provider the configuration chooses: Stripe when its key is set, else
/// the simulated one (the demo's).
pub fn payments_of(
    config: &Config,
    db: &DatabaseConnection,
) -> Result<payments::Payments, payments::ProviderError> {
    let provider = match &config.stripe {
        Some(stripe) => payments::Provider::Stripe(Box::new(payments::stripe::Stripe::new(
            &stripe.secret_key,
            &stripe.api_base,
        )?)),
        // Only when asked for by name: `serve` checks `Config::check_payments` first.
        None => payments::Provider::Simulated(payments::simulated::Simulated::new(
            db.clone(),
            config.oxxo_days,
        )),
    };
    Ok(payments::Payments::new(
        provider,
        db.clone(),
        config.oxxo_days,
    ))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
