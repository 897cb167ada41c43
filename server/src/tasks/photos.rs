//! Renditions added since older photos were stored (the 960 px one), made once from
//! their 1280 px rendition, in the background after the server starts. Until a photo's
//! is made, `http::media` answers for it with the 1280 px file.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The rendition some photos lack, and the one it is made from.
const ADDED: u32 = 960;
const FROM: u32 = 1280;

/// Makes every missing 960 px rendition (WebP and JPEG) under `media_dir`; returns how
/// many photos got one. One photo at a time, each on a blocking thread, so that the
/// server stops between two. Safe in several servers at once: each file is written
/// whole under a unique name, then renamed, and the same photo gives the same pixels.
pub async fn add_missing_renditions(media_dir: PathBuf) -> usize {
    let listed = {
        let dir = media_dir.clone();
        tokio::task::spawn_blocking(move || keys_in(&dir)).await
    };
    let keys = listed.unwrap_or_default();
    let mut made = 0;
    for key in keys {
        let dir = media_dir.clone();
        let work = tokio::task::spawn_blocking(move || {
            let outcome = add_missing_for(&dir, &key);
            (key, outcome)
        });
        match work.await {
            Ok((_, Ok(true))) => made += 1,
            Ok((_, Ok(false))) => {}
            Ok((key, Err(err))) => {
                tracing::warn!(key, %err, "a photo's 960 px rendition could not be made")
            }
            Err(err) => tracing::error!(%err, "making a photo rendition stopped"),
        }
    }
    if made > 0 {
        tracing::info!(made, "photos got their 960 px rendition");
    }
    made
}

/// The keys of the photos under `media_dir` (those with a 1280 px WebP).
fn keys_in(media_dir: &Path) -> Vec<String> {
    let suffix = format!("-{FROM}.webp");
    std::fs::read_dir(media_dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|entry| {
                    let name = entry.file_name();
                    name.to_str()
                        .and_then(|n| n.strip_suffix(&suffix))
                        .map(str::to_owned)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Makes `{key}-960.webp` and `.jpg` from `{key}-1280.webp` unless both are there.
fn add_missing_for(media_dir: &Path, key: &str) -> Result<bool, String> {
    let webp = media_dir.join(format!("{key}-{ADDED}.webp"));
    let jpeg = media_dir.join(format!("{key}-{ADDED}.jpg"));
    if webp.exists() && jpeg.exists() {
        return Ok(false);
    }
    let source =
        std::fs::read(media_dir.join(format!("{key}-{FROM}.webp"))).map_err(|e| e.to_string())?;
    let ingested = photos::ingest(&source).map_err(|e| e.to_string())?;
    for (format, path) in [(photos::Format::Webp, webp), (photos::Format::Jpeg, jpeg)] {
        let derivative = ingested
            .derivative(ADDED, format)
            .ok_or("no 960 px rendition")?;
        write_whole(&path, &derivative.bytes)
            .map_err(|e| format!("writing {}: {e}", path.display()))?;
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
