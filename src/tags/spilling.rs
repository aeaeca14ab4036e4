//! Spilling tag storage: `SmallVec`, inline up to `N`, heap beyond, up to a limit.

use smallvec::SmallVec;

use super::{SPILLING_TAG_LIMIT, SupportedTagCapacity, TagCapacity, TagStorage, TelemetryTag};

/// Tags in a `SmallVec`: the first `N` inline, the rest on the heap, up to
/// [`SPILLING_TAG_LIMIT`] (128) in all; a new key beyond the limit is dropped and counted
/// by [`FailureMetadata`](crate::FailureMetadata), so inserting stays linear however
/// many keys come from outside.
#[derive(Debug, PartialEq, Default)]
pub struct SpillingTags<const N: usize = { super::DEFAULT_TAG_CAPACITY }>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    tags: SmallVec<[TelemetryTag; N]>,
}

/// `clone_from` reuses the target's storage (the derived one would build a new vector
/// and move it in); a failure's clone fills empty storage with it.
impl<const N: usize> Clone for SpillingTags<N>
where
    TagCapacity<N>: SupportedTagCapacity,
{
    #[inline]
    fn clone(&self) -> Self {
        let mut clone = Self::default();
        clone.clone_from(self);
        clone
    }

    #[inline]
    fn clone_from(&mut self, source: &Self) {
        self.tags.clone_from(&source.tags);
    }
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
    const LIMIT: usize = SPILLING_TAG_LIMIT;
    const BOUNDED: bool = false;

    fn try_push(&mut self, tag: TelemetryTag) -> Result<(), TelemetryTag> {
        if self.tags.len() >= SPILLING_TAG_LIMIT {
            return Err(tag);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FailureMetadata;

    #[test]
    fn tags_stay_inline_up_to_the_capacity_and_spill_past_it() {
        let mut metadata = FailureMetadata::<SpillingTags<2>>::new_in();
        assert!(!metadata.storage().spilled());
        for key in ["a", "b"] {
            metadata.insert_tag(key, "v").expect("room");
            assert!(!metadata.storage().spilled(), "{key}");
        }
        metadata.insert_tag("c", "v").expect("room on the heap");
        assert!(metadata.storage().spilled());
        assert_eq!(metadata.tags().len(), 3);
    }
}
