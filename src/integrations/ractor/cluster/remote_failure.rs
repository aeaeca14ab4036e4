//! A forwarded failure as the collector's sink takes it.

use alloc::borrow::ToOwned;
use alloc::string::ToString;

use super::{FORWARD_DROPPED_TAG, ForwardedFailure, SUPPRESSED_TAG};
use crate::failure::{ActorFailure, FailureInfo, FailureMetadata};

/// The failure as it was on its node, with the node's system tags after its own tags
/// (a key the failure already has takes the node's value), the node's suppressed
/// count and the drops it reported since the last accepted failure (each a tag, when
/// not 0), and every tag the node's metadata had dropped still counted.
pub(crate) fn into_failure_info(forwarded: ForwardedFailure, newly_dropped: u64) -> FailureInfo {
    let suppressed = forwarded.suppressed();
    let ForwardedFailure {
        snapshot,
        system_tags,
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
        // The node's own tags win over a failure's tag of the same key: the collector
        // must not misattribute a failure whose actor wrote its own `node` tag. The
        // decoder checked every key and the default storage spills, so nothing here is
        // refused (a refusal would be counted anyway).
        let _ = metadata.insert_tag(tag.key, tag.value);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorId, ActorPath};
    use crate::tags::TelemetryTag;
    use alloc::vec;

    #[test]
    fn the_node_tags_win_and_the_counts_follow_the_failures_own_tags() {
        let info = FailureInfo::new(
            ActorId(9),
            ActorPath::root().child(ActorId(4)).child(ActorId(9)),
            ActorFailure::from_message("crash loop"),
        )
        .with_metadata(FailureMetadata::new().with_tag("node", "claimed-by-the-failure"))
        .escalate_to_parent();
        let forwarded = ForwardedFailure {
            node: "node-b".into(),
            incarnation: 1,
            sequence: 1,
            snapshot: info.snapshot().with_suppressed(7).into_owned(),
            system_tags: vec![
                TelemetryTag::new("node", "node-b"),
                TelemetryTag::new("region", "eu"),
            ],
            dropped_before: 3,
        };
        let at_collector = into_failure_info(forwarded, 2);
        assert_eq!(
            at_collector.to_string(),
            "path=/4/9 actor=9 hops=1 description=\"crash loop\" \
             tags=[node=node-b region=eu suppressed=7 forward_dropped=2]"
        );
    }
}
