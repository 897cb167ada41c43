//! `spawn_app()`: the real server, on port 0, over a fresh database of the chosen
//! backend (a new SQLite file, or a new PostgreSQL database), with the demo catalog.
#![allow(dead_code)]

pub mod bookings;
pub mod orders;
pub mod process;
pub mod s3;
pub mod smtp;
pub mod stripe;

use sea_orm::{ConnectionTrait, Database};
use server::config::Config;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use store::DatabaseConnection;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    /// The database it serves, for a second server on the same data.
    pub database_url: String,
    pub now: domain::clock::SiteTime,
    /// A client that sends no Accept-Language and keeps no cookies.
    pub client: reqwest::Client,
    /// What it was started with, for a second server like it.
    pub config: Config,
    cleanup: Option<Cleanup>,
}

pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    /// Reads a whole response.
    pub async fn read(res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.text().await.expect("body is text");
        Page {
            status,
            headers,
            body,
        }
    }

    /// How many listing cards the page shows.
    pub fn card_count(&self) -> usize {
        self.body.matches("class=\"card\"").count()
    }

    /// The community slugs the cards link to.
    pub fn card_communities(&self) -> Vec<String> {
        self.body
            .split("href=\"/communities/")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap_or_default().to_owned())
            .collect()
    }

    pub fn has(&self, text: &str) -> bool {
        self.body.contains(text)
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(&self.client, path, &[]).await
    }

    /// A photo under `/media`, answered 200: its headers and its pixels.
    pub async fn photo(&self, path: &str) -> (reqwest::header::HeaderMap, image::DynamicImage) {
        let res = self.client.get(self.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let headers = res.headers().clone();
        let bytes = res.bytes().await.unwrap();
        let image = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        (headers, image)
    }

    pub async fn get_in(&self, accept_language: &str, path: &str) -> Page {
        self.get_with(&self.client, path, &[("accept-language", accept_language)])
            .await
    }

    pub async fn get_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = client.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request reaches the server");
        Page::read(res).await
    }
}

/// A browser: keeps its cookies (its session), follows no redirects, so tests see
/// each 303 and where it points.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

impl Page {
    /// Where a redirect points.
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// Posts a form as a browser does (`application/x-www-form-urlencoded`).
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Page {
        let res = client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("request reaches the server");
        Page::read(res).await
    }

    /// Posts the sign-up form as `client`.
    pub async fn sign_up(
        &self,
        client: &reqwest::Client,
        name: &str,
        email: &str,
        password: &str,
    ) -> Page {
        self.post_form(
            client,
            "/sign-up",
            &[("name", name), ("email", email), ("password", password)],
        )
        .await
    }

    /// Signs `client` in; panics if that does not work.
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) {
        let page = self
            .post_form(
                client,
                "/sign-in",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(page.status, 303, "{email} signs in: {}", page.body);
    }

    /// The path and query of the newest link starting with `prefix` in an email
    /// queued for `to` (links point at the configured public URL, not this server).
    pub async fn link_emailed_to(&self, to: &str, prefix: &str) -> String {
        let emails = bookings::emails_to(self, to).await;
        let link = format!("http://tianguis.test{prefix}");
        let body = emails
            .iter()
            .rev()
            .map(|e| e.body.as_str())
            .find(|b| b.contains(&link))
            .unwrap_or_else(|| panic!("a {prefix} link emailed to {to}: {emails:?}"));
        let start = body.rfind(&link).unwrap() + "http://tianguis.test".len();
        body[start..].split_whitespace().next().unwrap().to_owned()
    }

    /// A new browser signed in as the demo account `email` (its password is the demo's).
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = browser();
        self.sign_in(&client, email, server::demo::accounts::DEMO_PASSWORD)
            .await;
        client
    }
}

/// Temporary files and databases live under Cargo's scratch folder for tests.
pub fn scratch_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

pub fn postgres_admin_url() -> String {
    std::env::var("TIANGUIS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database URL nobody has used yet.
pub async fn fresh_database_url(backend: Backend) -> (String, Option<Cleanup>) {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let unique = format!(
        "{}_{}_{n}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    match backend {
        Backend::Sqlite => {
            let path = scratch_dir().join(format!("test-{unique}.db"));
            let url = format!("sqlite://{}", path.display());
            (url, Some(Cleanup::SqliteFile(path)))
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let admin = Database::connect(&admin_url)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL must be reachable at {admin_url}: {e}"));
            let name = format!("tianguis_test_{unique}");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create a test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            (
                format!("{base}/{name}"),
                Some(Cleanup::PostgresDb { admin_url, name }),
            )
        }
    }
}

/// The settings of a test server on `database_url`.
pub fn test_config(database_url: String, media_dir: PathBuf) -> Config {
    Config {
        database_url,
        addr: "127.0.0.1:0".parse().unwrap(),
        media_dir,
        media_url: None,
        media_settings: Vec::new(),
        media_public_url: None,
        site_root: scratch_dir().join("site"),
        log_filter: "warn".to_owned(),
        public_url: "http://tianguis.test".to_owned(),
        workers: 1,
        smtp_url: None,
        mail_from: "Tianguis <no-reply@tianguis.test>".to_owned(),
        contact_email: Some("hola@tianguis.test".to_owned()),
        hold_minutes: 15,
        offer_minutes: 120,
        stripe: None,
        simulated_payments: true,
        card_pay_minutes: 30,
        oxxo_days: 2,
        reconcile_seconds: 3600,
        lease_seconds: 300,
        trusted_proxies: Vec::new(),
        // Tests book and buy from one address and a few emails many times over: the
        // limits are tried by the tests that set them low.
        hourly_limits: domain::people::hourly_limits::HourlyLimits {
            per_email: 100_000,
            per_address: 100_000,
            emails_per_recipient: 100_000,
        },
        count_queries: false,
    }
}

/// Another server on the same database as `app` (as after a restart); its address.
pub async fn spawn_server_on(app: &TestApp) -> String {
    let config = app.config.clone();
    let db = server::open_database(&config)
        .await
        .expect("database opens");
    let listener = tokio::net::TcpListener::bind(config.addr).await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        server::serve(listener, &config, db)
            .await
            .expect("server runs");
    });
    until_ready(&address).await;
    address
}

/// Waits until the server at `address` answers: its start-up work (holds that ran
/// out, payments to ask the provider about) is done before it serves, so a test's own
/// writes never race it.
async fn until_ready(address: &str) {
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if let Ok(res) = client.get(format!("{address}/healthz")).send().await
            && res.status().is_success()
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the server at {address} did not start within 6 s");
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// [`spawn_app`] with its configuration changed by `configure` (Stripe's keys, say).
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut app = seeded_app(backend, configure).await;
    let listener = tokio::net::TcpListener::bind(app.config.addr)
        .await
        .unwrap();
    app.address = format!("http://{}", listener.local_addr().unwrap());
    let served_db = app.db.clone();
    let served_config = app.config.clone();
    tokio::spawn(async move {
        server::serve(listener, &served_config, served_db)
            .await
            .expect("server runs");
    });
    until_ready(&app.address).await;
    app
}

/// A fresh database with the demo loaded, and no server yet: the test starts its own
/// (server processes, say) and sets `address` to where they answer.
pub async fn seeded_app(backend: Backend, configure: impl FnOnce(&mut Config)) -> TestApp {
    let (database_url, cleanup) = fresh_database_url(backend).await;
    let media_dir = scratch_dir().join("media");
    // Draw the demo photos once per test binary, before the tests seed in parallel.
    static PHOTOS: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    let dir = media_dir.clone();
    tokio::task::spawn_blocking(move || {
        PHOTOS.get_or_init(|| {
            server::demo::draw_photos(&dir).expect("demo photos draw");
        });
    })
    .await
    .unwrap();
    let mut config = test_config(database_url.clone(), media_dir.clone());
    configure(&mut config);
    let db = server::open_database(&config)
        .await
        .expect("database opens and migrates");
    let now = domain::clock::now().on_site();
    server::demo::seed_demo(&db, &media_dir, now.naive())
        .await
        .expect("demo catalog loads");
    TestApp {
        address: String::new(),
        db,
        database_url,
        now,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        config,
        cleanup,
    }
}

pub enum Cleanup {
    SqliteFile(PathBuf),
    PostgresDb { admin_url: String, name: String },
}

impl Drop for TestApp {
    fn drop(&mut self) {
        clean_up(self.cleanup.take());
    }
}

/// A fresh, migrated database with no data, for tests of the store alone.
pub struct TestDb {
    pub db: DatabaseConnection,
    cleanup: Option<Cleanup>,
}

pub async fn fresh_database(backend: Backend) -> TestDb {
    let (url, cleanup) = fresh_database_url(backend).await;
    let db = store::connect(&url).await.expect("test database opens");
    store::migrate(&db).await.expect("test database migrates");
    TestDb { db, cleanup }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        clean_up(self.cleanup.take());
    }
}

fn clean_up(cleanup: Option<Cleanup>) {
    match cleanup {
        Some(Cleanup::SqliteFile(path)) => {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        Some(Cleanup::PostgresDb { admin_url, name }) => drop_postgres_database(admin_url, name),
        None => {}
    }
}

/// Drops a test database from a thread of its own (Drop cannot await).
pub fn drop_postgres_database(admin_url: String, name: String) {
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
            }
        });
    })
    .join();
}

/// Waits until `check` holds, asking every 50 ms, and fails the test saying `what` did
/// not happen if it does not within `limit`.
pub async fn within<F, Fut>(limit: std::time::Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what} never happened (waited {limit:?})");
}

/// Runs each listed test once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::support::Backend::Postgres).await
                }
            )*
        }
    };
}

/// Every journal entry adds up to zero.
pub async fn assert_books_balance(app: &TestApp) {
    assert_eq!(
        store::money::ledger::unbalanced_entries(&app.db)
            .await
            .unwrap(),
        Vec::<i32>::new(),
        "every journal entry adds up to zero"
    );
    assert_public_totals_agree(&app.db, app.now).await;
}

/// The public totals each cooperative and community page shows (running sums) are
/// what the whole ledger and fund add up to again.
pub async fn assert_public_totals_agree(
    db: &store::DatabaseConnection,
    now: domain::clock::SiteTime,
) {
    let off = store::money::finances::totals_off_the_ledger(db, now)
        .await
        .unwrap();
    assert!(
        off.is_empty(),
        "public totals that are not the ledger's: (whose, kept, recounted) {off:#?}"
    );
}
