//! What every photo upload shares, for listings and producer profiles alike: reading
//! the multipart form (the file and its descriptions), and turning the file into sized
//! WebP and JPEG files with `photos::ingest`, on a blocking thread and at most two at
//! a time (a 50-megapixel PNG takes hundreds of megabytes while it decodes), so a big
//! or hostile file never holds up pages.

use super::answer::Stop;
use super::router::AppState;
use app::forms::FieldError;
use axum::body::Bytes;
use axum::extract::Multipart;
use domain::LocalizedText;
use domain::catalog::photo::PhotoProblem;
use tokio::sync::Semaphore;

/// Uploads being decoded at once; the others wait their turn.
static INGESTING: Semaphore = Semaphore::const_new(2);
/// A request may carry the largest photo accepted plus its form fields; a larger one
/// is cut off by axum before it is read.
pub const UPLOAD_LIMIT: usize = photos::MAX_BYTES + 64 * 1024;

/// A photo form as sent: the file (if one was chosen) and its descriptions.
pub struct Upload {
    pub bytes: Option<Bytes>,
    pub alt: LocalizedText,
    /// The form's other text fields, trimmed (a receipt's amount and note, say).
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Why an upload did not become a photo.
pub enum Refused {
    /// Something the person can fix, said next to the file field.
    Problem(FieldError),
    /// Our fault: already logged, answered with a 500.
    Failed(Stop),
}

/// Reads the form: field `photo` is the file, `alt_es`/`alt_en` its descriptions.
/// A body cut off at the size limit, or broken, is a problem with what was typed so
/// far.
pub async fn read(multipart: &mut Multipart) -> Result<Upload, (LocalizedText, FieldError)> {
    let mut bytes = None;
    let mut alt = LocalizedText::default();
    let mut fields = std::collections::BTreeMap::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                tracing::info!(%err, "unreadable upload");
                return Err((alt, FieldError::PhotoTooLarge));
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let Ok(data) = field.bytes().await else {
            return Err((alt, FieldError::PhotoTooLarge));
        };
        match name.as_str() {
            "photo" => bytes = Some(data),
            "alt_es" => alt.es = typed_text(&data),
            "alt_en" => alt.en = typed_text(&data),
            _ => {
                let text = String::from_utf8_lossy(&data).trim().to_owned();
                fields.insert(name, text);
            }
        }
    }
    Ok(Upload {
        bytes: bytes.filter(|b| !b.is_empty()),
        alt,
        fields,
    })
}

/// A text field's value, trimmed; `None` when nothing was typed.
fn typed_text(data: &[u8]) -> Option<String> {
    let t = String::from_utf8_lossy(data).trim().to_owned();
    (!t.is_empty()).then_some(t)
}

/// Checks and converts `bytes`, keeps the files in the photo store, and gives
/// their key and the size of the widest rendition. The key hashes the content and
/// `owner` (`listing:7`, say): the same picture may illustrate two things, each with
/// files of its own.
pub async fn ingest(
    state: &AppState,
    bytes: Bytes,
    owner: &str,
) -> Result<(String, (u32, u32)), Refused> {
    let ingested = {
        let Ok(_turn) = INGESTING.acquire().await else {
            return Err(Refused::Failed(Stop::failed(
                "the ingest semaphore is closed",
            )));
        };
        match tokio::task::spawn_blocking(move || photos::ingest(&bytes)).await {
            Ok(result) => result,
            Err(err) => return Err(Refused::Failed(Stop::failed(err))),
        }
    };
    let ingested = match ingested {
        Ok(ingested) => ingested,
        Err(photos::PhotoError::Internal { reason }) => {
            return Err(Refused::Failed(Stop::failed(reason)));
        }
        Err(problem) => return Err(Refused::Problem(FieldError::Photo(problem_of(problem)))),
    };
    let key = photos::content_key(format!("{}:{owner}", ingested.key).as_bytes());
    for derivative in ingested.derivatives {
        let name = derivative.file_name(&key);
        if let Err(err) = state.photos.put(&name, derivative.bytes).await {
            return Err(Refused::Failed(Stop::failed(err)));
        }
    }
    Ok((key, (ingested.width, ingested.height)))
}

/// What the person is told about a refused photo.
fn problem_of(error: photos::PhotoError) -> PhotoProblem {
    use photos::PhotoError as E;
    match error {
        E::TooLarge { max, .. } => PhotoProblem::TooLarge {
            max_mb: max / (1024 * 1024),
        },
        E::TooManyPixels { .. } => PhotoProblem::TooManyPixels {
            max_megapixels: photos::MAX_PIXELS / 1_000_000,
        },
        E::Unsupported { format } => PhotoProblem::Unsupported { format },
        E::NotAnImage => PhotoProblem::NotAnImage,
        E::Corrupt | E::Internal { .. } => PhotoProblem::Corrupt,
    }
}
