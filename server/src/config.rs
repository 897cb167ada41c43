//! Configuration from the environment (optionally from a `.env` file). Each bad
//! value is reported in one line naming the variable; the binary then exits with 2.

use std::net::SocketAddr;
use std::path::PathBuf;
use store::Backend;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tianguis.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_MEDIA_DIR: &str = "data/media";
/// Where `cargo leptos build` puts the CSS, JS and wasm (`LEPTOS_SITE_ROOT` wins).
pub const DEFAULT_SITE_ROOT: &str = "target/site";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    /// The folder photos are kept in (`TIANGUIS_MEDIA_DIR`, `data/media`), unless
    /// `media_url` names a bucket; the demo's photos are drawn here first either way.
    pub media_dir: PathBuf,
    /// An S3-compatible bucket for photos, shared by every server
    /// (`TIANGUIS_MEDIA_URL=s3://bucket/prefix`; keys, region, `AWS_ENDPOINT_URL` and
    /// `AWS_ALLOW_HTTP` from the usual `AWS_*` variables). None: `media_dir`.
    pub media_url: Option<String>,
    /// How to reach that bucket: the `AWS_*` variables (`photo_store::AWS_VARIABLES`).
    pub media_settings: Vec<(String, String)>,
    /// Where pages point photos (`TIANGUIS_MEDIA_PUBLIC_URL`, a public bucket or a
    /// CDN, e.g. `https://cdn.example.mx/media`); by default `/media` on this site,
    /// served by the server from the folder or the bucket.
    pub media_public_url: Option<String>,
    pub site_root: PathBuf,
    pub log_filter: String,
    /// The address people reach the site at (`TIANGUIS_PUBLIC_URL`, no trailing
    /// slash): links in emails start with it, and sign-in cookies are marked
    /// `Secure` when it is https.
    pub public_url: String,
    /// Threads that serve requests. One by default: on the small machines Tianguis
    /// targets it spends the least CPU per page (see bench/); more add throughput on
    /// machines with cores to spare.
    pub workers: usize,
    /// Where email is sent (`SMTP_URL`, e.g. `smtps://user:pass@smtp.example.mx` or
    /// `smtp://localhost:25`). Without it emails wait in the outbox, readable by
    /// platform admins at /admin/outbox.
    pub smtp_url: Option<String>,
    /// Who emails come from (`TIANGUIS_MAIL_FROM`, `Name <address>`).
    pub mail_from: String,
    /// Where people write to whoever runs this site (`TIANGUIS_CONTACT_EMAIL`), shown
    /// on the contact page; none by default.
    pub contact_email: Option<String>,
    /// How long a booking's places are held while it is paid for
    /// (`TIANGUIS_HOLD_MINUTES`, 15 by default).
    pub hold_minutes: u32,
    /// How long places offered to the first on a waiting list are held for them
    /// (`TIANGUIS_WAITLIST_OFFER_MINUTES`, 120 by default: they may be at work).
    pub offer_minutes: u32,
    /// Stripe, when `STRIPE_SECRET_KEY` is set.
    pub stripe: Option<StripeConfig>,
    /// The simulated provider, asked for with `TIANGUIS_PAYMENTS=simulated` (a demo,
    /// the tests): anyone with an order's link can "pay" it with a button, so it is
    /// never chosen by default, and `serve` refuses to start with neither this nor
    /// Stripe's keys ([`Config::check_payments`]).
    pub simulated_payments: bool,
    /// How long an order waits for a card payment (`TIANGUIS_CARD_PAY_MINUTES`, 30).
    pub card_pay_minutes: u32,
    /// Days an OXXO voucher may be paid (`TIANGUIS_OXXO_DAYS`, 1 to 3; 2 by default).
    pub oxxo_days: u32,
    /// How often orders past their deadline are settled with the provider
    /// (`TIANGUIS_RECONCILE_SECONDS`, 60).
    pub reconcile_seconds: u32,
    /// How long a server's claim on a round of background work, or on a batch of
    /// emails, lasts (`TIANGUIS_LEASE_SECONDS`, 60): should the server die holding
    /// it, another server does the work this long after.
    pub lease_seconds: u32,
    /// Proxies in front of the server whose `X-Forwarded-For` is believed
    /// (`TIANGUIS_TRUSTED_PROXIES`, addresses separated by commas; none by default, so
    /// the client's address is the connection's).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// What one email address or one client address may start in an hour, and how
    /// many emails a visitor may have the site write one address in an hour
    /// (`TIANGUIS_LIMIT_PER_EMAIL_HOUR`, 10; `TIANGUIS_LIMIT_PER_ADDRESS_HOUR`, 60;
    /// `TIANGUIS_EMAILS_PER_RECIPIENT_HOUR`, 20).
    pub hourly_limits: domain::people::hourly_limits::HourlyLimits,
    /// Each answer says in its `x-queries` header how many database statements it
    /// took (`TIANGUIS_COUNT_QUERIES=yes`, for `bench/`; answers are then read whole
    /// before they go out). Off by default.
    pub count_queries: bool,
}

/// Stripe's keys and where its API is.
#[derive(Clone, PartialEq, Eq)]
pub struct StripeConfig {
    /// `STRIPE_SECRET_KEY` (`sk_test_…` or `sk_live_…`).
    pub secret_key: String,
    /// `STRIPE_WEBHOOK_SECRET` (`whsec_…`): without it no webhook is believed.
    pub webhook_secret: String,
    /// `STRIPE_PUBLISHABLE_KEY` (`pk_…`), for Stripe.js to take card details in the
    /// browser; without it only OXXO is offered.
    pub publishable_key: Option<String>,
    /// `STRIPE_API_BASE`: Stripe's API unless set (the tests' fake).
    pub api_base: String,
}

// Keys never reach a log line.
impl std::fmt::Debug for StripeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeConfig")
            .field("api_base", &self.api_base)
            .field("publishable_key", &self.publishable_key.is_some())
            .finish_non_exhaustive()
    }
}

/// Whether `TIANGUIS_PAYMENTS` asks for the simulated provider (`stripe`, the default,
/// or `simulated`). Refused beside Stripe's keys (one or the other), and on an https
/// public address, where real visitors would meet it, unless
/// `TIANGUIS_ALLOW_DEMO_PAYMENTS=yes` says this public site is a demo.
fn simulated_payments(
    get: &impl Fn(&str) -> Option<String>,
    stripe_keys: bool,
    public_url: &str,
) -> Result<bool, ConfigError> {
    let var = "TIANGUIS_PAYMENTS";
    let simulated = match get(var).as_deref().map(str::trim) {
        None | Some("stripe") => false,
        Some("simulated") => true,
        Some(other) => {
            return Err(ConfigError {
                var,
                reason: format!(
                    "{other:?} is not a payment provider: stripe (the default) or simulated (a demo)"
                ),
            });
        }
    };
    if simulated && stripe_keys {
        return Err(ConfigError {
            var,
            reason: "is simulated while STRIPE_SECRET_KEY is set: choose one".to_owned(),
        });
    }
    let public_demo = get("TIANGUIS_ALLOW_DEMO_PAYMENTS").is_some_and(|v| v.trim() == "yes");
    if simulated && public_url.starts_with("https://") && !public_demo {
        return Err(ConfigError {
            var,
            reason: format!(
                "is simulated on {public_url}, where anyone could mark an order paid with a button: \
                 set Stripe's keys, or TIANGUIS_ALLOW_DEMO_PAYMENTS=yes if this public site is a demo"
            ),
        });
    }
    Ok(simulated)
}

/// `TIANGUIS_TRUSTED_PROXIES`: IP addresses separated by commas.
fn trusted_proxies(text: Option<String>) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|address| {
            address.parse().map_err(|_| ConfigError {
                var: "TIANGUIS_TRUSTED_PROXIES",
                reason: format!(
                    "{address:?} is not an IP address; list the proxies' addresses separated by commas, like 10.0.0.2,10.0.0.3"
                ),
            })
        })
        .collect()
}

/// Reads a whole number from `range` (`what` says what it counts, for the error).
fn number(
    var: &'static str,
    text: Option<String>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
    what: &str,
) -> Result<u32, ConfigError> {
    let Some(text) = text else {
        return Ok(default);
    };
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| ConfigError {
            var,
            reason: format!(
                "{text:?} is not a number of {what} from {} to {}",
                range.start(),
                range.end()
            ),
        })
}

fn stripe(get: &impl Fn(&str) -> Option<String>) -> Result<Option<StripeConfig>, ConfigError> {
    let Some(secret_key) = get("STRIPE_SECRET_KEY") else {
        return Ok(None);
    };
    if !secret_key.starts_with("sk_") && !secret_key.starts_with("rk_") {
        return Err(ConfigError {
            var: "STRIPE_SECRET_KEY",
            reason: "is not a Stripe secret key (sk_test_… or sk_live_…)".to_owned(),
        });
    }
    let webhook_secret = get("STRIPE_WEBHOOK_SECRET").ok_or_else(|| ConfigError {
        var: "STRIPE_WEBHOOK_SECRET",
        reason: "is needed with STRIPE_SECRET_KEY: the endpoint's signing secret (whsec_…)"
            .to_owned(),
    })?;
    let api_base = get("STRIPE_API_BASE").unwrap_or_else(|| payments::stripe::API_BASE.to_owned());
    if !(api_base.starts_with("http://") || api_base.starts_with("https://")) {
        return Err(ConfigError {
            var: "STRIPE_API_BASE",
            reason: format!("{api_base:?} is not a web address like https://api.stripe.com/"),
        });
    }
    Ok(Some(StripeConfig {
        secret_key,
        webhook_secret,
        publishable_key: get("STRIPE_PUBLISHABLE_KEY"),
        api_base,
    }))
}

/// Reads a number of minutes from 1 to a week.
fn minutes(var: &'static str, text: Option<String>, default: u32) -> Result<u32, ConfigError> {
    number(var, text, default, 1..=7 * 24 * 60, "minutes")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub reason: String,
}

impl Config {
    /// Where photos are kept: the bucket `media_url` names, else `media_dir`.
    pub fn photo_store(&self) -> Result<crate::photo_store::PhotoStore, String> {
        match &self.media_url {
            Some(url) => crate::photo_store::PhotoStore::bucket(url, &self.media_settings),
            None => Ok(crate::photo_store::PhotoStore::Folder(
                self.media_dir.clone(),
            )),
        }
    }

    /// Whether a payment provider was chosen: Stripe's keys, or the simulated one asked
    /// for by name. `serve` needs one; the other commands do not.
    pub fn check_payments(&self) -> Result<(), ConfigError> {
        if self.stripe.is_some() || self.simulated_payments {
            return Ok(());
        }
        Err(ConfigError {
            var: "STRIPE_SECRET_KEY",
            reason: "is not set, so no payment can be taken: set STRIPE_SECRET_KEY and \
                     STRIPE_WEBHOOK_SECRET, or TIANGUIS_PAYMENTS=simulated for a demo \
                     (make run does)"
                .to_owned(),
        })
    }

    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads configuration through `lookup`, so tests need not touch the real environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if Backend::of_url(&database_url).is_none() {
            return Err(ConfigError {
                var: "DATABASE_URL",
                reason: format!(
                    "{database_url:?} is not supported; use sqlite://path/to/file.db or postgres://user@host:port/database"
                ),
            });
        }

        let addr_text = get("TIANGUIS_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr = addr_text.parse().map_err(|_| ConfigError {
            var: "TIANGUIS_ADDR",
            reason: format!("{addr_text:?} is not an address like 127.0.0.1:3000"),
        })?;

        let media_dir = PathBuf::from(
            get("TIANGUIS_MEDIA_DIR").unwrap_or_else(|| DEFAULT_MEDIA_DIR.to_owned()),
        );
        if media_dir.is_file() {
            return Err(ConfigError {
                var: "TIANGUIS_MEDIA_DIR",
                reason: format!("{} is a file, not a folder", media_dir.display()),
            });
        }

        let media_url = get("TIANGUIS_MEDIA_URL").filter(|u| !u.trim().is_empty());
        let media_settings = crate::photo_store::aws_settings(get);
        if let Some(url) = &media_url {
            crate::photo_store::PhotoStore::bucket(url, &media_settings).map_err(|reason| {
                ConfigError {
                    var: "TIANGUIS_MEDIA_URL",
                    reason,
                }
            })?;
        }
        let media_public_url = get("TIANGUIS_MEDIA_PUBLIC_URL")
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(url) = &media_public_url
            && !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        {
            return Err(ConfigError {
                var: "TIANGUIS_MEDIA_PUBLIC_URL",
                reason: format!("{url:?} is not a web address like https://cdn.example.mx/media"),
            });
        }

        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| DEFAULT_SITE_ROOT.to_owned()));

        let public_url = get("TIANGUIS_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://"))
            || public_url.contains(char::is_whitespace)
        {
            return Err(ConfigError {
                var: "TIANGUIS_PUBLIC_URL",
                reason: format!(
                    "{public_url:?} is not a web address like https://tianguis.example.mx"
                ),
            });
        }

        let log_filter =
            get("RUST_LOG").unwrap_or_else(|| "info,sqlx=warn,sea_orm=warn".to_owned());
        tracing_subscriber::EnvFilter::try_new(&log_filter).map_err(|e| ConfigError {
            var: "RUST_LOG",
            reason: format!("{log_filter:?} is not a log filter: {e}"),
        })?;

        let workers_text = get("TIANGUIS_WORKERS").unwrap_or_else(|| "1".to_owned());
        let workers = workers_text
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=256).contains(n))
            .ok_or_else(|| ConfigError {
                var: "TIANGUIS_WORKERS",
                reason: format!("{workers_text:?} is not a number of threads from 1 to 256"),
            })?;

        let smtp_url = get("SMTP_URL");
        if let Some(url) = &smtp_url {
            crate::mail::check_smtp_url(url).map_err(|reason| ConfigError {
                var: "SMTP_URL",
                reason,
            })?;
        }
        let mail_from = get("TIANGUIS_MAIL_FROM").unwrap_or_else(|| {
            let host = public_url
                .split_once("://")
                .map(|(_, rest)| rest.split([':', '/']).next().unwrap_or_default())
                .filter(|h| h.contains('.') && h.parse::<std::net::IpAddr>().is_err())
                .unwrap_or("tianguis.invalid");
            format!("Tianguis <no-reply@{host}>")
        });
        crate::mail::check_mail_from(&mail_from).map_err(|reason| ConfigError {
            var: "TIANGUIS_MAIL_FROM",
            reason,
        })?;

        let contact_email = match get("TIANGUIS_CONTACT_EMAIL").filter(|e| !e.trim().is_empty()) {
            Some(email) => Some(
                domain::Email::parse(&email)
                    .map_err(|_| ConfigError {
                        var: "TIANGUIS_CONTACT_EMAIL",
                        reason: format!("{email:?} is not an email address"),
                    })?
                    .to_string(),
            ),
            None => None,
        };
        let trusted_proxies = trusted_proxies(get("TIANGUIS_TRUSTED_PROXIES"))?;
        let defaults = domain::people::hourly_limits::HourlyLimits::default();
        let per_hour = |var: &'static str, default: u32, what: &str| {
            number(var, get(var), default, 1..=100_000, what)
        };
        let hourly_limits = domain::people::hourly_limits::HourlyLimits {
            per_email: per_hour(
                "TIANGUIS_LIMIT_PER_EMAIL_HOUR",
                defaults.per_email,
                "holds, RSVPs or orders an email address may start in an hour",
            )?,
            per_address: per_hour(
                "TIANGUIS_LIMIT_PER_ADDRESS_HOUR",
                defaults.per_address,
                "holds, RSVPs or orders a client address may start in an hour",
            )?,
            emails_per_recipient: per_hour(
                "TIANGUIS_EMAILS_PER_RECIPIENT_HOUR",
                defaults.emails_per_recipient,
                "emails to one address in an hour",
            )?,
        };
        let stripe = stripe(&get)?;
        let simulated_payments = simulated_payments(&get, stripe.is_some(), &public_url)?;

        Ok(Config {
            database_url,
            addr,
            media_dir,
            media_url,
            media_settings,
            media_public_url,
            site_root,
            log_filter,
            public_url,
            workers,
            smtp_url,
            mail_from,
            contact_email,
            hold_minutes: minutes("TIANGUIS_HOLD_MINUTES", get("TIANGUIS_HOLD_MINUTES"), 15)?,
            offer_minutes: minutes(
                "TIANGUIS_WAITLIST_OFFER_MINUTES",
                get("TIANGUIS_WAITLIST_OFFER_MINUTES"),
                120,
            )?,
            stripe,
            simulated_payments,
            card_pay_minutes: number(
                "TIANGUIS_CARD_PAY_MINUTES",
                get("TIANGUIS_CARD_PAY_MINUTES"),
                30,
                5..=24 * 60,
                "minutes",
            )?,
            oxxo_days: number(
                "TIANGUIS_OXXO_DAYS",
                get("TIANGUIS_OXXO_DAYS"),
                2,
                1..=3,
                "days",
            )?,
            reconcile_seconds: number(
                "TIANGUIS_RECONCILE_SECONDS",
                get("TIANGUIS_RECONCILE_SECONDS"),
                60,
                1..=3600,
                "seconds",
            )?,
            lease_seconds: number(
                "TIANGUIS_LEASE_SECONDS",
                get("TIANGUIS_LEASE_SECONDS"),
                60,
                2..=3600,
                "seconds",
            )?,
            trusted_proxies,
            hourly_limits,
            count_queries: get("TIANGUIS_COUNT_QUERIES").is_some_and(|v| v.trim() == "yes"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_to_embedded_sqlite_on_port_3000() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.workers, 1);
        assert_eq!(c.public_url, "http://127.0.0.1:3000");
    }

    #[test]
    fn trusted_proxies_are_a_list_of_addresses_and_none_by_default() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let c = config(&[("TIANGUIS_TRUSTED_PROXIES", "10.0.0.2, ::1,")]).unwrap();
        assert_eq!(
            c.trusted_proxies,
            [
                "10.0.0.2".parse::<std::net::IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        let bad = config(&[("TIANGUIS_TRUSTED_PROXIES", "10.0.0.0/8")]).unwrap_err();
        assert_eq!(bad.var, "TIANGUIS_TRUSTED_PROXIES");
        assert!(bad.reason.contains("10.0.0.0/8"), "{}", bad.reason);
    }

    #[test]
    fn hourly_limits_have_defaults_and_take_whole_numbers() {
        let c = config(&[]).unwrap();
        assert_eq!(
            c.hourly_limits,
            domain::people::hourly_limits::HourlyLimits::default()
        );
        let c = config(&[
            ("TIANGUIS_LIMIT_PER_EMAIL_HOUR", "3"),
            ("TIANGUIS_LIMIT_PER_ADDRESS_HOUR", "500"),
            ("TIANGUIS_EMAILS_PER_RECIPIENT_HOUR", "7"),
        ])
        .unwrap();
        assert_eq!(
            (
                c.hourly_limits.per_email,
                c.hourly_limits.per_address,
                c.hourly_limits.emails_per_recipient
            ),
            (3, 500, 7)
        );
        let bad = config(&[("TIANGUIS_LIMIT_PER_ADDRESS_HOUR", "0")]).unwrap_err();
        assert_eq!(bad.var, "TIANGUIS_LIMIT_PER_ADDRESS_HOUR");
    }

    #[test]
    fn simulated_payments_are_only_ever_asked_for_by_name() {
        let c = config(&[]).unwrap();
        assert!(!c.simulated_payments);
        let refused = c.check_payments().unwrap_err();
        assert!(
            refused.reason.contains("TIANGUIS_PAYMENTS=simulated"),
            "{}",
            refused.reason
        );

        let demo = config(&[("TIANGUIS_PAYMENTS", "simulated")]).unwrap();
        assert!(demo.simulated_payments && demo.check_payments().is_ok());

        let both = config(&[
            ("TIANGUIS_PAYMENTS", "simulated"),
            ("STRIPE_SECRET_KEY", "sk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
        ])
        .unwrap_err();
        assert_eq!(both.var, "TIANGUIS_PAYMENTS");

        let public = [
            ("TIANGUIS_PAYMENTS", "simulated"),
            ("TIANGUIS_PUBLIC_URL", "https://tianguis.example.mx"),
        ];
        assert_eq!(config(&public).unwrap_err().var, "TIANGUIS_PAYMENTS");
        let public_demo = [
            public[0],
            public[1],
            ("TIANGUIS_ALLOW_DEMO_PAYMENTS", "yes"),
        ];
        assert!(config(&public_demo).unwrap().simulated_payments);
        assert_eq!(
            config(&[("TIANGUIS_PAYMENTS", "free")]).unwrap_err().var,
            "TIANGUIS_PAYMENTS"
        );
    }

    #[test]
    fn stripe_is_used_when_its_key_is_set() {
        let c = config(&[]).unwrap();
        assert!(c.stripe.is_none());
        assert_eq!((c.card_pay_minutes, c.oxxo_days), (30, 2));
        let c = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
        ])
        .unwrap();
        let stripe = c.stripe.unwrap();
        assert_eq!(stripe.api_base, "https://api.stripe.com/");
        assert!(!format!("{stripe:?}").contains("sk_test_abc"));
        assert_eq!(
            config(&[("STRIPE_SECRET_KEY", "sk_test_abc")])
                .unwrap_err()
                .var,
            "STRIPE_WEBHOOK_SECRET"
        );
        assert_eq!(
            config(&[("STRIPE_SECRET_KEY", "pk_test_abc")])
                .unwrap_err()
                .var,
            "STRIPE_SECRET_KEY"
        );
        assert_eq!(
            config(&[("TIANGUIS_OXXO_DAYS", "5")]).unwrap_err().var,
            "TIANGUIS_OXXO_DAYS"
        );
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash_and_must_be_http() {
        let c = config(&[("TIANGUIS_PUBLIC_URL", "https://tianguis.example.mx/")]).unwrap();
        assert_eq!(c.public_url, "https://tianguis.example.mx");
        assert_eq!(
            config(&[("TIANGUIS_PUBLIC_URL", "tianguis.example.mx")])
                .unwrap_err()
                .var,
            "TIANGUIS_PUBLIC_URL"
        );
    }

    #[test]
    fn mail_goes_to_the_outbox_unless_smtp_is_set() {
        let c = config(&[("TIANGUIS_PUBLIC_URL", "https://tianguis.example.mx")]).unwrap();
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.mail_from, "Tianguis <no-reply@tianguis.example.mx>");
        let c = config(&[("SMTP_URL", "smtps://ana:secreto@smtp.example.mx")]).unwrap();
        assert_eq!(
            c.smtp_url.as_deref(),
            Some("smtps://ana:secreto@smtp.example.mx")
        );
        assert_eq!(c.mail_from, "Tianguis <no-reply@tianguis.invalid>");
        assert_eq!(
            config(&[("SMTP_URL", "http://smtp.example.mx")])
                .unwrap_err()
                .var,
            "SMTP_URL"
        );
        assert_eq!(
            config(&[("TIANGUIS_MAIL_FROM", "not an address")])
                .unwrap_err()
                .var,
            "TIANGUIS_MAIL_FROM"
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        assert_eq!(
            config(&[("TIANGUIS_ADDR", "nowhere")]).unwrap_err().var,
            "TIANGUIS_ADDR"
        );
        assert_eq!(
            config(&[("DATABASE_URL", "mysql://x")]).unwrap_err().var,
            "DATABASE_URL"
        );
        assert_eq!(
            config(&[("RUST_LOG", "info,=[")]).unwrap_err().var,
            "RUST_LOG"
        );
        assert_eq!(
            config(&[("TIANGUIS_HOLD_MINUTES", "0")]).unwrap_err().var,
            "TIANGUIS_HOLD_MINUTES"
        );
    }

    #[test]
    fn holds_last_fifteen_minutes_unless_told() {
        assert_eq!(config(&[]).unwrap().hold_minutes, 15);
        assert_eq!(
            config(&[("TIANGUIS_HOLD_MINUTES", "45")])
                .unwrap()
                .hold_minutes,
            45
        );
        assert_eq!(config(&[]).unwrap().offer_minutes, 120);
    }
}
