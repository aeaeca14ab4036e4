//! Moving a failure into the tag storage of the guardian's runtime.

use core::any::Any;

use crate::failure::{FailureInfo, FailureMetadata};
use crate::tags::TagStorage;

/// `info` with its tags in the storage `U`.
///
/// Failures travel up a ractor tree in the default storage (spilling under `std`, so
/// up to `SPILLING_TAG_LIMIT` tags travel on the way). When the guardian's runtime uses that storage too (the
/// default, `StdRuntime`), the metadata is moved as is; otherwise the tags are copied in
/// order, the new storage applies its own capacity, and the tags the old one had
/// already dropped stay counted.
pub(crate) fn into_storage<U: TagStorage>(info: FailureInfo) -> FailureInfo<U> {
    let FailureInfo {
        actor,
        path,
        failure,
        metadata,
        stage,
    } = info;
    FailureInfo::new(actor, path, failure)
        .with_metadata(metadata_into::<U>(metadata))
        .with_stage(stage)
}

fn metadata_into<U: TagStorage>(metadata: FailureMetadata) -> FailureMetadata<U> {
    let mut slot = Some(metadata);
    let same_storage = (&mut slot as &mut dyn Any)
        .downcast_mut::<Option<FailureMetadata<U>>>()
        .and_then(Option::take);
    same_storage.unwrap_or_else(|| {
        let mut copied = FailureMetadata::<U>::default();
        if let Some(metadata) = &slot {
            copied.extend(
                metadata
                    .tags()
                    .iter()
                    .map(|tag| (tag.key.clone(), tag.value.clone())),
            );
            copied.count_dropped(metadata.dropped_tags());
        }
        copied
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, ActorId, ActorPath};
    use crate::tags::{BoundedTags, DefaultTags};

    fn failure() -> FailureInfo {
        let metadata = FailureMetadata::new()
            .with_tag("a", "1")
            .with_tag("", "rejected")
            .with_tag("b", "2");
        FailureInfo::new(
            ActorId(9),
            ActorPath::root().child(ActorId(3)).child(ActorId(9)),
            ActorFailure::from_message("boom"),
        )
        .with_metadata(metadata)
        .escalate_to_parent()
    }

    #[test]
    fn the_same_storage_is_moved_unchanged() {
        let info = failure();
        assert_eq!(into_storage::<DefaultTags>(info.clone()), info);
    }

    #[test]
    fn another_storage_gets_the_tags_and_keeps_every_drop_counted() {
        let moved = into_storage::<BoundedTags<1>>(failure());
        assert_eq!(
            moved.path,
            ActorPath::root().child(ActorId(3)).child(ActorId(9))
        );
        assert_eq!(moved.stage.hops(), 1);
        assert_eq!(moved.metadata.get("a"), Some("1"));
        assert_eq!(moved.metadata.tags().len(), 1);
        // one rejected at the source, one beyond the new capacity
        assert_eq!(moved.metadata.dropped_tags(), 2);
    }
}
