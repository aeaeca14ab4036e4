//! Failure metadata: the tags a failure carries.

use alloc::borrow::Cow;

use crate::tags::{
    DefaultTags, TagError, TagStorage, TelemetryKey, TelemetryTag, TelemetryValue, insert_tag, keys,
};

/// Key/value information about a failure: the component, endpoint and transport
/// involved, and any custom tag. All of them are stored as [`TelemetryTag`]s in the
/// storage `T` (see [`crate::tags`]).
///
/// Tags are a small map kept in insertion order:
/// - setting a key that is already present replaces its value in place (last write
///   wins; [`insert_tag`](Self::insert_tag) returns the previous value);
/// - a tag with an empty key is rejected;
/// - a bounded storage drops tags beyond its capacity, a spilling one beyond
///   [`SPILLING_TAG_LIMIT`](crate::tags::SPILLING_TAG_LIMIT) (128): finding a key scans
///   at most that many tags, so inserting stays linear in the number of inserts.
///
/// Rejected and dropped tags are counted in [`dropped_tags`](Self::dropped_tags), which
/// telemetry sees in the snapshot and an observed sink reports as
/// [`MetricsEvent::TagsDropped`](crate::MetricsEvent::TagsDropped). Values are stored
/// as given, whatever their length or content.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let metadata = FailureMetadata::new()
///     .with_component("storage")
///     .with_endpoint("/v1/orders")
///     .with_tag(key!("tenant"), "acme");
/// assert_eq!(metadata.component(), Some("storage"));
/// assert_eq!(metadata.tags().len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FailureMetadata<T = DefaultTags> {
    tags: T,
    dropped: u32,
}

impl FailureMetadata {
    /// Empty metadata in the default storage ([`DefaultTags`]). For another storage use
    /// [`new_in`](Self::new_in): `FailureMetadata::<BoundedTags<8>>::new_in()`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl<T: TagStorage> FailureMetadata<T> {
    /// Empty metadata in the storage `T`:
    /// `FailureMetadata::<BoundedTags<8>>::new_in()` (the same as `default()`).
    #[must_use]
    pub fn new_in() -> Self {
        Self::default()
    }

    /// Sets the `component` tag.
    #[must_use]
    pub fn with_component(self, component: impl Into<TelemetryValue>) -> Self {
        self.with_tag(keys::COMPONENT, component)
    }

    /// Sets the `endpoint` tag.
    #[must_use]
    pub fn with_endpoint(self, endpoint: impl Into<TelemetryValue>) -> Self {
        self.with_tag(keys::ENDPOINT, endpoint)
    }

    /// Sets the `transport` tag.
    #[must_use]
    pub fn with_transport(self, transport: impl Into<TelemetryValue>) -> Self {
        self.with_tag(keys::TRANSPORT, transport)
    }

    /// Sets a custom tag. A tag that cannot be stored is counted in
    /// [`dropped_tags`](Self::dropped_tags); use [`insert_tag`](Self::insert_tag) to see
    /// why.
    #[must_use]
    pub fn with_tag(
        mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Self {
        // The error is already counted in `dropped`; chaining has nowhere to return it.
        let _ = self.insert_tag(key, value);
        self
    }

    /// Sets a tag and returns the value it replaced, if the key was present.
    ///
    /// # Errors
    /// [`TagError::EmptyKey`] for an empty key, [`TagError::CapacityExceeded`] when the
    /// storage holds as many tags as it keeps (`T::LIMIT`). Either way the tag is counted as dropped.
    pub fn insert_tag(
        &mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Result<Option<TelemetryValue>, TagError> {
        let result = insert_tag(
            &mut self.tags,
            |tags| tags.as_mut_slice(),
            |tags, tag| {
                tags.try_push(tag)
                    .map_err(|_| TagError::CapacityExceeded { capacity: T::LIMIT })
            },
            key.into(),
            value.into(),
        );
        if result.is_err() {
            self.count_dropped(1);
        }
        result
    }

    /// The value of the tag with this key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.tags
            .as_slice()
            .iter()
            .find(|tag| tag.key == key)
            .map(|tag| &*tag.value)
    }

    /// The `component` tag.
    #[must_use]
    pub fn component(&self) -> Option<&str> {
        self.get(keys::COMPONENT)
    }

    /// The `endpoint` tag.
    #[must_use]
    pub fn endpoint(&self) -> Option<&str> {
        self.get(keys::ENDPOINT)
    }

    /// The `transport` tag.
    #[must_use]
    pub fn transport(&self) -> Option<&str> {
        self.get(keys::TRANSPORT)
    }

    /// The stored tags, in insertion order.
    #[must_use]
    pub fn tags(&self) -> &[TelemetryTag] {
        self.tags.as_slice()
    }

    /// How many tags were rejected (empty key) or dropped (bounded storage full).
    /// Saturates at `u32::MAX`.
    #[must_use]
    pub fn dropped_tags(&self) -> u32 {
        self.dropped
    }

    /// The tag storage.
    #[must_use]
    pub fn storage(&self) -> &T {
        &self.tags
    }

    /// No tags, the same dropped count: the start of an in-place clone.
    #[inline]
    pub(crate) fn empty_like(&self) -> Self {
        Self {
            tags: T::default(),
            dropped: self.dropped,
        }
    }

    /// Clones `other`'s tags into this metadata's storage, in place.
    #[inline]
    pub(crate) fn clone_tags_from(&mut self, other: &Self) {
        self.tags.clone_from(&other.tags);
    }

    /// Adds `n` to [`dropped_tags`](Self::dropped_tags) (saturating): for tags lost
    /// before they reached this metadata, e.g. when an integration moves a failure's
    /// tags into another storage or reads them from another node.
    ///
    /// ```
    /// use escalation_telemetry::prelude::*;
    ///
    /// let mut metadata = FailureMetadata::new();
    /// metadata.count_dropped(2);
    /// assert_eq!(metadata.dropped_tags(), 2);
    /// ```
    pub fn count_dropped(&mut self, n: u32) {
        self.dropped = self.dropped.saturating_add(n);
    }
}

impl<T: TagStorage, K, V> Extend<(K, V)> for FailureMetadata<T>
where
    K: Into<Cow<'static, str>>,
    V: Into<Cow<'static, str>>,
{
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (key, value) in iter {
            // Counted in `dropped` on failure.
            let _ = self.insert_tag(key, value);
        }
    }
}

impl<T: TagStorage, K, V> FromIterator<(K, V)> for FailureMetadata<T>
where
    K: Into<Cow<'static, str>>,
    V: Into<Cow<'static, str>>,
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut metadata = Self::default();
        metadata.extend(iter);
        metadata
    }
}

/// Sets each tag in turn, as [`insert_tag`](FailureMetadata::insert_tag) does; for
/// tags made with [`tag!`](crate::tag).
impl<T: TagStorage> Extend<TelemetryTag> for FailureMetadata<T> {
    fn extend<I: IntoIterator<Item = TelemetryTag>>(&mut self, iter: I) {
        for TelemetryTag { key, value } in iter {
            // Counted in `dropped` on failure.
            let _ = self.insert_tag(key, value);
        }
    }
}

/// Metadata holding these tags (later keys replace earlier ones, as with
/// [`insert_tag`](FailureMetadata::insert_tag)).
impl<T: TagStorage> FromIterator<TelemetryTag> for FailureMetadata<T> {
    fn from_iter<I: IntoIterator<Item = TelemetryTag>>(iter: I) -> Self {
        let mut metadata = Self::default();
        metadata.extend(iter);
        metadata
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::{BoundedTags, SpillingTags};

    #[test]
    fn bounded_storage_keeps_the_first_n_and_counts_the_rest() {
        let mut md = FailureMetadata::<BoundedTags<2>>::default();
        assert_eq!(md.insert_tag("a", "1"), Ok(None));
        assert_eq!(md.insert_tag("b", "2"), Ok(None));
        assert_eq!(
            md.insert_tag("c", "3"),
            Err(TagError::CapacityExceeded { capacity: 2 })
        );
        assert_eq!(md.tags().len(), 2);
        assert_eq!(md.dropped_tags(), 1);
    }

    #[test]
    fn spilling_storage_keeps_everything() {
        let md: FailureMetadata<SpillingTags<2>> =
            (0..10).map(|i| (alloc::format!("k{i}"), "v")).collect();
        assert_eq!(md.tags().len(), 10);
        assert_eq!(md.dropped_tags(), 0);
        assert!(md.storage().spilled());
    }

    #[test]
    fn same_key_replaces_and_empty_key_is_rejected() {
        let mut md = FailureMetadata::<BoundedTags<1>>::default().with_component("a");
        assert_eq!(
            md.insert_tag("component", "b"),
            Ok(Some(Cow::Borrowed("a")))
        );
        assert_eq!(md.component(), Some("b"));
        assert_eq!(md.insert_tag("", "x"), Err(TagError::EmptyKey));
        assert_eq!(md.dropped_tags(), 1);
    }
}
