//! The four renditions: their sizes, the resampling, the orientation.
//!
//! **Sizes.** Each nominal width in [`WIDTHS`] gets a rendition that many pixels wide,
//! keeping the aspect ratio, except that a photo is never upscaled: a 900 px wide photo
//! gives 320, 640 and 900 px "960" and "1280" renditions. Enlarging would only add bytes, not
//! detail, and the browser scales up as well as we would. File names keep the nominal
//! width (the page asks for `{key}-1280.webp` whatever the photo), while [`Derivative`]
//! records the real pixels for `width`/`height` attributes. A very tall image (a long
//! screenshot) is also bounded to [`MAX_ASPECT`] times the nominal width in height, which
//! keeps every rendition within WebP's 16383 px limit and its bytes reasonable.
//!
//! **Speed.** The 1280 rendition is resampled from the decoded photo, and the 960, 640 and
//! 320 ones from the 1280 one: downscaling 12 MP once instead of four times. Resizing happens
//! in the stored orientation and the EXIF rotation is applied afterwards, to a 1280 px
//! image instead of a 12 MP one.
//!
//! **Resampler and filter.** Lanczos3, by `fast_image_resize`. Measured on a 4000×3000
//! photo to 1280 wide in release on this machine (2 cores, AVX2): `image::imageops`'s
//! resize took about 480 ms with Lanczos3 and 300–380 ms with Catmull-Rom (then the
//! largest single cost of an ingest, ~45 %), while `fast_image_resize`, which uses the
//! CPU's SIMD instructions, takes about 20 ms with either. At that price the sharpest
//! common filter costs nothing, so it is Lanczos3. `fast_image_resize` also premultiplies
//! alpha while it resamples, so the colour of fully transparent pixels (often black) does
//! not bleed into the edges of what is visible.
//!
//! [`Derivative`]: crate::Derivative

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;
use image::metadata::Orientation;

use crate::decode::Decoded;
use crate::encode::{self, Encoded};
use crate::{Derivative, Format, PhotoError, WIDTHS};

/// The resampling filter; see the module documentation for the measurements.
const FILTER: FilterType = FilterType::Lanczos3;

/// A rendition is at most this many times its nominal width in height.
pub const MAX_ASPECT: u32 = 4;

/// The real pixel size of one rendition, in display orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Size {
    pub nominal: u32,
    pub width: u32,
    pub height: u32,
}

/// The rendition sizes of a photo of `width`×`height` (display orientation, both > 0).
pub(crate) fn sizes(width: u32, height: u32) -> [Size; WIDTHS.len()] {
    WIDTHS.map(|nominal| {
        let (w, h) = (u64::from(width), u64::from(height));
        let mut out_w = w.min(u64::from(nominal));
        let mut out_h = scale(h, out_w, w);
        let max_h = u64::from(nominal) * u64::from(MAX_ASPECT);
        if out_h > max_h {
            out_h = max_h.min(h);
            out_w = scale(w, out_h, h);
        }
        // Both are at most the photo's own sides, which are u32.
        Size {
            nominal,
            width: u32::try_from(out_w).unwrap_or(nominal),
            height: u32::try_from(out_h).unwrap_or(nominal),
        }
    })
}

/// `side * num / den`, rounded, at least 1.
fn scale(side: u64, num: u64, den: u64) -> u64 {
    ((side * num + den / 2) / den).max(1)
}

/// Does this orientation swap width and height?
fn turns(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Resizes, orients and encodes the renditions: for each of [`WIDTHS`] in order, the WebP
/// then the JPEG.
pub(crate) fn derivatives(decoded: Decoded) -> Result<Vec<Derivative>, PhotoError> {
    let Decoded { image, orientation } = decoded;
    let (stored_w, stored_h) = (image.width(), image.height());
    let (width, height) = if turns(orientation) {
        (stored_h, stored_w)
    } else {
        (stored_w, stored_h)
    };
    let sizes = sizes(width, height);
    let largest = sizes[sizes.len() - 1];

    // The largest rendition, from the photo, resized in stored orientation then turned.
    let target = if turns(orientation) {
        (largest.height, largest.width)
    } else {
        (largest.width, largest.height)
    };
    let mut resizer = Resizer::new();
    let mut base = if target == (stored_w, stored_h) {
        image
    } else {
        let resized = resize(&mut resizer, &image, target)?;
        drop(image); // the full-size pixels are not needed any more
        resized
    };
    base.apply_orientation(orientation);

    let mut derivatives = Vec::with_capacity(2 * sizes.len());
    let mut previous: Option<(Size, Encoded)> = None;
    for size in sizes {
        let encoded = match previous {
            // A photo narrower than two nominal widths gives the same pixels twice:
            // encode once.
            Some((before, ref encoded))
                if (before.width, before.height) == (size.width, size.height) =>
            {
                encoded.clone()
            }
            _ if (size.width, size.height) == (base.width(), base.height()) => encode::both(&base)?,
            _ => encode::both(&resize(&mut resizer, &base, (size.width, size.height))?)?,
        };
        for (format, bytes) in [
            (Format::Webp, encoded.webp.clone()),
            (Format::Jpeg, encoded.jpeg.clone()),
        ] {
            derivatives.push(Derivative {
                nominal_width: size.nominal,
                width: size.width,
                height: size.height,
                format,
                bytes,
            });
        }
        previous = Some((size, encoded));
    }
    Ok(derivatives)
}

/// `image` resampled to `width`×`height` with [`FILTER`], in the same layout.
fn resize(
    resizer: &mut Resizer,
    image: &DynamicImage,
    (width, height): (u32, u32),
) -> Result<DynamicImage, PhotoError> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FILTER));
    resizer
        .resize(image, &mut resized, &options)
        .map_err(|e| PhotoError::Internal {
            reason: format!("resize: {e}"),
        })?;
    Ok(resized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(sizes: [Size; 4]) -> [(u32, u32); 4] {
        sizes.map(|s| (s.width, s.height))
    }

    #[test]
    fn a_large_photo_gets_every_nominal_width() {
        assert_eq!(
            dims(sizes(4000, 3000)),
            [(320, 240), (640, 480), (960, 720), (1280, 960)]
        );
        assert_eq!(
            dims(sizes(3000, 4000)),
            [(320, 427), (640, 853), (960, 1280), (1280, 1707)]
        );
    }

    #[test]
    fn a_narrow_photo_is_never_upscaled() {
        assert_eq!(
            dims(sizes(900, 600)),
            [(320, 213), (640, 427), (900, 600), (900, 600)]
        );
        assert_eq!(dims(sizes(1, 1)), [(1, 1), (1, 1), (1, 1), (1, 1)]);
    }

    #[test]
    fn extreme_shapes_stay_at_least_one_pixel_and_within_the_aspect_bound() {
        assert_eq!(
            dims(sizes(50_000_000, 1)),
            [(320, 1), (640, 1), (960, 1), (1280, 1)]
        );
        assert_eq!(
            dims(sizes(1000, 20_000)),
            [(64, 1280), (128, 2560), (192, 3840), (256, 5120)]
        );
        assert_eq!(
            dims(sizes(1, 40_000)),
            [(1, 1280), (1, 2560), (1, 3840), (1, 5120)]
        );
        for s in sizes(1, 40_000) {
            assert!(s.height <= 16_383);
        }
    }
}
