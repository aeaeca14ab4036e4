//! The check every tag list read from outside goes through (a deserialized snapshot, a
//! failure forwarded by another node, an owned snapshot built from parts): metadata never
//! stores such tags, so a list that breaks the rules did not come from a snapshot.

use alloc::collections::BTreeSet;
use core::fmt;

use super::{TelemetryKey, TelemetryTag};
use crate::text::Excerpt;

/// Why a tag list cannot belong to a snapshot. Its `Display` quotes at most a short
/// excerpt of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TagListError {
    /// The tag at `index` has an empty key.
    EmptyKey {
        /// The tag's position in the list.
        index: usize,
    },
    /// The tag at `index` repeats the key of an earlier tag.
    RepeatedKey {
        /// The tag's position in the list.
        index: usize,
        /// The repeated key.
        key: TelemetryKey,
    },
}

impl fmt::Display for TagListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyKey { index } => write!(f, "tag {index} has an empty key"),
            Self::RepeatedKey { index, key } => {
                write!(f, "tag {index} repeats the key {}", Excerpt(key))
            }
        }
    }
}

impl core::error::Error for TagListError {}

/// `Ok` when no key is empty and no key repeats: the rule every tag list of a snapshot
/// keeps (failure metadata and system tags never store such tags). For lists read from
/// outside: a decoder, another node.
///
/// ```
/// use escalation_telemetry::tags::{TagListError, TelemetryTag, check_tag_list};
///
/// let tags = [TelemetryTag::from_static("node", "a"), TelemetryTag::from_static("node", "b")];
/// assert!(matches!(check_tag_list(&tags), Err(TagListError::RepeatedKey { index: 1, .. })));
/// assert_eq!(check_tag_list(&tags[..1]), Ok(()));
/// ```
///
/// # Errors
/// [`TagListError`] names the first tag that breaks the rule.
pub fn check_tag_list(tags: &[TelemetryTag]) -> Result<(), TagListError> {
    let mut seen = BTreeSet::new();
    for (index, tag) in tags.iter().enumerate() {
        if tag.key.is_empty() {
            return Err(TagListError::EmptyKey { index });
        }
        if !seen.insert(&*tag.key) {
            return Err(TagListError::RepeatedKey {
                index,
                key: tag.key.clone(),
            });
        }
    }
    Ok(())
}
