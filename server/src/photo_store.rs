//! Where photos are kept: a folder of this server's (`TIANGUIS_MEDIA_DIR`, the
//! default) or an S3-compatible bucket that every server shares
//! (`TIANGUIS_MEDIA_URL=s3://bucket/prefix`: AWS S3, MinIO, Cloudflare R2, Garage…,
//! through `object_store`; credentials and endpoint from the usual `AWS_*` variables).
//! A photo's files are written here before any row names them.

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use object_store::ObjectStore;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as ObjectPath;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub enum PhotoStore {
    /// Files in a folder of this server's, served by `/media` from the disk.
    Folder(PathBuf),
    /// Objects in a bucket, served by `/media` through this server (streamed).
    Bucket(Bucket),
}

#[derive(Clone)]
pub struct Bucket {
    store: Arc<AmazonS3>,
    /// Under which key prefix the photos are (none: the bucket's root).
    prefix: Option<ObjectPath>,
    /// `s3://bucket/prefix`, for messages.
    url: String,
}

/// A photo read from the store, to be streamed.
pub struct Found {
    pub size: u64,
    pub e_tag: Option<String>,
    pub body: futures_util::stream::BoxStream<'static, Result<Bytes, std::io::Error>>,
}

/// Why the store could not do something, in a sentence for the log.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreFailed(String);

impl PhotoStore {
    /// The bucket `url` names (`s3://bucket` or `s3://bucket/prefix`), reached with
    /// `settings`: the `AWS_*` variables (`aws_settings`) — keys, region,
    /// `AWS_ENDPOINT_URL` (MinIO, R2, Garage…), `AWS_ALLOW_HTTP`.
    pub fn bucket(url: &str, settings: &[(String, String)]) -> Result<PhotoStore, String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{url:?} is not s3://bucket or s3://bucket/prefix"))?;
        let (name, prefix) = match rest.split_once('/') {
            Some((name, prefix)) => (name, prefix.trim_matches('/')),
            None => (rest, ""),
        };
        if name.is_empty() {
            return Err(format!("{url:?} names no bucket (s3://bucket/prefix)"));
        }
        let mut builder = AmazonS3Builder::new();
        for (key, value) in settings {
            let key = key
                .to_ascii_lowercase()
                .parse()
                .map_err(|e| format!("{key}: {e}"))?;
            builder = builder.with_config(key, value);
        }
        let store = builder
            .with_bucket_name(name)
            .build()
            .map_err(|e| format!("{url}: {e}"))?;
        Ok(PhotoStore::Bucket(Bucket {
            store: Arc::new(store),
            prefix: (!prefix.is_empty()).then(|| ObjectPath::from(prefix)),
            url: url.to_owned(),
        }))
    }

    /// Where the store is, for messages.
    pub fn describe(&self) -> String {
        match self {
            PhotoStore::Folder(dir) => dir.display().to_string(),
            PhotoStore::Bucket(b) => b.url.clone(),
        }
    }

    /// Keeps `bytes` as photo file `name`, whole: a reader never sees half of it.
    pub async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), StoreFailed> {
        match self {
            PhotoStore::Folder(dir) => {
                let path = dir.join(name);
                tokio::task::spawn_blocking(move || {
                    crate::tasks::photos::write_whole(&path, &bytes)
                })
                .await
                .map_err(|e| StoreFailed(e.to_string()))?
                .map_err(|e| StoreFailed(format!("writing {name}: {e}")))
            }
            PhotoStore::Bucket(b) => b
                .store
                .put(&b.path(name), Bytes::from(bytes).into())
                .await
                .map(|_| ())
                .map_err(|e| StoreFailed(format!("putting {name} in {}: {e}", b.url))),
        }
    }

    /// Photo file `name`'s bytes, or `None` when there is no such file.
    pub async fn read(&self, name: &str) -> Result<Option<Vec<u8>>, StoreFailed> {
        match self {
            PhotoStore::Folder(dir) => match tokio::fs::read(dir.join(name)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(StoreFailed(format!("reading {name}: {e}"))),
            },
            PhotoStore::Bucket(b) => match b.store.get(&b.path(name)).await {
                Ok(got) => got
                    .bytes()
                    .await
                    .map(|bytes| Some(bytes.to_vec()))
                    .map_err(|e| StoreFailed(format!("reading {name} from {}: {e}", b.url))),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(StoreFailed(format!("reading {name} from {}: {e}", b.url))),
            },
        }
    }

    /// Whether photo file `name` is there.
    pub async fn has(&self, name: &str) -> Result<bool, StoreFailed> {
        match self {
            PhotoStore::Folder(dir) => {
                Ok(tokio::fs::try_exists(dir.join(name)).await.unwrap_or(false))
            }
            PhotoStore::Bucket(b) => match b.store.head(&b.path(name)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(StoreFailed(format!("looking for {name} in {}: {e}", b.url))),
            },
        }
    }

    /// Photo file `name` to stream (a bucket's); `None` when there is no such object.
    pub async fn open(&self, name: &str) -> Result<Option<Found>, StoreFailed> {
        let PhotoStore::Bucket(b) = self else {
            return Err(StoreFailed(
                "a folder's photos are served from the disk".into(),
            ));
        };
        match b.store.get(&b.path(name)).await {
            Ok(got) => Ok(Some(Found {
                size: got.meta.size,
                e_tag: got.meta.e_tag.clone(),
                body: got.into_stream().map_err(std::io::Error::other).boxed(),
            })),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(StoreFailed(format!("reading {name} from {}: {e}", b.url))),
        }
    }

    /// The names of the photo files that end with `suffix`.
    pub async fn names_ending(&self, suffix: &str) -> Result<Vec<String>, StoreFailed> {
        match self {
            PhotoStore::Folder(dir) => {
                let dir = dir.clone();
                let suffix = suffix.to_owned();
                tokio::task::spawn_blocking(move || names_in(&dir, &suffix))
                    .await
                    .map_err(|e| StoreFailed(e.to_string()))
            }
            PhotoStore::Bucket(b) => {
                let mut names = Vec::new();
                let mut listed = b.store.list(b.prefix.as_ref());
                while let Some(meta) = listed.next().await {
                    let meta = meta.map_err(|e| StoreFailed(format!("listing {}: {e}", b.url)))?;
                    if let Some(name) = meta.location.filename()
                        && name.ends_with(suffix)
                    {
                        names.push(name.to_owned());
                    }
                }
                Ok(names)
            }
        }
    }

    /// Copies every file of `dir` that the store lacks into it (the demo's photos,
    /// drawn into a folder, into a bucket); how many were copied.
    pub async fn take_in(&self, dir: &Path) -> Result<usize, StoreFailed> {
        let PhotoStore::Bucket(_) = self else {
            return Ok(0);
        };
        let mut copied = 0;
        for name in names_in(dir, "") {
            if self.has(&name).await? {
                continue;
            }
            let bytes = tokio::fs::read(dir.join(&name))
                .await
                .map_err(|e| StoreFailed(format!("reading {name}: {e}")))?;
            self.put(&name, bytes).await?;
            copied += 1;
        }
        Ok(copied)
    }
}

/// The `AWS_*` variables that say how to reach a bucket, as S3 clients read them.
pub const AWS_VARIABLES: [&str; 11] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT",
    "AWS_ALLOW_HTTP",
    "AWS_VIRTUAL_HOSTED_STYLE_REQUEST",
    "AWS_S3_EXPRESS",
    "AWS_SKIP_SIGNATURE",
];

/// Those of [`AWS_VARIABLES`] that `lookup` has.
pub fn aws_settings(lookup: impl Fn(&str) -> Option<String>) -> Vec<(String, String)> {
    AWS_VARIABLES
        .iter()
        .filter_map(|key| lookup(key).map(|value| (key.to_string(), value)))
        .collect()
}

impl Bucket {
    fn path(&self, name: &str) -> ObjectPath {
        match &self.prefix {
            Some(prefix) => prefix.child(name),
            None => ObjectPath::from(name),
        }
    }
}

/// The names of the files in `dir` that end with `suffix` (none if it cannot be read).
fn names_in(dir: &Path, suffix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| n.ends_with(suffix) && !n.ends_with(".tmp"))
                .collect()
        })
        .unwrap_or_default()
}
