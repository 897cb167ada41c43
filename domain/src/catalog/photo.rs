//! Why an uploaded photo was refused, as the person who sent it is told (the server's
//! `photos` crate finds out; the pages say it in the person's language).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoProblem {
    TooLarge {
        max_mb: usize,
    },
    TooManyPixels {
        max_megapixels: u64,
    },
    /// A kind of image that is refused, by name (HEIC, GIF, …).
    Unsupported {
        format: String,
    },
    NotAnImage,
    Corrupt,
}
