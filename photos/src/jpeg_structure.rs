//! Is a JPEG complete?
//!
//! The JPEG decoder behind `image` (zune-jpeg, in its lenient mode) decodes a truncated
//! file without an error and paints the missing rows grey. An upload cut short by a
//! dropped connection would then be published with a grey bottom half, so before decoding
//! we walk the file's marker structure from SOI to EOI: every segment must fit in the
//! bytes, and the entropy-coded data after each SOS must end in a marker. A file that runs
//! out before its EOI marker is refused as corrupt.
//!
//! A file can also reach its EOI with far too little scan data for the frame it declares:
//! a 1 KB photo whose header says 2725×10337 decodes to 28 megapixels of grey, and costs
//! the decoding and resizing of a real 28 MP photo (20 s in a test build). Every 8×8 block
//! of a Huffman-coded JPEG spends at least one bit on its DC coefficient (no Huffman code
//! is shorter), so the scans together hold at least one bit for each block of the first
//! component; a file with less is cut or forged and refused the same way. Real photos hold
//! hundreds of times more (a 12 MP photo needs 23 KB by this bound and weighs 3 to 5 MB).
//!
//! Deliberately lenient where real cameras are sloppy: bytes after EOI are ignored (some
//! phones append data there) and stray bytes between segments are skipped, as libjpeg does.
//! The walk is one linear pass with no allocation; a 5 MB file takes a few milliseconds.

/// True when the JPEG's markers run from SOI to EOI without running out of bytes, and its
/// scans hold at least a bit for each 8×8 block its frame declares.
/// `bytes` must start with the SOI marker (checked by the sniffer).
pub(crate) fn is_complete(bytes: &[u8]) -> bool {
    let mut pos = 2; // after SOI
    // The 8×8 blocks of one component the frame declares, and the bytes of scan data.
    let mut blocks: u64 = 0;
    let mut scanned: u64 = 0;
    loop {
        // The next marker: skip stray bytes, then any 0xFF fill bytes before the code.
        let Some(ff) = find_ff(bytes, pos) else {
            return false;
        };
        pos = ff;
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&code) = bytes.get(pos) else {
            return false;
        };
        pos += 1;
        match code {
            // End of image.
            0xD9 => return scanned * 8 >= blocks,
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => {}
            // A stuffed zero outside a scan, or a second SOI: not a well-formed file.
            0x00 | 0xD8 => return false,
            // Every other marker carries a big-endian length that counts itself.
            _ => {
                let Some(&[hi, lo]) = bytes.get(pos..pos + 2) else {
                    return false;
                };
                let len = usize::from(u16::from_be_bytes([hi, lo]));
                if len < 2 || pos + len > bytes.len() {
                    return false;
                }
                if matches!(code, 0xC0..=0xC2) {
                    // A Huffman-coded frame (baseline, extended, progressive).
                    blocks = frame_blocks(&bytes[pos + 2..pos + len]);
                }
                pos += len;
                if code == 0xDA {
                    // Start of scan: entropy-coded data follows the header.
                    match end_of_scan(bytes, pos) {
                        Some(end) => {
                            scanned += (end - pos) as u64;
                            pos = end;
                        }
                        None => return false,
                    }
                }
            }
        }
    }
}

/// Where the entropy-coded data starting at `pos` ends: at the first marker other than a
/// restart marker (in scan data a literal 0xFF is written as 0xFF 0x00).
fn end_of_scan(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let ff = find_ff(bytes, pos)?;
        match *bytes.get(ff + 1)? {
            0x00 | 0xD0..=0xD7 => pos = ff + 2,
            // A fill byte: the next 0xFF may begin the marker.
            0xFF => pos = ff + 1,
            _ => return Some(ff),
        }
    }
}

/// How many 8×8 blocks a frame header (after its length) declares for one full-size
/// component: precision (1 byte), height (2), width (2), then the components.
fn frame_blocks(frame: &[u8]) -> u64 {
    let Some(&[_, h1, h0, w1, w0]) = frame.get(..5) else {
        return 0;
    };
    let height = u64::from(u16::from_be_bytes([h1, h0]));
    let width = u64::from(u16::from_be_bytes([w1, w0]));
    height.div_ceil(8) * width.div_ceil(8)
}

fn find_ff(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| b == 0xFF).map(|i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP0 segment, a tiny scan with a stuffed byte and a restart marker, EOI.
    fn minimal() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x06, b'J', b'F', b'I', b'F']);
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02]);
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j
    }

    #[test]
    fn a_whole_file_is_complete_and_trailing_bytes_are_ignored() {
        assert!(is_complete(&minimal()));
        let mut trailing = minimal();
        trailing.extend_from_slice(b"some phones append data here");
        assert!(is_complete(&trailing));
    }

    #[test]
    fn every_truncation_is_incomplete() {
        let j = minimal();
        for cut in 2..j.len() {
            assert!(!is_complete(&j[..cut]), "cut at {cut}");
        }
    }

    /// `minimal()` with a baseline frame header saying `width`×`height` before its scan.
    fn with_frame(width: u16, height: u16) -> Vec<u8> {
        let mut j = minimal();
        let mut sof = vec![0xFF, 0xC0, 0x00, 0x0B, 0x08];
        sof.extend_from_slice(&height.to_be_bytes());
        sof.extend_from_slice(&width.to_be_bytes());
        sof.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
        j.splice(10..10, sof); // after APP0
        j
    }

    #[test]
    fn a_frame_larger_than_its_scan_data_can_hold_is_incomplete() {
        // The scan holds 7 bytes (a stuffed 0xFF and a restart marker counted): 56 bits,
        // so up to 56 blocks of 8×8.
        assert!(is_complete(&with_frame(64, 56))); // 8 × 7 blocks
        assert!(!is_complete(&with_frame(64, 57))); // 8 × 8
        assert!(!is_complete(&with_frame(2725, 10337)));
    }

    #[test]
    fn a_segment_length_past_the_end_is_incomplete() {
        let mut j = minimal();
        j[5] = 0xFF; // APP0 claims 255 bytes
        assert!(!is_complete(&j));
    }
}
