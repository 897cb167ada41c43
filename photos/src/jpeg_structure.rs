//! Is a JPEG complete?
//!
//! The JPEG decoder behind `image` (zune-jpeg, in its lenient mode) decodes a truncated
//! file without an error and paints the missing rows grey. An upload cut short by a
//! dropped connection would then be published with a grey bottom half, so before decoding
//! we walk the file's marker structure from SOI to EOI: every segment must fit in the
//! bytes, and the entropy-coded data after each SOS must end in a marker. A file that runs
//! out before its EOI marker is refused as corrupt.
//!
//! Deliberately lenient where real cameras are sloppy: bytes after EOI are ignored (some
//! phones append data there) and stray bytes between segments are skipped, as libjpeg does.
//! The walk is one linear pass with no allocation; a 5 MB file takes a few milliseconds.

/// True when the JPEG's markers run from SOI to EOI without running out of bytes.
/// `bytes` must start with the SOI marker (checked by the sniffer).
pub(crate) fn is_complete(bytes: &[u8]) -> bool {
    let mut pos = 2; // after SOI
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
            0xD9 => return true,
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
                pos += len;
                if code == 0xDA {
                    // Start of scan: entropy-coded data follows the header.
                    match end_of_scan(bytes, pos) {
                        Some(end) => pos = end,
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

    #[test]
    fn a_segment_length_past_the_end_is_incomplete() {
        let mut j = minimal();
        j[5] = 0xFF; // APP0 claims 255 bytes
        assert!(!is_complete(&j));
    }
}
