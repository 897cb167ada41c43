//! The `tianguis` binary as its own process, for tests that need two servers on one
//! database, or one that is killed (SIGKILL) and started again.

use std::process::{Child, Command, Stdio};

pub struct ServerProcess {
    pub child: Child,
    pub address: String,
}

impl ServerProcess {
    /// Kills the process at once, as a crash would (SIGKILL: nothing is flushed,
    /// nothing shuts down cleanly).
    pub fn crash(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.crash();
    }
}

/// A free port: bound, read, let go, to be handed to a process.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `tianguis serve` on `database_url` and a free port, with `env` added; returns once
/// it answers `/healthz`.
pub async fn server_process(database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
    server_process_on(free_port(), database_url, env).await
}

/// `tianguis serve` on `database_url` and `port` (one a killed server had, say).
pub async fn server_process_on(
    port: u16,
    database_url: &str,
    env: &[(&str, &str)],
) -> ServerProcess {
    let address = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_tianguis"));
    command
        .arg("serve")
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("DATABASE_URL", database_url)
        .env("TIANGUIS_ADDR", format!("127.0.0.1:{port}"))
        .env("TIANGUIS_PUBLIC_URL", "http://tianguis.test")
        .env("TIANGUIS_MEDIA_DIR", super::scratch_dir().join("media"))
        .env("LEPTOS_SITE_ROOT", built_site())
        .env("RUST_LOG", "warn")
        // As `test_config`: the races start hundreds of holds and orders from one
        // address; the limits are tried where they are set low.
        .env("TIANGUIS_LIMIT_PER_EMAIL_HOUR", "100000")
        .env("TIANGUIS_LIMIT_PER_ADDRESS_HOUR", "100000")
        .env("TIANGUIS_EMAILS_PER_RECIPIENT_HOUR", "100000")
        .stdout(Stdio::null());
    if !env.iter().any(|(k, _)| *k == "STRIPE_SECRET_KEY") {
        command.env("TIANGUIS_PAYMENTS", "simulated");
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.spawn().expect("the tianguis binary starts");
    let process = ServerProcess { child, address };
    for _ in 0..200 {
        if let Ok(res) = reqwest::get(format!("{}/healthz", process.address)).await
            && res.status().is_success()
        {
            return process;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the server process never answered at {}", process.address);
}

/// A site root that `serve` accepts as built (it refuses to start without one): the
/// stylesheet named by the `hash.txt` beside the binary — the real one after a site
/// build (`make test` copies it there), else a stand-in written once — as an empty file.
fn built_site() -> std::path::PathBuf {
    static SITE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let binary = std::path::Path::new(env!("CARGO_BIN_EXE_tianguis"));
        let hash_file = binary.with_file_name("hash.txt");
        if !hash_file.exists() {
            let stand_in = binary.with_file_name(format!("hash.txt.{}", std::process::id()));
            std::fs::write(&stand_in, "css: stand-in-for-tests\n").unwrap();
            // A rename never leaves half a file, should another test binary race us.
            std::fs::rename(&stand_in, &hash_file).unwrap();
        }
        let hashes = std::fs::read_to_string(&hash_file).unwrap();
        let css = hashes
            .lines()
            .find_map(|line| line.trim().strip_prefix("css:"))
            .expect("hash.txt names the stylesheet")
            .trim()
            .to_owned();
        let site = super::scratch_dir().join("site");
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        std::fs::write(site.join("pkg").join(format!("tianguis.{css}.css")), "").unwrap();
        site
    })
    .clone()
}
