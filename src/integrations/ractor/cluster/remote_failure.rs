//! A forwarded failure as the collector's sink takes it.

use alloc::borrow::ToOwned;
use alloc::string::ToString;

use super::{FORWARD_DROPPED_TAG, ForwardedFailure, SUPPRESSED_TAG};
use crate::failure::{ActorFailure, FailureInfo, FailureMetadata};

/// The failure as it was on its node, with the node's system tags after its own tags
/// (a key the failure already has keeps the failure's value), the node's suppressed
/// count and the drops it reported since the last accepted failure (each a tag, when
/// not 0), and every tag the node's metadata had dropped still counted.
pub(crate) fn into_failure_info(forwarded: ForwardedFailure, newly_dropped: u64) -> FailureInfo {
    let ForwardedFailure {
        snapshot,
        system_tags,
        suppressed,
        ..
    } = forwarded;
    let mut metadata = FailureMetadata::new();
    metadata.extend(
        snapshot
            .tags()
            .iter()
            .map(|tag| (tag.key.clone(), tag.value.clone())),
    );
    for tag in system_tags {
        if metadata.get(&tag.key).is_none() {
            // The decoder checked every key, and the default storage spills: nothing
            // here can be refused, and a refusal would be counted anyway.
            let _ = metadata.insert_tag(tag.key, tag.value);
        }
    }
    if suppressed > 0 {
        let _ = metadata.insert_tag(SUPPRESSED_TAG, suppressed.to_string());
    }
    if newly_dropped > 0 {
        let _ = metadata.insert_tag(FORWARD_DROPPED_TAG, newly_dropped.to_string());
    }
    metadata.count_dropped(snapshot.dropped_tags());
    let stage = snapshot.stage();
    let (actor, path, description) = (
        snapshot.actor(),
        snapshot.path().clone(),
        snapshot.description().to_owned(),
    );
    FailureInfo::new(actor, path, ActorFailure::from_message(description))
        .with_metadata(metadata)
        .with_stage(stage)
}
