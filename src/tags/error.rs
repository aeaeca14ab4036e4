//! Why a tag was not stored.

use core::fmt;

/// Why [`FailureMetadata::insert_tag`](crate::FailureMetadata::insert_tag) did not
/// store a tag. Every rejected tag is also counted in
/// [`FailureMetadata::dropped_tags`](crate::FailureMetadata::dropped_tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TagError {
    /// The key was empty; a tag without a key cannot be queried or exported.
    EmptyKey,
    /// A bounded storage was full.
    CapacityExceeded {
        /// The storage's capacity.
        capacity: usize,
    },
}

impl fmt::Display for TagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey => f.write_str("tag rejected: the key is empty"),
            Self::CapacityExceeded { capacity } => {
                write!(
                    f,
                    "tag dropped: the bounded tag storage holds {capacity} tags"
                )
            }
        }
    }
}

impl core::error::Error for TagError {}
