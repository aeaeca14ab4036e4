//! The check every tag list read from outside goes through (a deserialized snapshot, a
//! failure forwarded by another node): metadata never stores such tags, so a list that
//! breaks the rules did not come from a snapshot.

use alloc::collections::BTreeSet;
use core::fmt;

use crate::tags::TelemetryTag;
use crate::text::Excerpt;

/// Why a tag list cannot belong to a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TagListError<'a> {
    EmptyKey { index: usize },
    RepeatedKey { index: usize, key: &'a str },
}

impl fmt::Display for TagListError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey { index } => write!(f, "tag {index} has an empty key"),
            Self::RepeatedKey { index, key } => {
                write!(f, "tag {index} repeats the key {}", Excerpt(key))
            }
        }
    }
}

/// `Ok` when no key is empty and no key repeats.
pub(crate) fn check_tags(tags: &[TelemetryTag]) -> Result<(), TagListError<'_>> {
    let mut seen = BTreeSet::new();
    for (index, tag) in tags.iter().enumerate() {
        if tag.key.is_empty() {
            return Err(TagListError::EmptyKey { index });
        }
        if !seen.insert(&*tag.key) {
            return Err(TagListError::RepeatedKey {
                index,
                key: &tag.key,
            });
        }
    }
    Ok(())
}
