//! Why an upload was refused.
//!
//! Each variant is one case a seller can understand and act on, so the server can turn it
//! into a sentence in Spanish or English ("the photo is too large", "HEIC photos are not
//! accepted: send a JPEG, PNG or WebP", ...). The `Display` texts here are English, for
//! logs; the pages word their own. Only [`PhotoError::Internal`] is not the seller's doing.

use thiserror::Error;

use crate::{MAX_BYTES, MAX_PIXELS};

/// An upload that could not be turned into derivatives.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhotoError {
    /// Over [`MAX_BYTES`]. Checked before anything else, the hash included.
    #[error("the file is {bytes} bytes; a photo may be at most {max} bytes")]
    TooLarge { bytes: usize, max: usize },

    /// Over [`MAX_PIXELS`], as declared by the file's header (checked before decoding, so a
    /// decompression bomb costs nothing), or a decoder that found more pixels than the
    /// header declared.
    #[error(
        "the image is {width}×{height} pixels; a photo may have at most {} megapixels",
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels { width: u32, height: u32 },

    /// A recognised image format that is refused: "HEIC", "HEIF", "AVIF", "GIF", "TIFF",
    /// "BMP", ... (see `sniff.rs`), or "JPEG variant" / "PNG variant" / "WebP variant" for
    /// a rare flavour of an accepted format that the decoder cannot read (e.g. an
    /// arithmetic-coded JPEG).
    #[error("{format} images are not accepted; send a JPEG, PNG or WebP photo")]
    Unsupported { format: String },

    /// The bytes are no image at all (a text file or a PDF named `.jpg`, say). The file
    /// name and the declared content type are never consulted.
    #[error("the file is not an image")]
    NotAnImage,

    /// Begins like a JPEG, PNG or WebP but is truncated or cannot be decoded.
    #[error("the image is damaged or incomplete")]
    Corrupt,

    /// The resizer or an encoder failed on pixels we produced (out of memory, or a bug):
    /// not the seller's fault, so the server should answer with a server error and log
    /// `reason` ("WebP encoder: ...", "JPEG encoder: ...", "resize: ...").
    #[error("could not make the derivatives: {reason}")]
    Internal { reason: String },
}

impl PhotoError {
    pub(crate) fn too_large(bytes: usize) -> Self {
        PhotoError::TooLarge {
            bytes,
            max: MAX_BYTES,
        }
    }
}
