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

/// `tianguis serve` on `database_url` and a free port, with `env` added; returns once
/// it answers `/healthz`.
pub async fn server_process(database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
    // A free port: bound, read, let go, handed to the process.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_tianguis"));
    command
        .arg("serve")
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .env("DATABASE_URL", database_url)
        .env("TIANGUIS_ADDR", format!("127.0.0.1:{port}"))
        .env("TIANGUIS_PUBLIC_URL", "http://tianguis.test")
        .env("TIANGUIS_MEDIA_DIR", super::scratch_dir().join("media"))
        .env("LEPTOS_SITE_ROOT", super::scratch_dir().join("site"))
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
