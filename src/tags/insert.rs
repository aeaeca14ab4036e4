//! The one tag-insert rule, shared by a failure's metadata and the config's system tags.

use super::{TagError, TelemetryKey, TelemetryTag, TelemetryValue};

/// Inserts `key = value` into the tags `store` holds: an empty key is refused, a key
/// already present gets the new value (the old one is returned) and keeps its place, a
/// new key is appended by `push`, which refuses it when the store is full. The caller
/// counts what is refused.
#[inline]
pub(crate) fn insert_tag<S>(
    store: &mut S,
    tags: impl FnOnce(&mut S) -> &mut [TelemetryTag],
    push: impl FnOnce(&mut S, TelemetryTag) -> Result<(), TagError>,
    key: TelemetryKey,
    value: TelemetryValue,
) -> Result<Option<TelemetryValue>, TagError> {
    if key.is_empty() {
        return Err(TagError::EmptyKey);
    }
    if let Some(existing) = tags(store).iter_mut().find(|tag| tag.key == key) {
        return Ok(Some(core::mem::replace(&mut existing.value, value)));
    }
    push(store, TelemetryTag { key, value }).map(|()| None)
}
