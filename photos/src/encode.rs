//! Pixels to bytes: a lossy WebP and a JPEG fallback for every rendition.
//!
//! **Why the `webp` crate.** `image` only writes *lossless* WebP, which for photos is
//! several times larger than lossy. The `webp` crate wraps libwebp itself (the reference
//! encoder), which `libwebp-sys` compiles from vendored C sources with `cc`: no system
//! library, nothing downloaded at build time. We only call its encoder; WebP uploads are
//! decoded by `image` (pure Rust), so libwebp never parses a stranger's bytes.
//!
//! **Why both formats.** Every current browser shows WebP, but mail clients, link previews
//! and old devices may not: the page offers WebP in a `<picture>` with the JPEG as `<img>`.
//!
//! **Metadata.** Both encoders write pixels only: no EXIF, XMP, ICC profile or GPS can
//! survive, because nothing of the upload but its pixels reaches them (the tests check the
//! bytes). Colour-managed uploads (a Display P3 iPhone photo, say) are thus shown as sRGB,
//! slightly less saturated: the price of never leaking a profile or a location.
//!
//! **Transparency.** The WebP keeps the alpha channel (libwebp writes `VP8X` + `ALPH`); JPEG
//! has none, so its fallback is flattened onto white, the page's background.

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ExtendedColorType};

use crate::PhotoError;

/// libwebp's quality scale (0–100): 78 keeps photos free of visible blocking at a third
/// to a half of the JPEG fallback's size (62 kB against 141 kB at 1280×960 in the bench).
pub const WEBP_QUALITY: f32 = 78.0;

/// The JPEG fallback's quality (1–100), baseline (not progressive: smaller to encode,
/// and at 1280 px the progressive preview hardly matters).
pub const JPEG_QUALITY: u8 = 80;

/// One rendition in both formats.
#[derive(Clone)]
pub(crate) struct Encoded {
    pub webp: Vec<u8>,
    pub jpeg: Vec<u8>,
}

/// Encodes `image`: `ImageRgb8`, or `ImageRgba8` with straight alpha (see
/// `decode::normalise`).
pub(crate) fn both(image: &DynamicImage) -> Result<Encoded, PhotoError> {
    let (width, height) = (image.width(), image.height());
    match image {
        DynamicImage::ImageRgba8(rgba) => Ok(Encoded {
            webp: webp(rgba.as_raw(), true, width, height)?,
            jpeg: jpeg(&onto_white(rgba.as_raw()), width, height)?,
        }),
        DynamicImage::ImageRgb8(rgb) => Ok(Encoded {
            webp: webp(rgb.as_raw(), false, width, height)?,
            jpeg: jpeg(rgb.as_raw(), width, height)?,
        }),
        // `normalise` makes every image one of the two above; were that ever to change,
        // encode an opaque copy rather than panic.
        other => both(&DynamicImage::ImageRgb8(other.to_rgb8())),
    }
}

fn webp(pixels: &[u8], alpha: bool, width: u32, height: u32) -> Result<Vec<u8>, PhotoError> {
    let encoder = if alpha {
        webp::Encoder::from_rgba(pixels, width, height)
    } else {
        webp::Encoder::from_rgb(pixels, width, height)
    };
    // `encode_simple(false, q)` is lossy with losslessly-compressed alpha; unlike
    // `Encoder::encode` it returns libwebp's error instead of panicking.
    let memory = encoder
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| PhotoError::Internal {
            reason: format!("WebP encoder: {e:?}"),
        })?;
    Ok(memory.to_vec())
}

fn jpeg(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::with_capacity(rgb.len() / 10);
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode(rgb, width, height, ExtendedColorType::Rgb8)
        .map_err(|e| PhotoError::Internal {
            reason: format!("JPEG encoder: {e}"),
        })?;
    Ok(out)
}

/// Straight-alpha RGBA composited over white, as RGB: `c·a + 255·(1 − a)`, rounded.
fn onto_white(rgba: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4 * 3);
    for p in rgba.chunks_exact(4) {
        let a = u32::from(p[3]);
        let background = 255 * (255 - a);
        out.extend(
            p[..3]
                .iter()
                .map(|&c| ((u32::from(c) * a + background + 127) / 255) as u8),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transparent_pixels_become_white_and_opaque_ones_keep_their_colour() {
        // Transparent black, opaque red, half-transparent black, half-transparent red.
        let px = [0, 0, 0, 0, 200, 10, 20, 255, 0, 0, 0, 128, 200, 0, 0, 128];
        assert_eq!(
            onto_white(&px),
            [255, 255, 255, 200, 10, 20, 127, 127, 127, 227, 127, 127]
        );
    }
}
