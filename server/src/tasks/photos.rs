//! Renditions added since older photos were stored (the 960 px one), made once from
//! their 1280 px rendition, in the background after the server starts. Until a photo's
//! is made, `http::media` answers for it with the 1280 px file.

use crate::photo_store::PhotoStore;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The rendition some photos lack, and the one it is made from.
const ADDED: u32 = 960;
const FROM: u32 = 1280;

/// Makes every missing 960 px rendition (WebP and JPEG) in the photo store; returns
/// how many photos got one. One photo at a time, each decoded on a blocking thread,
/// so that the server stops between two. Safe in several servers at once (it is a
/// claimed job, and besides, each file is written whole and the same photo gives the
/// same pixels).
pub async fn add_missing_renditions(store: PhotoStore) -> usize {
    let suffix = format!("-{FROM}.webp");
    let keys: Vec<String> = match store.names_ending(&suffix).await {
        Ok(names) => names
            .iter()
            .filter_map(|n| n.strip_suffix(&suffix).map(str::to_owned))
            .collect(),
        Err(err) => {
            tracing::warn!(%err, "could not list the photos");
            return 0;
        }
    };
    let mut made = 0;
    for key in keys {
        match add_missing_for(&store, &key).await {
            Ok(true) => made += 1,
            Ok(false) => {}
            Err(err) => {
                tracing::warn!(key, %err, "a photo's 960 px rendition could not be made")
            }
        }
    }
    if made > 0 {
        tracing::info!(made, "photos got their 960 px rendition");
    }
    made
}

/// Makes `{key}-960.webp` and `.jpg` from `{key}-1280.webp` unless both are there.
async fn add_missing_for(store: &PhotoStore, key: &str) -> Result<bool, String> {
    let webp = format!("{key}-{ADDED}.webp");
    let jpeg = format!("{key}-{ADDED}.jpg");
    let has = |name: String| async move { store.has(&name).await.map_err(|e| e.to_string()) };
    if has(webp.clone()).await? && has(jpeg.clone()).await? {
        return Ok(false);
    }
    let source = store
        .read(&format!("{key}-{FROM}.webp"))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no 1280 px rendition")?;
    let renditions = tokio::task::spawn_blocking(move || {
        let ingested = photos::ingest(&source).map_err(|e| e.to_string())?;
        [photos::Format::Webp, photos::Format::Jpeg]
            .into_iter()
            .map(|format| {
                ingested
                    .derivative(ADDED, format)
                    .map(|d| d.bytes.clone())
                    .ok_or_else(|| "no 960 px rendition".to_owned())
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .await
    .map_err(|e| e.to_string())??;
    for (name, bytes) in [webp, jpeg].into_iter().zip(renditions) {
        store.put(&name, bytes).await.map_err(|e| e.to_string())?;
    }
    Ok(true)
}

/// Writes `bytes` to `path` under a unique temporary name then renames it, so that a
/// reader never sees half a file and two writers of the same file (two servers, two
/// seeders) never collide.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let unique = NEXT.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("{}-{unique}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path))
}
