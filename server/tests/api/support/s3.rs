//! A local S3-protocol server for tests: moto's, started by `scripts/s3-server.sh` on a
//! free port for the test that asks, and stopped with it.

use std::process::{Child, Command, Stdio};

pub struct S3Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh S3 server, with bucket `bucket` made; returns once it answers.
pub async fn s3_server(bucket: &str) -> S3Server {
    let port = super::process::free_port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/s3-server.sh");
    let child = Command::new(script)
        .arg(port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scripts/s3-server.sh starts (make test installs moto)");
    let server = S3Server {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    // moto makes a bucket on an unsigned PUT of its name.
    let new_bucket = format!("{}/{bucket}", server.endpoint);
    super::within(
        std::time::Duration::from_secs(10),
        "the S3 server answering",
        || {
            let new_bucket = new_bucket.clone();
            async move {
                reqwest::Client::new()
                    .put(new_bucket)
                    .send()
                    .await
                    .is_ok_and(|res| res.status().is_success())
            }
        },
    )
    .await;
    server
}

impl S3Server {
    /// What a server is given to reach it (`Config::media_settings`; as variables,
    /// `env`).
    pub fn settings(&self) -> Vec<(String, String)> {
        self.env()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect()
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ALLOW_HTTP", "true".to_owned()),
            ("AWS_ACCESS_KEY_ID", "tianguis-test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "tianguis-test-secret".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
        ]
    }

    /// The store of photos in `url` (`s3://bucket/prefix`) here.
    pub fn photo_store(&self, url: &str) -> server::photo_store::PhotoStore {
        server::photo_store::PhotoStore::bucket(url, &self.settings()).unwrap()
    }
}
