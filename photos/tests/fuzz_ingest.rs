//! Fuzzing `photos::ingest` (issue 20, point 7): random bytes, real JPEG, PNG and
//! WebP files with bytes overwritten or cut short, and headers that declare any
//! dimensions (up to 4 billion pixels a side) never panic, never allocate for what a
//! header merely claims, and a photo is only accepted within the bounds.
//! `make test` runs a short round; a longer one is
//! `PROPTEST_CASES=20000 cargo test --release -p photos --test fuzz_ingest`.

mod common;
use common::png_chunk;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use photos::{MAX_PIXELS, ingest};
use proptest::prelude::*;
use std::io::Cursor;

/// Cases per property: `PROPTEST_CASES`, or a short round.
fn config(short: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(short);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn picture() -> RgbImage {
    RgbImage::from_fn(48, 32, |x, y| {
        Rgb([(x * 5) as u8, (y * 7) as u8, ((x ^ y) * 3) as u8])
    })
}

/// A small real photo in each format the site takes.
fn originals() -> Vec<Vec<u8>> {
    let image = picture();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&image)
        .unwrap();
    let mut png = Vec::new();
    DynamicImage::ImageRgb8(image.clone())
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(image.as_raw(), 48, 32, image::ExtendedColorType::Rgb8)
        .unwrap();
    vec![jpeg, png, webp]
}

/// A PNG whose header says `width`×`height` (with a valid checksum) over a tiny body.
fn png_declaring(width: u32, height: u32, colour: u8) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, colour, 0, 0, 0]);
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// The real JPEG with its frame header (SOF0) saying `width`×`height`.
fn jpeg_declaring(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    if let Some(at) = out.windows(2).position(|w| w == [0xFF, 0xC0]) {
        // FF C0, length (2), precision (1), height (2), width (2).
        out[at + 5..at + 7].copy_from_slice(&height.to_be_bytes());
        out[at + 7..at + 9].copy_from_slice(&width.to_be_bytes());
    }
    out
}

/// A WebP (VP8X) whose canvas says `width`×`height` (each 1 to 2^24).
fn webp_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut vp8x = vec![0u8; 10];
    vp8x[4..7].copy_from_slice(&(width.max(1) - 1).to_le_bytes()[..3]);
    vp8x[7..10].copy_from_slice(&(height.max(1) - 1).to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend_from_slice(b"VP8X");
    body.extend_from_slice(&10u32.to_le_bytes());
    body.extend_from_slice(&vp8x);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// What an accepted photo must be: within the pixel bound, with its renditions.
fn check(bytes: &[u8]) {
    if let Ok(ingested) = ingest(bytes) {
        let (w, h) = (ingested.width, ingested.height);
        assert!(
            u64::from(w) * u64::from(h) <= MAX_PIXELS,
            "{w}×{h} accepted"
        );
        assert!(!ingested.derivatives.is_empty());
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn random_bytes_are_refused_without_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn a_real_photo_damaged_anywhere_never_panics(
        which in 0usize..3,
        hits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
        cut_it in any::<bool>(),
    ) {
        let mut bytes = originals().swap_remove(which);
        for (at, value) in hits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if cut_it {
            bytes.truncate(cut.index(bytes.len()));
        }
        check(&bytes);
    }

    #[test]
    fn headers_claiming_any_size_never_allocate_for_the_claim(
        width in any::<u32>(),
        height in any::<u32>(),
        colour in prop::sample::select(vec![0u8, 2, 3, 4, 6, 7]),
    ) {
        let started = std::time::Instant::now();
        check(&png_declaring(width, height, colour));
        check(&jpeg_declaring(&originals()[0], width as u16, height as u16));
        check(&webp_declaring(width & 0xFF_FFFF, height & 0xFF_FFFF));
        prop_assert!(started.elapsed() < std::time::Duration::from_secs(20), "{width}×{height} took {:?}", started.elapsed());
    }
}
