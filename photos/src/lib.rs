//! Tianguis photos: an uploaded photo in, sized derivatives out.
//!
//! Sellers upload whatever their phone or camera made: 12 MP JPEGs of 5 MB, rotated by an
//! EXIF tag, carrying the GPS position of their home. Buyers browse on phones over slow
//! connections. [`ingest`] bridges the two: it checks that the bytes are a photo we accept,
//! decodes them without letting a hostile file exhaust memory, turns the pixels upright,
//! and encodes four widths ([`WIDTHS`]) each as a lossy WebP and a JPEG fallback, with no
//! metadata left at all.
//!
//! The order of the checks is the order of their cost:
//! 1. the byte count ([`PhotoError::TooLarge`]), before even hashing;
//! 2. the magic numbers ([`PhotoError::NotAnImage`], [`PhotoError::Unsupported`]);
//! 3. the header's pixel count ([`PhotoError::TooManyPixels`]), before any pixel buffer;
//! 4. the decode itself ([`PhotoError::Corrupt`]).
//!
//! Everything is synchronous and CPU-bound, on the calling thread only: about 0.4 s and
//! 65 MB for a 12 MP JPEG in release (`bench/photo_ingest.sh`), mostly decoding (~35 %)
//! and WebP encoding (~30 %). The server calls it inside
//! `tokio::task::spawn_blocking` and should bound how many run at once: a 50 MP PNG may
//! need several hundred megabytes while it is decoded (see [`MAX_DECODE_ALLOC`]).
//!
//! One file per concept: `sniff` (what the bytes are), `jpeg_structure` (is a JPEG
//! whole), `decode` (bytes to pixels, bomb guards, orientation), `render` (sizes,
//! resampling), `encode` (WebP and JPEG), `error` (the refusals).

mod decode;
mod encode;
mod error;
mod jpeg_structure;
mod render;
mod sniff;

use std::fmt;

use sha2::{Digest, Sha256};

pub use decode::MAX_DECODE_ALLOC;
pub use encode::{JPEG_QUALITY, WEBP_QUALITY};
pub use error::PhotoError;
pub use render::MAX_ASPECT;

/// The nominal widths of the renditions, in pixels, smallest first. The page's `srcset`
/// names files by these numbers.
pub const WIDTHS: [u32; 4] = [320, 640, 960, 1280];

/// The largest upload accepted: 15 MiB, more than any phone's JPEG.
pub const MAX_BYTES: usize = 15 * 1024 * 1024;

/// The most pixels an upload may declare: 50 megapixels (the largest phone sensors give
/// 48–50 MP; a 50 MP image is 200 MB as RGBA).
pub const MAX_PIXELS: u64 = 50_000_000;

/// How many hex digits of the SHA-256 of the upload make its [`Ingested::key`]: 80 bits,
/// so collisions need about 10^12 photos.
pub const KEY_HEX_LEN: usize = 20;

/// A photo turned into derivatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// The first [`KEY_HEX_LEN`] hex digits of the SHA-256 of the uploaded bytes: the same
    /// upload always gets the same key (so a re-upload is recognised), and a key says
    /// nothing about the seller or the file name.
    pub key: String,
    /// Width of the largest derivative (after EXIF orientation).
    pub width: u32,
    /// Height of the largest derivative (after EXIF orientation).
    pub height: u32,
    /// For each of [`WIDTHS`] in order, the WebP then the JPEG: eight derivatives.
    pub derivatives: Vec<Derivative>,
}

impl Ingested {
    /// The derivative of nominal width `width` in `format`, if `width` is one of [`WIDTHS`].
    pub fn derivative(&self, width: u32, format: Format) -> Option<&Derivative> {
        self.derivatives
            .iter()
            .find(|d| d.nominal_width == width && d.format == format)
    }
}

/// One encoded rendition.
#[derive(Clone, PartialEq, Eq)]
pub struct Derivative {
    /// The entry of [`WIDTHS`] this rendition stands for, which names its file.
    pub nominal_width: u32,
    /// Its real width in pixels: `nominal_width`, or less when the photo is narrower
    /// (photos are never upscaled) or extremely tall (see [`MAX_ASPECT`]).
    pub width: u32,
    /// Its real height in pixels.
    pub height: u32,
    pub format: Format,
    /// The encoded file, without any metadata.
    pub bytes: Vec<u8>,
}

impl Derivative {
    /// `{key}-{nominal width}.webp` or `.jpg`, e.g. `3f9a…-1280.webp`. Named by the nominal
    /// width even when the real one is smaller, so the page can name files without
    /// knowing each photo's size.
    pub fn file_name(&self, key: &str) -> String {
        format!("{key}-{}.{}", self.nominal_width, self.format.extension())
    }
}

impl fmt::Debug for Derivative {
    /// The bytes as a count: a derivative is tens of kilobytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Derivative")
            .field("nominal_width", &self.nominal_width)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("format", &self.format)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// The encoding of a derivative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Lossy WebP (with alpha when the upload had transparency).
    Webp,
    /// Baseline JPEG, transparency flattened onto white.
    Jpeg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
        }
    }

    /// The `Content-Type` to serve it with.
    pub fn mime_type(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Webp => "WebP",
            Format::Jpeg => "JPEG",
        })
    }
}

/// Checks, decodes, orients, resizes and encodes an uploaded photo.
///
/// Accepts JPEG, PNG and WebP, told from the bytes (never from a file name). Returns eight
/// derivatives, or the reason the upload is refused. Never panics on hostile input.
/// Synchronous and CPU-bound: call it from a blocking thread.
pub fn ingest(bytes: &[u8]) -> Result<Ingested, PhotoError> {
    if bytes.len() > MAX_BYTES {
        return Err(PhotoError::too_large(bytes.len()));
    }
    let format = sniff::accepted_format(bytes)?;
    let decoded = decode::decode(bytes, format)?;
    let derivatives = render::derivatives(decoded)?;
    let largest = derivatives
        .iter()
        .max_by_key(|d| d.nominal_width)
        .map_or((0, 0), |d| (d.width, d.height));
    Ok(Ingested {
        key: content_key(bytes),
        width: largest.0,
        height: largest.1,
        derivatives,
    })
}

/// The first [`KEY_HEX_LEN`] hex digits of the SHA-256 of `bytes`.
pub fn content_key(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut key = String::with_capacity(KEY_HEX_LEN);
    for byte in digest.iter().take(KEY_HEX_LEN / 2) {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// Whether a media file name is `{content key}-{width}.{webp|jpg}`, as uploads are
/// named: such a file never changes, so it may be cached for good.
pub fn is_content_named(file: &str) -> bool {
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return false;
    };
    let Some((key, width)) = stem.rsplit_once('-') else {
        return false;
    };
    matches!(extension, "webp" | "jpg")
        && key.len() == KEY_HEX_LEN
        && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && !width.is_empty()
        && width.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_keyed_files_count_as_content_named() {
        let key = content_key(b"a photo");
        assert!(is_content_named(&format!("{key}-640.webp")));
        assert!(is_content_named(&format!("{key}-1280.jpg")));
        assert!(!is_content_named("tapete-greca-de-mitla-grana-1-640.webp"));
        assert!(!is_content_named(&format!("{key}-640.png")));
        assert!(!is_content_named(&format!("{key}-.webp")));
        assert!(!is_content_named(&format!("{key}640.webp")));
    }

    #[test]
    fn the_key_is_the_start_of_the_sha256() {
        // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a3...
        assert_eq!(content_key(b"abc"), "ba7816bf8f01cfea4141");
    }

    #[test]
    fn file_names_use_the_nominal_width() {
        let d = Derivative {
            nominal_width: 1280,
            width: 900,
            height: 600,
            format: Format::Jpeg,
            bytes: vec![],
        };
        assert_eq!(d.file_name("abc"), "abc-1280.jpg");
        let d = Derivative {
            format: Format::Webp,
            ..d
        };
        assert_eq!(d.file_name("abc"), "abc-1280.webp");
    }
}
