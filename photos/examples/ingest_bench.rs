//! How long `photos::ingest` takes on a 12-megapixel phone photo, and how much memory.
//!
//! Draws a 4000×3000 picture with photo-like content (smooth sky and ground gradients,
//! soft discs, fine texture and sensor-like noise, so it neither compresses to nothing
//! nor is pure noise), encodes it as a quality-90 JPEG like a phone would, then ingests
//! it three times. Prints the source size, the time per ingest (min and median), the peak
//! resident memory of the ingests alone, and the size of every derivative.
//!
//! Run it in release: `bench/photo_ingest.sh` (or
//! `cargo run --release -p photos --example ingest_bench`).

use std::time::{Duration, Instant};

use std::io::Cursor;

use fast_image_resize::{self as fir, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Rgb, RgbImage};

const RUNS: usize = 3;

fn main() {
    let upload = phone_photo(4000, 3000);
    println!(
        "source: 4000x3000 JPEG q90, {} bytes ({:.2} MB)",
        upload.len(),
        upload.len() as f64 / 1e6
    );

    // The peak of the ingests alone: reset the high-water mark after drawing the photo
    // (writing 5 to clear_refs resets VmHWM; Linux 4.0+).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = status_kb("VmRSS");

    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let ingested = photos::ingest(&upload).expect("the bench photo is accepted");
        times.push(start.elapsed());
        last = Some(ingested);
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "ingest x{RUNS}: min {:.0} ms, median {:.0} ms, max {:.0} ms",
        ms(times[0]),
        ms(times[RUNS / 2]),
        ms(times[RUNS - 1])
    );
    let peak = status_kb("VmHWM");
    println!(
        "peak RSS: {:.1} MB{} (RSS before the ingests: {:.1} MB)",
        peak as f64 / 1024.0,
        if reset {
            ""
        } else {
            " (includes drawing the photo)"
        },
        before as f64 / 1024.0
    );

    let ingested = last.expect("ran at least once");
    println!("derivatives of key {}:", ingested.key);
    let mut total = 0;
    for d in &ingested.derivatives {
        total += d.bytes.len();
        println!(
            "  {:<32} {:>4}x{:<4} {:>8} bytes",
            d.file_name(&ingested.key),
            d.width,
            d.height,
            d.bytes.len()
        );
    }
    println!("  total {total} bytes");

    // Where the time goes, measured with the crates directly (what `ingest` does inside):
    // the decode, and the one big resize, with `fast_image_resize` (used) and with
    // `image::imageops` for comparison.
    let start = Instant::now();
    let decoded = ImageReader::with_format(Cursor::new(&upload), ImageFormat::Jpeg)
        .decode()
        .expect("decodes");
    println!("stages: decode {:.0} ms", ms(start.elapsed()));
    let mut resizer = Resizer::new();
    for filter in [fir::FilterType::Lanczos3, fir::FilterType::CatmullRom] {
        let mut out = DynamicImage::new(1280, 960, decoded.color());
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
        let start = Instant::now();
        resizer
            .resize(&decoded, &mut out, &options)
            .expect("resizes");
        println!(
            "stages: resize to 1280, fast_image_resize {filter:?}: {:.0} ms{}",
            ms(start.elapsed()),
            if filter == fir::FilterType::Lanczos3 {
                " (used)"
            } else {
                ""
            }
        );
    }
    for filter in [FilterType::Lanczos3, FilterType::CatmullRom] {
        let start = Instant::now();
        let _ = decoded.resize_exact(1280, 960, filter);
        println!(
            "stages: resize to 1280, image::imageops {filter:?}: {:.0} ms",
            ms(start.elapsed())
        );
    }
    let small = decoded
        .resize_exact(1280, 960, FilterType::Triangle)
        .to_rgb8();
    let start = Instant::now();
    let webp = webp::Encoder::from_rgb(small.as_raw(), 1280, 960)
        .encode_simple(false, photos::WEBP_QUALITY)
        .expect("encodes");
    println!(
        "stages: WebP q{} of 1280x960: {:.0} ms ({} bytes)",
        photos::WEBP_QUALITY,
        ms(start.elapsed()),
        webp.len()
    );
    let start = Instant::now();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, photos::JPEG_QUALITY)
        .encode_image(&small)
        .expect("encodes");
    println!(
        "stages: JPEG q{} of 1280x960: {:.0} ms ({} bytes)",
        photos::JPEG_QUALITY,
        ms(start.elapsed()),
        jpeg.len()
    );
}

/// A field under a sky with a few soft round shapes, fine texture and noise.
fn phone_photo(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_F491_u32;
    let horizon = height * 2 / 5;
    let discs = [
        (900.0, 700.0, 380.0),
        (2600.0, 1900.0, 650.0),
        (3400.0, 900.0, 240.0),
    ];
    let image = RgbImage::from_fn(width, height, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let noise = (seed % 15) as f32 - 7.0;
        let (fx, fy) = (x as f32, y as f32);
        let mut rgb = if y < horizon {
            let t = fy / horizon as f32;
            // Clouds: a few overlapping waves.
            let cloud = ((fx * 0.004).sin()
                + (fy * 0.011 + fx * 0.002).sin() * 0.7
                + (fx * 0.021 - fy * 0.017).cos() * 0.4)
                .max(0.0)
                * 40.0;
            [
                90.0 + 80.0 * t + cloud,
                140.0 + 70.0 * t + cloud,
                220.0 - 20.0 * t + cloud * 0.5,
            ]
        } else {
            let t = (fy - horizon as f32) / (height - horizon) as f32;
            // Grass-like texture: a fine interference pattern that JPEG has to keep.
            let blades = ((fx * 0.9).sin() * (fy * 0.35 + fx * 0.05).cos()) * 18.0;
            [
                70.0 + 40.0 * t + blades,
                120.0 - 30.0 * t + blades,
                40.0 + 10.0 * t,
            ]
        };
        for &(cx, cy, r) in &discs {
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < r {
                let shade = 1.0 - 0.5 * d / r;
                rgb = [
                    200.0 * shade + 30.0,
                    60.0 * shade + 20.0,
                    50.0 * shade + 20.0,
                ];
            }
        }
        Rgb(rgb.map(|c| (c + noise).clamp(0.0, 255.0) as u8))
    });
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&image)
        .expect("encoding to memory");
    jpeg
}

/// A `kB` field of /proc/self/status (0 when unreadable, e.g. not on Linux).
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .unwrap_or(0)
}
