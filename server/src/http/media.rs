//! Photos under `/media`: their cache headers, and a rendition added since a photo was
//! stored (960 px) answered by the next wider one until `tasks::photos` has made it.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, Uri, header};
use std::path::PathBuf;
use std::sync::Arc;

/// Demo photos keep their name when redrawn, so they may be cached for a week only;
/// uploaded ones are named by their content (`photos::is_content_named`) and never
/// change, so they are cached like built assets.
const MEDIA_CACHE: &str = "public, max-age=604800";
/// A rendition answered by a wider one is cached for an hour: it will soon be made.
const STAND_IN_CACHE: &str = "public, max-age=3600";

/// Caches a photo for a year when its name is its content's hash, else a week; asks
/// for the 1280 px file when a 960 px one is not there yet.
pub async fn photos(State(dir): State<Arc<PathBuf>>, mut req: Request, next: Next) -> Response {
    let file = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    // Only uploaded photos (named by their content: a hex key and a width) can lack a
    // rendition; the demo's are drawn in every width. Nothing else reaches the disk here.
    let stand_in = wider_stand_in(&file)
        .filter(|_| photos::is_content_named(&file) && !dir.join(&file).exists());
    if let Some(wider) = &stand_in
        && let Some((folder, _)) = req.uri().path().rsplit_once('/')
        && let Ok(uri) = format!("{folder}/{wider}").parse::<Uri>()
    {
        *req.uri_mut() = uri;
    }
    let policy = if stand_in.is_some() {
        STAND_IN_CACHE
    } else if photos::is_content_named(&file) {
        super::router::IMMUTABLE
    } else {
        MEDIA_CACHE
    };
    let mut res = next.run(req).await;
    if res.status().is_success() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// `{key}-1280.{ext}` for `{key}-960.{ext}`: the rendition that stands in for one made
/// only for photos stored after it was added.
fn wider_stand_in(file: &str) -> Option<String> {
    let (stem, extension) = file.rsplit_once('.')?;
    let key = stem.strip_suffix("-960")?;
    matches!(extension, "webp" | "jpg").then(|| format!("{key}-1280.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::wider_stand_in;

    #[test]
    fn a_960_rendition_is_stood_in_for_by_the_1280_one_of_the_same_format() {
        assert_eq!(
            wider_stand_in("abc-960.webp").as_deref(),
            Some("abc-1280.webp")
        );
        assert_eq!(
            wider_stand_in("abc-960.jpg").as_deref(),
            Some("abc-1280.jpg")
        );
        assert_eq!(wider_stand_in("abc-640.webp"), None);
        assert_eq!(wider_stand_in("abc-960.png"), None);
    }
}
