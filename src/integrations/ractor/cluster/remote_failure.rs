//! A forwarded failure as the collector's sink takes it.

use alloc::borrow::ToOwned;
use alloc::string::ToString;

use super::crash::rebuild_failure;
use super::{FORWARD_DROPPED_TAG, ForwardedFailure, NODE_TAG, SUPPRESSED_TAG};
use crate::failure::{FailureInfo, FailureMetadata};
use crate::telemetry::CrashReport;

/// The failure as it was on its node, its tags in this order:
///
/// 1. the node's identity ([`NODE_TAG`], from the wire's own `node` field), then the
///    node's suppressed count and the drops it reported (each a tag when not 0): the
///    collector's reserved room, first, so a storage that fills up (a runtime's
///    `BoundedTags<4>`, or 128 spilling tags) drops the failure's own tags, never these;
/// 2. the node's system tags;
/// 3. the failure's own tags, but those whose key one of the above already set (the
///    node's tags win: the collector must not misattribute a failure whose actor wrote
///    its own `node` tag).
///
/// Every tag the node's metadata had dropped is still counted, and so is every tag the
/// storage here drops.
pub(crate) fn into_failure_info(forwarded: ForwardedFailure, newly_dropped: u64) -> FailureInfo {
    let suppressed = forwarded.suppressed();
    let ForwardedFailure {
        node,
        snapshot,
        system_tags,
        ..
    } = forwarded;
    let mut metadata = FailureMetadata::new();
    // The decoder checked every key, the keys here are distinct and the default
    // storage spills: a refusal would be counted in the metadata's dropped tags anyway.
    let _ = metadata.insert_tag(NODE_TAG, node);
    if suppressed > 0 {
        let _ = metadata.insert_tag(SUPPRESSED_TAG, suppressed.to_string());
    }
    if newly_dropped > 0 {
        let _ = metadata.insert_tag(FORWARD_DROPPED_TAG, newly_dropped.to_string());
    }
    for tag in system_tags {
        if metadata.get(&tag.key).is_none() {
            let _ = metadata.insert_tag(tag.key, tag.value);
        }
    }
    for tag in snapshot.tags() {
        if metadata.get(&tag.key).is_none() {
            let _ = metadata.insert_tag(tag.key.clone(), tag.value.clone());
        }
    }
    metadata.count_dropped(snapshot.dropped_tags());
    let stage = snapshot.stage();
    let (actor, path, description) = (
        snapshot.actor(),
        snapshot.path().clone(),
        snapshot.description().to_owned(),
    );
    // The failure as it was on its node: its kind, error type, code location, causes,
    // trace and backtrace come along.
    let failure = rebuild_failure(CrashReport::of(&snapshot.as_snapshot()), description);
    FailureInfo::new(actor, path, failure)
        .with_metadata(metadata)
        .with_stage(stage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, ActorId, ActorPath};
    use crate::integrations::ractor::storage::into_storage;
    use crate::tags::{BoundedTags, TelemetryTag};
    use alloc::format;
    use alloc::string::String;
    use alloc::vec;

    fn forwarded(metadata: FailureMetadata) -> ForwardedFailure {
        let info = FailureInfo::new(
            ActorId(9),
            ActorPath::root().child(ActorId(4)).child(ActorId(9)),
            ActorFailure::from_message("crash loop"),
        )
        .with_metadata(metadata)
        .escalate_to_parent();
        ForwardedFailure {
            node: "node-b".into(),
            incarnation: 1,
            sequence: 1,
            snapshot: info.snapshot().with_suppressed(7).into_owned(),
            system_tags: vec![TelemetryTag::new("region", "eu")],
            forward_dropped: 3,
        }
    }

    #[test]
    fn the_collectors_failure_keeps_the_nodes_crash_report() {
        let mut sent = forwarded(FailureMetadata::new());
        let failure = ActorFailure::from_panic_payload(&"index out of bounds")
            .with_code_location("src/worker.rs", 12, 5)
            .with_trace(crate::failure::TraceContext {
                trace_id: [7; 16],
                span_id: [8; 8],
                sampled: false,
            });
        sent.snapshot = FailureInfo::new(ActorId(9), ActorPath::root(), failure)
            .snapshot()
            .into_owned();
        let expected = CrashReport::of(&sent.snapshot.as_snapshot());
        let info = into_failure_info(sent, 0);
        assert_eq!(CrashReport::of(&info.snapshot()), expected);
        assert_eq!(info.failure.kind(), crate::failure::FailureKind::Panic);
        assert_eq!(
            info.failure.code_location().map(|at| at.to_string()),
            Some(String::from("src/worker.rs:12:5"))
        );
    }

    #[test]
    fn the_node_tags_come_first_and_win_over_the_failures_own() {
        let metadata = FailureMetadata::new()
            .with_tag("node", "claimed-by-the-failure")
            .with_tag("region", "claimed too")
            .with_tag("tenant", "acme");
        let at_collector = into_failure_info(forwarded(metadata), 2);
        assert_eq!(
            at_collector.to_string(),
            "path=/4/9 actor=9 hops=1 description=\"crash loop\" \
             tags=[node=node-b suppressed=7 forward_dropped=2 region=eu tenant=acme]"
        );
    }

    #[test]
    fn a_full_storage_drops_the_failures_own_tags_never_the_node_or_its_counts() {
        let metadata = (0..128).fold(FailureMetadata::new(), |metadata, n| {
            metadata.with_tag(format!("t{n}"), "v")
        });
        let spilling = into_failure_info(forwarded(metadata.clone()), 2);
        assert_eq!(spilling.metadata.get(NODE_TAG), Some("node-b"));
        assert_eq!(spilling.metadata.get(FORWARD_DROPPED_TAG), Some("2"));
        assert_eq!(spilling.metadata.get(SUPPRESSED_TAG), Some("7"));
        // 4 of the collector's own + 128 of the failure's, in room for 128
        assert_eq!(spilling.metadata.dropped_tags(), 4);

        let bounded = into_storage::<BoundedTags<4>>(into_failure_info(forwarded(metadata), 2));
        let keys: vec::Vec<&str> = bounded
            .metadata
            .tags()
            .iter()
            .map(|tag| &*tag.key)
            .collect();
        assert_eq!(keys, ["node", "suppressed", "forward_dropped", "region"]);
        assert_eq!(bounded.metadata.dropped_tags(), 128);
    }
}
