//! Spilling tag storage: `SmallVec`, inline up to `N`, heap beyond.

use smallvec::SmallVec;

use super::{SupportedTagCapacity, TagCapacity, TagStorage, TelemetryTag};

/// Tags in a `SmallVec`: the first `N` inline, the rest on the heap; nothing is lost.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpillingTags<const N: usize = { super::DEFAULT_TAG_CAPACITY }>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    tags: SmallVec<[TelemetryTag; N]>,
}

impl<const N: usize> crate::sealed::Sealed for SpillingTags<N> where
    TagCapacity<N>: SupportedTagCapacity
{
}

impl<const N: usize> TagStorage for SpillingTags<N>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    const CAPACITY: usize = N;
    const BOUNDED: bool = false;

    fn try_push(&mut self, tag: TelemetryTag) -> Result<(), TelemetryTag> {
        self.tags.push(tag);
        Ok(())
    }

    fn as_slice(&self) -> &[TelemetryTag] {
        &self.tags
    }

    fn as_mut_slice(&mut self) -> &mut [TelemetryTag] {
        &mut self.tags
    }
}

impl<const N: usize> SpillingTags<N>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    /// `true` once more than `N` tags were stored and the buffer moved to the heap.
    #[must_use]
    pub fn spilled(&self) -> bool {
        self.tags.spilled()
    }
}
