//! Bounded tag storage: `heapless`, never allocates.

use super::{SupportedTagCapacity, TagCapacity, TagStorage, TelemetryTag};

/// Up to `N` tags in a `heapless::Vec`: never allocates; the tags that do not fit are
/// dropped and counted by [`FailureMetadata`](crate::FailureMetadata).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoundedTags<const N: usize = { super::DEFAULT_TAG_CAPACITY }>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    tags: heapless::Vec<TelemetryTag, N>,
}

impl<const N: usize> crate::sealed::Sealed for BoundedTags<N> where
    TagCapacity<N>: SupportedTagCapacity
{
}

impl<const N: usize> TagStorage for BoundedTags<N>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    const CAPACITY: usize = N;
    const LIMIT: usize = N;
    const BOUNDED: bool = true;

    fn try_push(&mut self, tag: TelemetryTag) -> Result<(), TelemetryTag> {
        self.tags.push(tag)
    }

    fn as_slice(&self) -> &[TelemetryTag] {
        &self.tags
    }

    fn as_mut_slice(&mut self) -> &mut [TelemetryTag] {
        &mut self.tags
    }
}
