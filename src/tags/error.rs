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
    /// The storage held as many tags as it keeps: a bounded storage's capacity, or a
    /// spilling storage's [`SPILLING_TAG_LIMIT`](super::SPILLING_TAG_LIMIT).
    CapacityExceeded {
        /// The most tags the storage keeps ([`TagStorage::LIMIT`](super::TagStorage::LIMIT)).
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
                    "tag dropped: the tag storage holds at most {capacity} tags"
                )
            }
        }
    }
}

impl core::error::Error for TagError {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn each_error_says_what_happened_to_the_tag() {
        assert_eq!(
            TagError::EmptyKey.to_string(),
            "tag rejected: the key is empty"
        );
        assert_eq!(
            TagError::CapacityExceeded { capacity: 128 }.to_string(),
            "tag dropped: the tag storage holds at most 128 tags"
        );
    }
}
