//! `photos::ingest` end to end, on files made here: photos drawn and encoded in the test,
//! EXIF blocks and PNG chunks written byte by byte. Nothing is downloaded or committed.

mod common;
use common::png_chunk;

use std::io::Cursor;
use std::time::{Duration, Instant};

use image::codecs::jpeg::JpegEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use photos::{Derivative, Format, Ingested, MAX_BYTES, PhotoError, WIDTHS, ingest};

// ---------------------------------------------------------------------------------------
// Making files

/// A small deterministic generator, so "noise" is the same on every run.
struct XorShift(u32);

impl XorShift {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
}

/// A photo-like picture that does not compress to nothing: gradients, a fine checker and
/// noise. Green and blue stay above 100 everywhere, so a pure red mark stands out.
fn pattern(width: u32, height: u32) -> RgbImage {
    let mut rng = XorShift(0x9E37_79B9);
    RgbImage::from_fn(width, height, |x, y| {
        let noise = (rng.next() % 24) as u8;
        Rgb([
            ((x ^ y) & 0x7F) as u8 + noise,
            100 + (y * 130 / height) as u8 + noise,
            100 + (x * 130 / width) as u8 + noise,
        ])
    })
}

fn jpeg_of(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .unwrap();
    out
}

fn png_of(image: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

/// GPS coordinates in the test EXIF, as TIFF rationals (little-endian): 19°25'51.23" N,
/// 99°8'43.21" W. Searched for, byte for byte, in every derivative.
fn gps_latitude() -> Vec<u8> {
    rationals(&[(19, 1), (25, 1), (5123, 100)])
}

fn gps_longitude() -> Vec<u8> {
    rationals(&[(99, 1), (8, 1), (4321, 100)])
}

fn rationals(values: &[(u32, u32)]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|&(n, d)| n.to_le_bytes().into_iter().chain(d.to_le_bytes()))
        .collect()
}

/// An EXIF APP1 segment (marker included): IFD0 with Orientation and a pointer to a GPS
/// IFD holding latitude and longitude with their references.
fn exif_app1(orientation: u16) -> Vec<u8> {
    fn entry(tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value);
    }
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const ASCII: u16 = 2;
    const RATIONAL: u16 = 5;
    // Layout: header (8) | IFD0 at 8: 2 entries (2 + 24 + 4 = 30) | GPS IFD at 38:
    // 4 entries (2 + 48 + 4 = 54) | latitude at 92 (24) | longitude at 116 (24).
    let gps_ifd: u32 = 38;
    let (lat_at, lon_at) = (92u32, 116u32);

    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut tiff, 0x0112, SHORT, 1, [o[0], o[1], 0, 0]);
    entry(&mut tiff, 0x8825, LONG, 1, gps_ifd.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), gps_ifd as usize);

    tiff.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut tiff, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, RATIONAL, 3, lat_at.to_le_bytes());
    entry(&mut tiff, 0x0003, ASCII, 2, *b"W\0\0\0");
    entry(&mut tiff, 0x0004, RATIONAL, 3, lon_at.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(tiff.len(), lat_at as usize);
    tiff.extend_from_slice(&gps_latitude());
    assert_eq!(tiff.len(), lon_at as usize);
    tiff.extend_from_slice(&gps_longitude());

    let payload_len = 2 + 6 + tiff.len();
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend_from_slice(&u16::try_from(payload_len).unwrap().to_be_bytes());
    app1.extend_from_slice(b"Exif\0\0");
    app1.extend_from_slice(&tiff);
    app1
}

/// `jpeg` with `segment` spliced in right after the SOI marker.
fn splice_after_soi(jpeg: &[u8], segment: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A zlib stream (one stored block) of `n` zero bytes.
fn zlib_zeros(n: u16) -> Vec<u8> {
    let mut z = vec![0x78, 0x01, 0x01];
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&(!n).to_le_bytes());
    z.extend(std::iter::repeat_n(0u8, usize::from(n)));
    // Adler-32 of n zeros: a = 1, b = n.
    z.extend_from_slice(&((u32::from(n) << 16) | 1).to_be_bytes());
    z
}

/// A PNG that declares `width`×`height` 8-bit grey pixels but carries one tiny IDAT.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8 bits, greyscale, deflate, no filter, no interlace
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &zlib_zeros(16));
    png_chunk(&mut png, b"IEND", &[]);
    png
}

// ---------------------------------------------------------------------------------------
// Reading derivatives

/// The chunk names of a RIFF WebP file, checking its framing on the way.
fn webp_chunks(webp: &[u8]) -> Vec<([u8; 4], &[u8])> {
    assert_eq!(&webp[..4], b"RIFF");
    assert_eq!(&webp[8..12], b"WEBP");
    let riff_len = u32::from_le_bytes(webp[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff_len + 8, webp.len(), "RIFF length");
    let mut chunks = Vec::new();
    let mut pos = 12;
    while pos < webp.len() {
        let name: [u8; 4] = webp[pos..pos + 4].try_into().unwrap();
        let len = u32::from_le_bytes(webp[pos + 4..pos + 8].try_into().unwrap()) as usize;
        chunks.push((name, &webp[pos + 8..pos + 8 + len]));
        pos += 8 + len + (len & 1);
    }
    chunks
}

fn chunk_names(webp: &[u8]) -> Vec<String> {
    webp_chunks(webp)
        .iter()
        .map(|(name, _)| String::from_utf8_lossy(name).into_owned())
        .collect()
}

/// The marker codes of a JPEG from SOI up to its first SOS.
fn jpeg_header_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let mut markers = Vec::new();
    let mut pos = 2;
    loop {
        assert_eq!(jpeg[pos], 0xFF, "a marker at {pos}");
        let code = jpeg[pos + 1];
        markers.push(code);
        if code == 0xDA {
            return markers;
        }
        let len = u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]) as usize;
        pos += 2 + len;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(d: &Derivative) -> DynamicImage {
    let format = match d.format {
        Format::Webp => ImageFormat::WebP,
        Format::Jpeg => ImageFormat::Jpeg,
    };
    let image = image::load_from_memory_with_format(&d.bytes, format).unwrap();
    assert_eq!(
        (image.width(), image.height()),
        (d.width, d.height),
        "{d:?} decodes at its recorded size"
    );
    image
}

fn sizes(ingested: &Ingested, format: Format) -> Vec<(u32, u32, u32)> {
    ingested
        .derivatives
        .iter()
        .filter(|d| d.format == format)
        .map(|d| (d.nominal_width, d.width, d.height))
        .collect()
}

/// Every derivative is re-encoded from pixels: no EXIF, XMP, ICC or GPS survives.
fn assert_no_metadata(ingested: &Ingested) {
    for d in &ingested.derivatives {
        for needle in [
            &b"Exif"[..],
            b"EXIF",
            b"http://ns.adobe.com/xap",
            b"ICC_PROFILE",
            &gps_latitude(),
            &gps_longitude(),
        ] {
            assert!(!contains(&d.bytes, needle), "{d:?} contains {needle:?}");
        }
        match d.format {
            Format::Jpeg => {
                // In entropy-coded data 0xFF is always followed by 0x00 or a restart
                // marker, so FF E1 anywhere would be an APP1 segment.
                assert!(!contains(&d.bytes, &[0xFF, 0xE1]), "{d:?} has APP1");
                for code in jpeg_header_markers(&d.bytes) {
                    assert!(
                        matches!(code, 0xE0 | 0xDB | 0xC0 | 0xC4 | 0xDD | 0xDA),
                        "{d:?} has marker {code:02X}"
                    );
                }
            }
            Format::Webp => {
                for name in chunk_names(&d.bytes) {
                    assert!(
                        ["VP8 ", "VP8X", "ALPH"].contains(&name.as_str()),
                        "{d:?} has chunk {name:?}"
                    );
                }
                if let Some((_, vp8x)) = webp_chunks(&d.bytes).first().filter(|c| &c.0 == b"VP8X") {
                    // ICC (0x20), EXIF (0x08) and XMP (0x04) flags are all clear.
                    assert_eq!(vp8x[0] & 0x2C, 0, "{d:?} VP8X flags {:08b}", vp8x[0]);
                }
            }
        }
    }
}

fn assert_lossy_webp(d: &Derivative) {
    let names = chunk_names(&d.bytes);
    assert!(names.contains(&"VP8 ".to_owned()), "{d:?}: {names:?}");
    assert!(!names.contains(&"VP8L".to_owned()), "{d:?}: {names:?}");
}

// ---------------------------------------------------------------------------------------
// Photos that are accepted

#[test]
fn a_large_rotated_jpeg_with_gps_is_turned_upright_and_stripped_of_all_metadata() {
    // Stored landscape 3000×2000; EXIF orientation 6 says "turn 90° clockwise to view".
    let mut stored = pattern(3000, 2000);
    for y in 0..300 {
        for x in 0..300 {
            stored.put_pixel(x, y, Rgb([255, 0, 0])); // a red mark at the stored top left
        }
    }
    let upload = splice_after_soi(&jpeg_of(&stored, 90), &exif_app1(6));
    assert!(contains(&upload, b"Exif\0\0") && contains(&upload, &gps_latitude()));

    let ingested = ingest(&upload).unwrap();

    assert_eq!(ingested.derivatives.len(), 2 * WIDTHS.len());
    let portrait = vec![
        (320, 320, 480),
        (640, 640, 960),
        (960, 960, 1440),
        (1280, 1280, 1920),
    ];
    assert_eq!(sizes(&ingested, Format::Webp), portrait);
    assert_eq!(sizes(&ingested, Format::Jpeg), portrait);
    assert_eq!((ingested.width, ingested.height), (1280, 1920));

    for d in &ingested.derivatives {
        let pixels = decode(d).to_rgb8();
        // Turned clockwise, the stored top left is now the top right.
        let top_right = pixels.get_pixel(d.width - 1 - d.width / 40, d.height / 60);
        let top_left = pixels.get_pixel(d.width / 40, d.height / 60);
        assert!(
            top_right[0] > 200 && top_right[1] < 60,
            "{d:?} top right {top_right:?}"
        );
        assert!(top_left[1] > 80, "{d:?} top left {top_left:?}");
        if d.format == Format::Webp {
            assert_lossy_webp(d);
            assert_eq!(
                chunk_names(&d.bytes),
                ["VP8 "],
                "an opaque photo: simple format"
            );
        }
    }
    assert_no_metadata(&ingested);
    let names: Vec<String> = ingested
        .derivatives
        .iter()
        .map(|d| d.file_name(&ingested.key))
        .collect();
    let k = &ingested.key;
    assert_eq!(
        names,
        [
            format!("{k}-320.webp"),
            format!("{k}-320.jpg"),
            format!("{k}-640.webp"),
            format!("{k}-640.jpg"),
            format!("{k}-960.webp"),
            format!("{k}-960.jpg"),
            format!("{k}-1280.webp"),
            format!("{k}-1280.jpg"),
        ]
    );
}

#[test]
fn a_transparent_png_keeps_its_alpha_in_webp_and_is_flattened_onto_white_in_jpeg() {
    // Left half opaque green, right half fully transparent (stored as transparent black,
    // the colour that would bleed into the edge if alpha were not premultiplied).
    let mut rng = XorShift(7);
    let upload = png_of(&DynamicImage::ImageRgba8(RgbaImage::from_fn(
        800,
        400,
        |x, _| {
            if x < 400 {
                let n = (rng.next() % 8) as u8;
                Rgba([30 + n, 160 + n, 60 + n, 255])
            } else {
                Rgba([0, 0, 0, 0])
            }
        },
    )));

    let ingested = ingest(&upload).unwrap();
    assert_eq!(
        sizes(&ingested, Format::Webp),
        [
            (320, 320, 160),
            (640, 640, 320),
            (960, 800, 400),
            (1280, 800, 400)
        ]
    );
    assert_no_metadata(&ingested);

    for d in &ingested.derivatives {
        let (w, h) = (d.width, d.height);
        let (opaque, transparent, edge) = ((w / 4, h / 2), (3 * w / 4, h / 2), w / 2);
        match d.format {
            Format::Webp => {
                assert_lossy_webp(d);
                let chunks = webp_chunks(&d.bytes);
                let names = chunk_names(&d.bytes);
                assert_eq!(names, ["VP8X", "ALPH", "VP8 "], "{d:?}");
                assert_eq!(chunks[0].1[0] & 0x10, 0x10, "VP8X alpha flag");
                let pixels = decode(d).to_rgba8();
                assert!(pixels.get_pixel(opaque.0, opaque.1)[3] > 245);
                assert!(pixels.get_pixel(transparent.0, transparent.1)[3] < 10);
                // Visible edge pixels keep their green: no dark fringe.
                for x in edge - 3..edge + 3 {
                    let p = pixels.get_pixel(x, h / 2);
                    if p[3] > 64 {
                        assert!(p[1] > 120, "{d:?} edge {x}: {p:?}");
                    }
                }
            }
            Format::Jpeg => {
                let pixels = decode(d).to_rgb8();
                let white = pixels.get_pixel(transparent.0, transparent.1);
                assert!(white.0.iter().all(|&c| c >= 248), "{d:?} {white:?}");
                let green = pixels.get_pixel(opaque.0, opaque.1);
                assert!(green[1] > green[0] + 80, "{d:?} {green:?}");
                // Between green and white, never darker than the green.
                for x in edge - 3..edge + 3 {
                    let p = pixels.get_pixel(x, h / 2);
                    assert!(p[1] >= 140, "{d:?} edge {x}: {p:?}");
                }
            }
        }
    }
}

#[test]
fn a_photo_narrower_than_a_width_is_not_upscaled_but_keeps_its_file_names() {
    let upload = jpeg_of(&pattern(500, 400), 85);
    let ingested = ingest(&upload).unwrap();
    let expected = vec![
        (320, 320, 256),
        (640, 500, 400),
        (960, 500, 400),
        (1280, 500, 400),
    ];
    assert_eq!(sizes(&ingested, Format::Webp), expected);
    assert_eq!(sizes(&ingested, Format::Jpeg), expected);
    assert_eq!((ingested.width, ingested.height), (500, 400));
    for d in &ingested.derivatives {
        decode(d);
    }
    let largest = ingested.derivative(1280, Format::Webp).unwrap();
    assert_eq!(
        largest.file_name(&ingested.key),
        format!("{}-1280.webp", ingested.key)
    );
}

#[test]
fn webp_and_grey_sixteen_bit_png_uploads_are_accepted() {
    let rgb = pattern(700, 300);
    let mut lossless = Vec::new();
    WebPEncoder::new_lossless(&mut lossless)
        .encode(rgb.as_raw(), 700, 300, image::ExtendedColorType::Rgb8)
        .unwrap();
    let ingested = ingest(&lossless).unwrap();
    assert_eq!((ingested.width, ingested.height), (700, 300));
    for d in ingested
        .derivatives
        .iter()
        .filter(|d| d.format == Format::Webp)
    {
        assert_lossy_webp(d);
    }

    let grey = DynamicImage::ImageLuma16(image::ImageBuffer::from_fn(300, 200, |x, y| {
        image::Luma([(x * 200 + y * 10) as u16])
    }));
    let ingested = ingest(&png_of(&grey)).unwrap();
    assert_eq!((ingested.width, ingested.height), (300, 200));
    for d in &ingested.derivatives {
        decode(d);
    }
}

#[test]
fn the_key_is_a_hash_of_the_bytes() {
    let upload = jpeg_of(&pattern(64, 48), 80);
    let a = ingest(&upload).unwrap();
    let b = ingest(&upload).unwrap();
    assert_eq!(a.key, b.key);
    assert_eq!(a.key.len(), 20);
    assert!(
        a.key
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(a.key, photos::content_key(&upload));
    let other = ingest(&jpeg_of(&pattern(64, 48), 81)).unwrap();
    assert_ne!(a.key, other.key);
}

#[test]
fn extreme_shapes_give_renditions_of_at_least_one_pixel() {
    let wide = ingest(&png_of(&DynamicImage::ImageRgb8(pattern(4000, 2)))).unwrap();
    assert_eq!(
        sizes(&wide, Format::Jpeg),
        [(320, 320, 1), (640, 640, 1), (960, 960, 1), (1280, 1280, 1)]
    );
    let tall = ingest(&png_of(&DynamicImage::ImageRgb8(pattern(3, 9000)))).unwrap();
    assert_eq!(
        sizes(&tall, Format::Webp),
        [
            (320, 1, 1280),
            (640, 1, 2560),
            (960, 1, 3840),
            (1280, 2, 5120)
        ]
    );
    for d in wide.derivatives.iter().chain(&tall.derivatives) {
        decode(d);
    }
}

// ---------------------------------------------------------------------------------------
// Uploads that are refused

#[test]
fn a_truncated_jpeg_is_refused_as_corrupt() {
    let whole = jpeg_of(&pattern(640, 480), 90);
    assert!(ingest(&whole).is_ok());
    for cut in [whole.len() / 2, whole.len() - 2, 1000] {
        assert_eq!(
            ingest(&whole[..cut]),
            Err(PhotoError::Corrupt),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_jpeg_declaring_more_blocks_than_its_data_holds_is_refused_as_corrupt() {
    // A whole file, with its frame header rewritten to 28 megapixels: decoded, it would
    // be 28 MP of grey, resized and encoded four times over.
    let mut forged = jpeg_of(&pattern(64, 48), 90);
    let sof = forged.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // FF C0, length (2), precision (1), height (2), width (2).
    forged[sof + 5..sof + 7].copy_from_slice(&10_337u16.to_be_bytes());
    forged[sof + 7..sof + 9].copy_from_slice(&2_725u16.to_be_bytes());
    let start = Instant::now();
    assert_eq!(ingest(&forged), Err(PhotoError::Corrupt));
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_truncated_png_or_webp_is_refused_as_corrupt() {
    let png = png_of(&DynamicImage::ImageRgb8(pattern(320, 240)));
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(
            pattern(320, 240).as_raw(),
            320,
            240,
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    for whole in [png, webp] {
        assert!(ingest(&whole).is_ok());
        for cut in [whole.len() / 2, whole.len() * 9 / 10, 30] {
            assert_eq!(
                ingest(&whole[..cut]),
                Err(PhotoError::Corrupt),
                "cut at {cut}"
            );
        }
    }
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header_without_decoding() {
    let bomb = png_declaring(100_000, 100_000);
    assert!(bomb.len() < 200);
    let start = Instant::now();
    assert_eq!(
        ingest(&bomb),
        Err(PhotoError::TooManyPixels {
            width: 100_000,
            height: 100_000
        })
    );
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );

    // One pixel row over 50 megapixels is refused too.
    assert_eq!(
        ingest(&png_declaring(10_000, 5_001)),
        Err(PhotoError::TooManyPixels {
            width: 10_000,
            height: 5_001
        })
    );
}

#[test]
fn a_png_at_the_pixel_limit_is_not_refused_for_its_size() {
    // Exactly 50 megapixels passes the pixel check; its missing pixel data then makes it
    // corrupt, which shows the decoder was let through.
    assert_eq!(
        ingest(&png_declaring(10_000, 5_000)),
        Err(PhotoError::Corrupt)
    );
}

#[test]
fn a_text_file_named_jpg_is_not_an_image() {
    // The name is never seen: only the bytes are.
    assert_eq!(
        ingest(b"hello, this is not a photo"),
        Err(PhotoError::NotAnImage)
    );
    assert_eq!(ingest(b""), Err(PhotoError::NotAnImage));
}

#[test]
fn an_upload_over_fifteen_megabytes_is_refused_before_anything_else() {
    let mut big = jpeg_of(&pattern(64, 48), 80);
    big.resize(MAX_BYTES + 1, 0);
    assert_eq!(
        ingest(&big),
        Err(PhotoError::TooLarge {
            bytes: MAX_BYTES + 1,
            max: 15 * 1024 * 1024
        })
    );
    // At the limit exactly, the size is fine (these bytes are no image, though).
    assert_eq!(ingest(&vec![b'x'; MAX_BYTES]), Err(PhotoError::NotAnImage));
}

#[test]
fn a_heic_photo_is_refused_by_name() {
    let mut heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec();
    heic.extend_from_slice(&[0; 64]);
    assert_eq!(
        ingest(&heic),
        Err(PhotoError::Unsupported {
            format: "HEIC".into()
        })
    );
}

#[test]
fn gif_tiff_bmp_and_avif_are_refused_by_name() {
    let cases: [(&[u8], &str); 4] = [
        (b"GIF89a\x08\0\x08\0\x80\0\0", "GIF"),
        (b"II*\0\x08\0\0\0\0\0", "TIFF"),
        (
            b"BM\x3e\0\0\0\0\0\0\0\x3e\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0",
            "BMP",
        ),
        (b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf", "AVIF"),
    ];
    for (bytes, name) in cases {
        assert_eq!(
            ingest(bytes),
            Err(PhotoError::Unsupported {
                format: name.into()
            })
        );
    }
}

#[test]
fn damaged_files_never_panic() {
    // Mutations of small valid files: flipped bytes, cuts, junk. Every outcome is fine
    // except a panic.
    let rgb = pattern(48, 32);
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(rgb.as_raw(), 48, 32, image::ExtendedColorType::Rgb8)
        .unwrap();
    let originals = [
        splice_after_soi(&jpeg_of(&rgb, 80), &exif_app1(6)),
        png_of(&DynamicImage::ImageRgb8(rgb.clone())),
        webp,
    ];
    let mut rng = XorShift(12345);
    for original in &originals {
        for _ in 0..150 {
            let mut bytes = original.clone();
            match rng.next() % 3 {
                0 => {
                    for _ in 0..1 + rng.next() % 4 {
                        let i = rng.next() as usize % bytes.len();
                        bytes[i] = rng.next() as u8;
                    }
                }
                1 => bytes.truncate(rng.next() as usize % bytes.len()),
                _ => {
                    let i = rng.next() as usize % bytes.len();
                    let junk: Vec<u8> = (0..rng.next() % 64).map(|_| rng.next() as u8).collect();
                    bytes.splice(i..i, junk);
                }
            }
            if let Ok(ingested) = ingest(&bytes) {
                assert_eq!(ingested.derivatives.len(), 2 * WIDTHS.len());
            }
        }
    }
}
