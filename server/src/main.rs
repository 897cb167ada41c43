//! `tianguis`: serve the marketplace, migrate its database, or load the demo catalog.

use clap::{Parser, Subcommand};
use server::config::Config;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tianguis",
    version,
    about = "Tianguis: a marketplace for community crafts, tours and events"
)]
#[command(
    after_help = "Configuration comes from the environment or a .env file: DATABASE_URL (sqlite://… or postgres://…), TIANGUIS_ADDR, TIANGUIS_PUBLIC_URL, TIANGUIS_MEDIA_DIR, TIANGUIS_WORKERS, RUST_LOG."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default)
    Serve,
    /// Apply pending database migrations
    Migrate,
    /// Load data into the database
    Seed {
        /// Load the demo catalog (only into a database that has no catalog yet)
        #[arg(long, required = true)]
        demo: bool,
        /// Then add listings made from the demo's until the catalog holds this many
        /// (for measuring pages at scale: bench/)
        #[arg(long)]
        listings: Option<usize>,
        /// Then sell (orders over the last three years, through the store's own
        /// operations) until the ledger holds this many postings (for bench/)
        #[arg(long)]
        postings: Option<u64>,
    },
    /// Manage platform admins
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Make a platform admin, creating the account if there is none. The password is
    /// read from TIANGUIS_ADMIN_PASSWORD, or else from the first line of standard input.
    Create {
        /// Their email address (they sign in with it)
        #[arg(long)]
        email: String,
        /// Their name, as the site shows it
        #[arg(long, default_value = "Administración")]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(err) = dotenvy::dotenv()
        && !err.not_found()
    {
        eprintln!("tianguis: .env: {err}");
        return ExitCode::from(2);
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(err) => {
            eprintln!("tianguis: {err}");
            return ExitCode::from(2);
        }
    };
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(command, Command::Serve)
        && let Err(err) = config
            .check_payments()
            .map_err(|e| e.to_string())
            .and_then(|()| server::check_site_built(&config))
    {
        eprintln!("tianguis: {err}");
        return ExitCode::from(2);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&config.log_filter))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.workers)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("tianguis: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    // Run on a worker rather than on this thread: the server accepts connections on
    // the same thread that serves them, instead of waking a worker for each one.
    let work = runtime.spawn(run(command, config));
    match runtime
        .block_on(work)
        .unwrap_or_else(|panic| Err(panic.to_string().into()))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tianguis: {err}");
            if err.is::<BadInput>() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// A value given on the command line that cannot be used: exit code 2, like a bad
/// setting.
#[derive(Debug)]
struct BadInput(String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

async fn run(
    command: Command,
    config: Config,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let db = server::open_database(&config).await?;
    match command {
        Command::Migrate => {
            tracing::info!(database = %redact(&config.database_url), "migrations applied");
        }
        Command::Seed {
            listings, postings, ..
        } => {
            let now = domain::clock::now().on_site();
            let outcome = server::demo::seed_demo(&db, &config.media_dir, now.naive()).await?;
            println!("{outcome:?}");
            // The demo's photos are drawn into the media folder; a bucket gets a copy.
            let photos = config.photo_store()?;
            let copied = photos.take_in(&config.media_dir).await?;
            if copied > 0 {
                println!("{copied} photo files copied to {}", photos.describe());
            }
            // A freshly loaded demo gets its past: orders, payouts, the fund's votes.
            if matches!(outcome, server::demo::SeedOutcome::Loaded { .. }) {
                let history = server::demo::history::seed_history(&db, now.naive()).await?;
                println!("{history:?}");
            }
            if let Some(total) = listings {
                let grown =
                    server::demo::scale::grow_catalog(&db, &config.media_dir, total, now.naive())
                        .await?;
                println!("grown: {grown:?}");
            }
            if let Some(total) = postings {
                let history =
                    server::demo::ledger_scale::grow_ledger(&db, total, now.naive()).await?;
                println!("ledger: {history:?}");
            }
            if listings.is_some() || postings.is_some() {
                store::after_bulk_load(&db).await?;
            }
        }
        Command::Admin(AdminCommand::Create { email, name }) => {
            let email =
                domain::Email::parse(&email).map_err(|e| BadInput(format!("--email: {e}")))?;
            let name =
                domain::PersonName::parse(&name).map_err(|e| BadInput(format!("--name: {e}")))?;
            let password = match std::env::var("TIANGUIS_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let password = domain::NewPassword::parse(&password)
                .map_err(|e| BadInput(format!("password: {e}")))?;
            let now = domain::clock::now();
            let outcome =
                auth::admin::create_platform_admin(&db, email.clone(), name, &password, now)
                    .await
                    .map_err(|err| match err {
                        auth::admin::AdminError::NotItsPassword(_) => {
                            Box::new(BadInput(err.to_string()))
                                as Box<dyn std::error::Error + Send + Sync>
                        }
                        other => other.into(),
                    })?;
            match outcome {
                auth::admin::AdminOutcome::Created => {
                    println!("{email} is a platform admin (new account)")
                }
                auth::admin::AdminOutcome::Promoted => {
                    println!("{email} is a platform admin (existing account, its own password)")
                }
            }
        }
        Command::Serve => {
            let listener = tokio::net::TcpListener::bind(config.addr)
                .await
                .map_err(|e| format!("cannot listen on {} (TIANGUIS_ADDR): {e}", config.addr))?;
            tracing::info!("serving on http://{}", listener.local_addr()?);
            server::serve(listener, &config, db).await?;
        }
    }
    Ok(())
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            let user = creds.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}
