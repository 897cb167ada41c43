//! Demo photos, drawn at seed time with the `image` crate (nothing is downloaded).
//! Each pattern is a function of normalised coordinates, so every width is drawn
//! directly at its size instead of being scaled down from a big one. Files are
//! lossless WebP, written once: a file that already exists is kept, so re-seeding
//! and test runs that share a media folder skip the drawing.

use domain::catalog::PHOTO_WIDTHS;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, Rgb, RgbImage, codecs::webp::WebPEncoder};
use std::path::Path;

/// 4:3, the shape of a phone photo.
pub const ASPECT: (u32, u32) = (4, 3);

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("unknown pattern {0:?}")]
    UnknownPattern(String),
    #[error("bad colour {0:?} (expected #rrggbb)")]
    BadColour(String),
    #[error("writing {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("encoding a photo: {0}")]
    Encode(#[from] image::ImageError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Stripes,
    Diamonds,
    Zigzag,
    Vessel,
    Radial,
    Weave,
    Dots,
    Landscape,
    PapelPicado,
}

impl Pattern {
    pub fn parse(name: &str) -> Result<Self, PhotoError> {
        Ok(match name {
            "stripes" => Pattern::Stripes,
            "diamonds" => Pattern::Diamonds,
            "zigzag" => Pattern::Zigzag,
            "vessel" => Pattern::Vessel,
            "radial" => Pattern::Radial,
            "weave" => Pattern::Weave,
            "dots" => Pattern::Dots,
            "landscape" => Pattern::Landscape,
            "papel_picado" => Pattern::PapelPicado,
            other => return Err(PhotoError::UnknownPattern(other.to_owned())),
        })
    }
}

pub fn parse_palette(colours: &[String]) -> Result<Vec<Rgb<u8>>, PhotoError> {
    colours
        .iter()
        .map(|c| {
            let hex = c.strip_prefix('#').filter(|h| h.len() == 6);
            let byte = |i: usize| hex.and_then(|h| u8::from_str_radix(&h[i..i + 2], 16).ok());
            match (byte(0), byte(2), byte(4)) {
                (Some(r), Some(g), Some(b)) => Ok(Rgb([r, g, b])),
                _ => Err(PhotoError::BadColour(c.clone())),
            }
        })
        .collect()
}

/// Writes `{key}-{width}.webp` and `{key}-{width}.jpg` (what link previewers read)
/// for every width into `dir`, unless already there, as uploads get them.
/// Returns the size of the widest rendition.
pub fn ensure_photo(
    dir: &Path,
    key: &str,
    pattern: Pattern,
    palette: &[Rgb<u8>],
    variant: u32,
) -> Result<(u32, u32), PhotoError> {
    for width in PHOTO_WIDTHS {
        let webp = dir.join(format!("{key}-{width}.webp"));
        let jpeg = dir.join(format!("{key}-{width}.jpg"));
        if webp.exists() && jpeg.exists() {
            continue;
        }
        let height = width * ASPECT.1 / ASPECT.0;
        let img = draw(pattern, palette, variant, width, height);
        if !webp.exists() {
            let mut bytes = Vec::new();
            WebPEncoder::new_lossless(&mut bytes).write_image(
                img.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )?;
            write_whole(&webp, &bytes)?;
        }
        if !jpeg.exists() {
            let mut bytes = Vec::new();
            JpegEncoder::new_with_quality(&mut bytes, 80).write_image(
                img.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )?;
            write_whole(&jpeg, &bytes)?;
        }
    }
    let widest = PHOTO_WIDTHS[PHOTO_WIDTHS.len() - 1];
    Ok((widest, widest * ASPECT.1 / ASPECT.0))
}

/// Writes `bytes` to `path` whole (`tasks::photos::write_whole`), naming the file if
/// it cannot.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), PhotoError> {
    crate::tasks::photos::write_whole(path, bytes).map_err(|source| PhotoError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn draw(pattern: Pattern, palette: &[Rgb<u8>], variant: u32, width: u32, height: u32) -> RgbImage {
    let colours: Vec<Rgb<u8>> = if palette.is_empty() {
        vec![Rgb([120, 80, 60]), Rgb([230, 210, 180])]
    } else {
        // Each variant starts the palette at another colour.
        (0..palette.len())
            .map(|i| palette[(i + variant as usize) % palette.len()])
            .collect()
    };
    let pick = |i: i64| colours[i.rem_euclid(colours.len() as i64) as usize];
    let scale = 1.0 + variant as f32 * 0.35;
    let (w, h) = (width as f32, height as f32);
    RgbImage::from_fn(width, height, |x, y| {
        // Normalised coordinates: u across, v down, both 0..1 (v scaled to aspect).
        let u = x as f32 / w;
        let v = y as f32 / w;
        let vh = y as f32 / h;
        match pattern {
            Pattern::Stripes => pick((vh * 9.0 * scale) as i64),
            Pattern::Diamonds => {
                let (cu, cv) = (
                    (u * 6.0 * scale).fract() - 0.5,
                    (v * 6.0 * scale).fract() - 0.5,
                );
                let d = cu.abs() + cv.abs();
                pick(if d < 0.18 {
                    2
                } else if d < 0.32 {
                    1
                } else {
                    0
                })
            }
            Pattern::Zigzag => {
                let band = vh * 8.0 * scale + ((u * 12.0).fract() - 0.5).abs() * 1.6;
                pick(band as i64)
            }
            Pattern::Vessel => {
                // A round pot on a table: body, neck, background.
                let (cx, cy) = (u - 0.5, vh - 0.58);
                let body = cx * cx / 0.09 + cy * cy / 0.085 < 1.0;
                let neck = cx.abs() < 0.09 && vh > 0.18 && vh < 0.35;
                let shine = (cx + 0.1).powi(2) + (cy + 0.12).powi(2) < 0.003 * scale;
                if shine {
                    pick(2)
                } else if body || neck {
                    pick(0)
                } else if vh > 0.86 {
                    pick(3)
                } else {
                    pick(1)
                }
            }
            Pattern::Radial => {
                let r = ((u - 0.5).powi(2) + (vh - 0.5).powi(2)).sqrt();
                pick((r * 14.0 * scale) as i64)
            }
            Pattern::Weave => {
                let (a, b) = ((u * 24.0 * scale) as i64, (v * 24.0 * scale) as i64);
                pick(if (a + b) % 2 == 0 { a / 3 } else { b / 3 + 1 })
            }
            Pattern::Dots => {
                let (cu, cv) = (
                    (u * 8.0 * scale).fract() - 0.5,
                    (v * 8.0 * scale).fract() - 0.5,
                );
                pick(if cu * cu + cv * cv < 0.08 { 1 } else { 0 })
            }
            Pattern::Landscape => {
                let ridge = 0.45 + 0.08 * (u * 9.0 * scale).sin() + 0.04 * (u * 23.0).sin();
                let far = 0.38 + 0.05 * (u * 5.0 + 1.0).sin();
                pick(if vh < far {
                    3
                } else if vh < ridge {
                    1
                } else {
                    0
                })
            }
            Pattern::PapelPicado => {
                let row = (vh * 4.0) as i64;
                let flag = (u * 7.0 * scale) as i64;
                let (cu, cv) = ((u * 7.0 * scale).fract() - 0.5, (vh * 4.0).fract() - 0.5);
                let cut = cu.abs() + cv.abs() < 0.2 || (cu * cu + cv * cv) < 0.01;
                if cut { pick(3) } else { pick(row + flag) }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_width_once() {
        let dir = std::env::temp_dir().join(format!("tianguis-photos-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let palette =
            parse_palette(&["#8b1e3f".into(), "#f1e6d0".into(), "#1f3a68".into()]).unwrap();
        let size = ensure_photo(&dir, "test-rug", Pattern::Zigzag, &palette, 1).unwrap();
        assert_eq!(size, (1280, 960));
        for w in PHOTO_WIDTHS {
            let bytes = std::fs::read(dir.join(format!("test-rug-{w}.webp"))).unwrap();
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!((img.width(), img.height()), (w, w * 3 / 4));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn refuses_bad_colours_and_patterns() {
        assert!(parse_palette(&["red".into()]).is_err());
        assert!(parse_palette(&["#12345g".into()]).is_err());
        assert!(Pattern::parse("plaid").is_err());
    }
}
