//! The storage trait shared by the bounded and the spilling buffers.

use core::fmt;

use super::TelemetryTag;

/// A buffer of tags with a compile-time inline capacity. Sealed: the crate provides
/// [`BoundedTags`](super::BoundedTags) and [`SpillingTags`](super::SpillingTags).
pub trait TagStorage:
    Default + Clone + fmt::Debug + PartialEq + Send + Sync + 'static + crate::sealed::Sealed
{
    /// How many tags are stored inline.
    const CAPACITY: usize;
    /// The most tags the storage keeps: `CAPACITY` for a bounded storage,
    /// [`SPILLING_TAG_LIMIT`](super::SPILLING_TAG_LIMIT) for a spilling one. A new key
    /// beyond it is dropped and counted.
    const LIMIT: usize;
    /// `true` when tags beyond the capacity are dropped; `false` when they spill to the
    /// heap (up to [`LIMIT`](Self::LIMIT)).
    const BOUNDED: bool;

    /// Appends a tag, or gives it back when the storage holds [`LIMIT`](Self::LIMIT)
    /// tags.
    ///
    /// # Errors
    /// Returns the tag when there is no room for it.
    fn try_push(&mut self, tag: TelemetryTag) -> Result<(), TelemetryTag>;

    /// The stored tags, in insertion order.
    fn as_slice(&self) -> &[TelemetryTag];

    /// The stored tags, mutably (values can be replaced in place).
    fn as_mut_slice(&mut self) -> &mut [TelemetryTag];
}
