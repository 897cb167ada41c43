//! Photos under `/media`: their cache headers, and a rendition added since a photo was
//! stored (960 px) answered by the next wider one until `tasks::photos` has made it.
//! From a folder the files are served from the disk (`photos`, around `ServeDir`);
//! from a bucket they are streamed through the server (`from_bucket`).

use crate::photo_store::PhotoStore;
use axum::body::Body;
use axum::extract::{Path as AxumPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
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

/// Photo file `file` streamed from the bucket, with the same headers as from a folder:
/// its ETag (a `304` when the browser has it), its type, and the cache policy.
pub async fn from_bucket(
    State(store): State<PhotoStore>,
    AxumPath(file): AxumPath<String>,
    headers: HeaderMap,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "No such photo.").into_response();
    // Only photo names reach the bucket: letters, digits, `-`, `_` and one `.`.
    let Some(content_type) = content_type_of(&file) else {
        return not_found();
    };
    let mut policy = if photos::is_content_named(&file) {
        super::router::IMMUTABLE
    } else {
        MEDIA_CACHE
    };
    let mut found = store.open(&file).await;
    if matches!(found, Ok(None))
        && photos::is_content_named(&file)
        && let Some(wider) = wider_stand_in(&file)
    {
        policy = STAND_IN_CACHE;
        found = store.open(&wider).await;
    }
    let photo = match found {
        Ok(Some(photo)) => photo,
        Ok(None) => return not_found(),
        Err(err) => {
            tracing::error!(%err, "a photo could not be read from the bucket");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::RETRY_AFTER, "10")],
                "The photo cannot be read just now; try again in a moment.",
            )
                .into_response();
        }
    };
    let e_tag = photo.e_tag.as_deref().map(|t| {
        if t.starts_with('"') || t.starts_with("W/") {
            t.to_owned()
        } else {
            format!("\"{t}\"")
        }
    });
    let mut response = match (&e_tag, headers.get(header::IF_NONE_MATCH)) {
        (Some(tag), Some(asked)) if asked.as_bytes() == tag.as_bytes() => {
            StatusCode::NOT_MODIFIED.into_response()
        }
        _ => {
            let mut r = Body::from_stream(photo.body).into_response();
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(photo.size));
            r
        }
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if let Some(tag) = e_tag.and_then(|t| HeaderValue::from_str(&t).ok()) {
        h.insert(header::ETAG, tag);
    }
    response
}

/// The type of a photo file named `file`, if it is one's name at all.
fn content_type_of(file: &str) -> Option<&'static str> {
    let (stem, extension) = file.rsplit_once('.')?;
    let plain = !stem.is_empty()
        && !stem.starts_with('-')
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !plain {
        return None;
    }
    match extension {
        "webp" => Some("image/webp"),
        "jpg" => Some("image/jpeg"),
        _ => None,
    }
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
    use super::{content_type_of, wider_stand_in};

    #[test]
    fn only_a_photo_s_plain_name_is_looked_for_in_the_bucket() {
        assert_eq!(content_type_of("abc-960.webp"), Some("image/webp"));
        assert_eq!(content_type_of("tapete_1-320.jpg"), Some("image/jpeg"));
        assert_eq!(content_type_of("../etc-960.webp"), None);
        assert_eq!(content_type_of("a/b.webp"), None);
        assert_eq!(content_type_of(".webp"), None);
        assert_eq!(content_type_of("abc.html"), None);
        assert_eq!(content_type_of("abc"), None);
    }

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
