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
    /// `true` when tags beyond the capacity are dropped; `false` when they spill.
    const BOUNDED: bool;

    /// Appends a tag, or gives it back when a bounded storage is full.
    ///
    /// # Errors
    /// Returns the tag when there is no room for it.
    fn try_push(&mut self, tag: TelemetryTag) -> Result<(), TelemetryTag>;

    /// The stored tags, in insertion order.
    fn as_slice(&self) -> &[TelemetryTag];

    /// The stored tags, mutably (values can be replaced in place).
    fn as_mut_slice(&mut self) -> &mut [TelemetryTag];
}
