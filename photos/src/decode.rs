//! From accepted bytes to pixels, guarded against bombs.
//!
//! A 15 MB file can declare billions of pixels (a PNG of zeros compresses about 1000:1), so
//! the size is read from the header first and anything over [`MAX_PIXELS`] is refused
//! before a single pixel buffer exists. The decoding reader then gets [`image::Limits`] as a
//! second guard: its width and height may not exceed what the header said (so a decoder
//! that reads the size differently from our probe cannot allocate more), and its
//! allocations are capped at [`MAX_DECODE_ALLOC`].
//!
//! The EXIF orientation is read from the same decoder (JPEG APP1, PNG `eXIf`, WebP `EXIF`)
//! but applied later, after resizing, where turning the image costs a thousandth as much.
//! A broken EXIF block only loses the orientation; it does not refuse the photo.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::{MAX_PIXELS, PhotoError, jpeg_structure};

/// The most a decoder may allocate: a [`MAX_PIXELS`] image of 16-bit RGBA (8 bytes a
/// pixel, the widest any accepted format decodes to) plus headroom for the decoder's own
/// tables. The image crate's default is the same 512 MiB; it is spelt out so that the
/// pixel cap and this one are read together.
pub const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// Decoded pixels, ready to resize.
pub(crate) struct Decoded {
    /// `ImageRgb8`, or `ImageRgba8` (straight alpha) when the photo has any pixel that is
    /// not fully opaque. Nothing else.
    pub image: DynamicImage,
    /// The EXIF orientation, still to be applied.
    pub orientation: Orientation,
}

pub(crate) fn decode(bytes: &[u8], format: ImageFormat) -> Result<Decoded, PhotoError> {
    // The header alone: no pixel buffer yet. No dimension limit here, so that we learn
    // (and can report) the declared size; the allocation cap still bounds what the
    // decoder does with metadata before the pixels (a PNG `iCCP` bomb, say).
    let mut probe = ImageReader::with_format(Cursor::new(bytes), format);
    probe.limits(limits(None));
    let (width, height) = probe
        .into_dimensions()
        .map_err(|e| classify(e, format, None))?;
    check_pixels(width, height)?;
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt);
    }
    if format == ImageFormat::Jpeg && !jpeg_structure::is_complete(bytes) {
        return Err(PhotoError::Corrupt);
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits(Some((width, height))));
    let too_many = PhotoError::TooManyPixels { width, height };
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| classify(e, format, Some((width, height))))?;
    // `DynamicImage::from_decoder` (unlike `ImageReader::decode`) does not weigh the
    // buffer it allocates against the limits, so do it here.
    if decoder.dimensions() != (width, height) || decoder.total_bytes() > MAX_DECODE_ALLOC {
        return Err(too_many);
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder)
        .map_err(|e| classify(e, format, Some((width, height))))?;
    Ok(Decoded {
        image: normalise(image),
        orientation,
    })
}

/// Refuses more than [`MAX_PIXELS`] (in `u64`, so no side can overflow the product).
pub(crate) fn check_pixels(width: u32, height: u32) -> Result<(), PhotoError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        Err(PhotoError::TooManyPixels { width, height })
    } else {
        Ok(())
    }
}

fn limits(size: Option<(u32, u32)>) -> Limits {
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    if let Some((width, height)) = size {
        limits.max_image_width = Some(width);
        limits.max_image_height = Some(height);
    }
    limits
}

/// Which refusal an `image` error is. `size` is the header's, once known.
fn classify(error: ImageError, format: ImageFormat, size: Option<(u32, u32)>) -> PhotoError {
    match (error, size) {
        (ImageError::Limits(_), Some((width, height))) => {
            PhotoError::TooManyPixels { width, height }
        }
        // A rare flavour of an accepted format (arithmetic-coded JPEG, say).
        (ImageError::Unsupported(_), _) => PhotoError::Unsupported {
            format: format!("{} variant", format_name(format)),
        },
        // Truncated, undecodable, or metadata that blows the allocation cap before the
        // header is even known: damaged either way.
        _ => PhotoError::Corrupt,
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        ImageFormat::WebP => "WebP",
        _ => "image",
    }
}

/// Down to the two layouts the rest of the crate handles: 8-bit RGB, or 8-bit RGBA when
/// there is real transparency.
///
/// Grey, 16-bit and float images become RGB(A) 8-bit: the derivatives are 8-bit anyway.
/// An alpha channel that is opaque everywhere (common in PNG exports) is dropped, which
/// saves a quarter of the resizing work and an `ALPH` chunk in every WebP.
fn normalise(image: DynamicImage) -> DynamicImage {
    if !image.color().has_alpha() {
        return DynamicImage::ImageRgb8(image.into_rgb8());
    }
    let rgba = image.into_rgba8();
    if rgba.pixels().all(|p| p.0[3] == u8::MAX) {
        return DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8());
    }
    DynamicImage::ImageRgba8(rgba)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pixel_cap_is_inclusive_and_cannot_overflow() {
        assert!(check_pixels(10_000, 5_000).is_ok());
        assert!(check_pixels(10_000, 5_001).is_err());
        assert!(check_pixels(u32::MAX, u32::MAX).is_err());
        assert!(check_pixels(50_000_000, 1).is_ok());
    }
}
