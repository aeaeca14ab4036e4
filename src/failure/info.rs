//! Everything known about one failure.

use super::{ActorFailure, ActorId, ActorPath, FailureEscalationStage, FailureMetadata};
use crate::tags::{DefaultTags, TagStorage};

/// One failure on its way to the root: the actor that failed, its path, what went
/// wrong, its metadata (tags) and how far it has been escalated.
///
/// `actor` and `path` always name the actor that failed; escalation only moves the
/// [`stage`](Self::stage) on. `T` is the tag storage, set by the metadata
/// ([`with_metadata`](Self::with_metadata) adopts the metadata's storage).
///
/// `Display` prints the same one line as [`FailureSnapshot`](crate::telemetry::FailureSnapshot).
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let path = ActorPath::root().child(ActorId(1)).child(ActorId(4));
/// let info = FailureInfo::new(ActorId(4), path, ActorFailure::from_message("boom"))
///     .with_metadata(FailureMetadata::new().with_component("db"))
///     .escalate_to_parent();
/// assert_eq!(info.stage.hops(), 1);
/// assert_eq!(info.to_string(), r#"path=/1/4 actor=4 hops=1 description="boom" tags=[component=db]"#);
/// ```
#[derive(Debug, PartialEq)]
pub struct FailureInfo<T = DefaultTags> {
    /// The actor that failed.
    pub actor: ActorId,
    /// Its path from the root guardian.
    pub path: ActorPath,
    /// What went wrong.
    pub failure: ActorFailure,
    /// Tags.
    pub metadata: FailureMetadata<T>,
    /// How far the failure has been escalated.
    pub stage: FailureEscalationStage,
}

impl FailureInfo {
    /// A failure with empty metadata in the default storage ([`DefaultTags`]), at the
    /// `Initial` stage. For another storage use [`new_in`](Self::new_in) or
    /// [`with_metadata`](Self::with_metadata).
    #[must_use]
    pub fn new(actor: ActorId, path: ActorPath, failure: ActorFailure) -> Self {
        Self::new_in(actor, path, failure)
    }
}

impl<T: TagStorage> FailureInfo<T> {
    /// [`FailureInfo::new`] in another tag storage, e.g.
    /// `FailureInfo::<BoundedTags<8>>::new_in(actor, path, failure)` for a runtime whose
    /// `Tags` is `BoundedTags<8>`.
    #[must_use]
    pub fn new_in(actor: ActorId, path: ActorPath, failure: ActorFailure) -> Self {
        Self {
            actor,
            path,
            failure,
            metadata: FailureMetadata::default(),
            stage: FailureEscalationStage::Initial,
        }
    }

    /// Replaces the metadata; the failure adopts the metadata's tag storage `U`.
    #[must_use]
    pub fn with_metadata<U: TagStorage>(self, metadata: FailureMetadata<U>) -> FailureInfo<U> {
        FailureInfo {
            actor: self.actor,
            path: self.path,
            failure: self.failure,
            metadata,
            stage: self.stage,
        }
    }

    /// Sets the escalation stage.
    #[must_use]
    pub fn with_stage(mut self, stage: FailureEscalationStage) -> Self {
        self.stage = stage;
        self
    }

    /// The failure as seen by the parent supervisor: one more hop (saturating at
    /// `u8::MAX`), same actor, path, description and tags.
    #[must_use]
    pub fn escalate_to_parent(mut self) -> Self {
        self.stage = self.stage.escalate();
        self
    }
}

/// The tags are cloned into the new failure in place (`clone_from` into empty
/// storage), rather than built beside it and then moved: a failure is a few hundred
/// bytes, and the move was a `memcpy` call on every clone.
impl<T: TagStorage> Clone for FailureInfo<T> {
    #[inline]
    fn clone(&self) -> Self {
        let mut clone = Self {
            actor: self.actor,
            path: self.path.clone(),
            failure: self.failure.clone(),
            metadata: self.metadata.empty_like(),
            stage: self.stage,
        };
        clone.metadata.clone_tags_from(&self.metadata);
        clone
    }
}

// `snapshot()` and `Display` (the snapshot's one line) are in `telemetry/info_view.rs`:
// the snapshot sits above the failure model.

#[cfg(test)]
mod tests {
    use super::*;

    /// The size `docs/performance.md` reports: the crash-report fields (issue 20) sit in
    /// a shared block, so they add 8 bytes inline (the location; the block's pointer
    /// takes the place of the owned description's), not their own size. A guard
    /// against growing by accident, not a timing.
    #[test]
    fn a_failure_stays_within_its_documented_size() {
        let sizes = [
            core::mem::size_of::<FailureInfo>(),
            core::mem::size_of::<ActorFailure>(),
            core::mem::size_of::<ActorPath>(),
            core::mem::size_of::<FailureMetadata>(),
        ];
        std::println!("FailureInfo, ActorFailure, ActorPath, FailureMetadata: {sizes:?}");
        assert!(sizes[1] <= 32, "{sizes:?}");
        assert!(sizes[0] <= 328, "{sizes:?}");
    }
}
