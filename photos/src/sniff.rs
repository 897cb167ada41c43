//! What the uploaded bytes really are, from their first bytes (magic numbers).
//!
//! The file name, its extension and the browser's content type are never trusted: a phone
//! may send a HEIC photo named `IMG_0001.jpg`, and anyone can name a text file `foto.jpg`.
//! Three formats are accepted (JPEG, PNG, WebP: what every browser and phone can export and
//! what our decoders read). Formats we recognise but refuse get their own name, so the
//! seller is told "HEIC photos are not accepted" rather than "this is not an image".

use image::ImageFormat;

use crate::PhotoError;

/// The accepted format of `bytes`, or why it is refused.
pub(crate) fn accepted_format(bytes: &[u8]) -> Result<ImageFormat, PhotoError> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(ImageFormat::WebP);
    }
    match refused_format(bytes) {
        Some(name) => Err(PhotoError::Unsupported {
            format: name.to_owned(),
        }),
        None => Err(PhotoError::NotAnImage),
    }
}

/// The name of an image format we recognise but do not accept.
fn refused_format(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"8BPS", "PSD"),
        (&[0xFF, 0x0A], "JPEG XL"),
        (b"\0\0\0\x0cJXL \r\n\x87\n", "JPEG XL"),
        (b"\0\0\0\x0cjP  \r\n\x87\n", "JPEG 2000"),
        (&[0xFF, 0x4F, 0xFF, 0x51], "JPEG 2000"),
        (b"qoif", "QOI"),
        (&[0x76, 0x2F, 0x31, 0x01], "OpenEXR"),
        (b"#?RADIANCE", "HDR"),
        (b"#?RGBE", "HDR"),
        (b"DDS ", "DDS"),
        (b"farbfeld", "Farbfeld"),
    ];
    if let Some((_, name)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Some(name);
    }
    iso_media_image(bytes)
        .or_else(|| is_bmp(bytes).then_some("BMP"))
        .or_else(|| is_ico(bytes).then_some("ICO"))
        .or_else(|| is_pnm(bytes).then_some("PNM"))
        .or_else(|| is_svg(bytes).then_some("SVG"))
}

/// HEIC, HEIF and AVIF are ISO media files: a `ftyp` box whose brands say what is inside.
/// iPhones send HEIC by default, so this is the refusal sellers will meet most. Other
/// brands (MP4, QuickTime video) are not images.
fn iso_media_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() < 12 || &bytes[4..8] != b"ftyp" {
        return None;
    }
    let box_len = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let major = &bytes[8..12];
    // Compatible brands: 4-byte codes after the minor version, to the end of the box.
    let compatible = bytes.get(16..box_len.min(bytes.len())).unwrap_or_default();
    const AVIF: &[&[u8]] = &[b"avif", b"avis"];
    const HEIC: &[&[u8]] = &[
        b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
    ];
    const HEIF: &[&[u8]] = &[b"mif1", b"msf1", b"heif"];
    let is = |brands: &[&[u8]]| brands.contains(&major);
    let lists = |brands: &[&[u8]]| compatible.chunks_exact(4).any(|c| brands.contains(&c));
    if is(AVIF) {
        Some("AVIF")
    } else if is(HEIC) {
        Some("HEIC")
    } else if major == b"crx " {
        Some("CR3")
    } else if is(HEIF) {
        // A generic HEIF major brand: the compatible brands tell the codec.
        if lists(AVIF) {
            Some("AVIF")
        } else if lists(HEIC) {
            Some("HEIC")
        } else {
            Some("HEIF")
        }
    } else {
        None
    }
}

/// "BM" alone would match text; the info header size must be one the format defines.
fn is_bmp(bytes: &[u8]) -> bool {
    bytes.len() >= 18
        && bytes.starts_with(b"BM")
        && matches!(
            u32::from_le_bytes([bytes[14], bytes[15], bytes[16], bytes[17]]),
            12 | 16 | 40 | 52 | 56 | 64 | 108 | 124
        )
}

/// Icons and cursors: reserved zero, type 1 or 2, at least one image.
fn is_ico(bytes: &[u8]) -> bool {
    bytes.len() >= 6
        && bytes[0..2] == [0, 0]
        && matches!(bytes[2..4], [1, 0] | [2, 0])
        && bytes[4..6] != [0, 0]
}

/// Netpbm: `P1`..`P6` then whitespace and a width (or a `#` comment); PAM: `P7` then its
/// upper-case header keywords. "P1 is ..." is text.
fn is_pnm(bytes: &[u8]) -> bool {
    let [b'P', kind @ b'1'..=b'7', ws, rest @ ..] = bytes else {
        return false;
    };
    let Some(&next) = rest.iter().find(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    ws.is_ascii_whitespace()
        && (next == b'#'
            || if *kind == b'7' {
                next.is_ascii_uppercase()
            } else {
                next.is_ascii_digit()
            })
}

/// SVG is text: an `<svg` root near the start, possibly after an XML declaration.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = &head[start..];
    head.starts_with(b"<svg")
        || (head.starts_with(b"<?xml") && head.windows(4).any(|w| w == b"<svg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(bytes: &[u8]) -> Option<String> {
        match accepted_format(bytes) {
            Err(PhotoError::Unsupported { format }) => Some(format),
            _ => None,
        }
    }

    #[test]
    fn accepted_formats_are_told_apart_by_their_magic_numbers() {
        assert_eq!(
            accepted_format(b"\xFF\xD8\xFF\xE0rest").ok(),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(
            accepted_format(b"\x89PNG\r\n\x1a\nrest").ok(),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            accepted_format(b"RIFF\x10\0\0\0WEBPVP8 ").ok(),
            Some(ImageFormat::WebP)
        );
    }

    #[test]
    fn heif_family_brands_name_the_codec() {
        assert_eq!(
            refused(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").as_deref(),
            Some("HEIC")
        );
        assert_eq!(
            refused(b"\0\0\0\x18ftypmif1\0\0\0\0mif1heic").as_deref(),
            Some("HEIC")
        );
        assert_eq!(
            refused(b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf").as_deref(),
            Some("AVIF")
        );
        assert_eq!(
            refused(b"\0\0\0\x18ftypmif1\0\0\0\0mif1avif").as_deref(),
            Some("AVIF")
        );
        assert_eq!(
            refused(b"\0\0\0\x10ftypmif1\0\0\0\0").as_deref(),
            Some("HEIF")
        );
        // Too short for compatible brands, or a box length that lies: no panic.
        assert_eq!(refused(b"\0\0\0\x18ftypmif1").as_deref(), Some("HEIF"));
        assert_eq!(
            refused(b"\0\0\0\x04ftypmif1\0\0\0\0heic").as_deref(),
            Some("HEIF")
        );
        // A video is not an image at all.
        assert_eq!(
            accepted_format(b"\0\0\0\x18ftypisom\0\0\0\0isomiso2"),
            Err(PhotoError::NotAnImage)
        );
    }

    #[test]
    fn other_image_formats_are_named() {
        assert_eq!(refused(b"GIF89a\x01\0\x01\0").as_deref(), Some("GIF"));
        assert_eq!(refused(b"II*\0\x08\0\0\0").as_deref(), Some("TIFF"));
        assert_eq!(refused(b"MM\0*\0\0\0\x08").as_deref(), Some("TIFF"));
        let mut bmp = b"BM\0\0\0\0\0\0\0\0\x36\0\0\0".to_vec();
        bmp.extend_from_slice(&40u32.to_le_bytes());
        assert_eq!(refused(&bmp).as_deref(), Some("BMP"));
        assert_eq!(
            refused(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
                .as_deref(),
            Some("SVG")
        );
        assert_eq!(refused(b"P6\n1 1\n255\n\0\0\0").as_deref(), Some("PNM"));
    }

    #[test]
    fn text_that_starts_like_a_signature_is_not_an_image() {
        for text in [
            &b"BMW for sale, 1999"[..],
            b"P1 is the first point",
            b"hello",
            b"",
            b"\xFF",
            b"RIFF\0\0\0\0WAVEfmt ",
            b"%PDF-1.7",
        ] {
            assert_eq!(
                accepted_format(text),
                Err(PhotoError::NotAnImage),
                "{text:?}"
            );
        }
    }
}
