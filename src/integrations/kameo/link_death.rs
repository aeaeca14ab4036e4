//! What the guardian learns when a linked actor dies.

use ::kameo::error::ActorStopReason;

use super::KAMEO_REASON_TAG;
use super::reason::failure_of_stop;
use crate::failure::{ActorId, ActorPath, FailureEscalationStage, FailureInfo, FailureMetadata};
use crate::integrations::user_code::UserCodeGuards;
use crate::tags::TagStorage;

/// The failure behind the death of the linked actor `id`, or `None` when the death is
/// not a failure.
///
/// - `Panicked(error)`: `id` failed itself: path `/id`, 0 hops.
/// - `LinkDied { id: inner, reason }`: `id` stopped because its linked actor `inner`
///   died (kameo's default `on_link_died` does that for any abnormal death). Each
///   `LinkDied` is one hop, and its id one more path segment, so
///   `LinkDied { b, LinkDied { c, Panicked(e) } }` from `a` is the failure of `c` at
///   `/a/b/c` with 2 hops. The innermost reason gives the description and
///   [`KAMEO_REASON_TAG`].
/// - `Normal`, `SupervisorRestart`, `Killed` (and kameo's `PeerDisconnected`): not a
///   failure of the tree: an actor that was stopped, restarted or killed on purpose.
///
/// The chain is walked in a loop: a deep chain costs path segments, never stack. A
/// panic in the error's `Debug` is caught and counted in `guards`.
pub(crate) fn failure_of_link_death<T: TagStorage>(
    id: ::kameo::actor::ActorId,
    reason: &ActorStopReason,
    guards: &mut UserCodeGuards,
) -> Option<FailureInfo<T>> {
    if !matches!(
        reason,
        ActorStopReason::Panicked(_) | ActorStopReason::LinkDied { .. }
    ) {
        return None;
    }
    let mut path = ActorPath::root().child(ActorId::from(id));
    let mut stage = FailureEscalationStage::Initial;
    let mut reason = reason;
    while let ActorStopReason::LinkDied { id, reason: inner } = reason {
        path.push(ActorId::from(*id));
        stage = stage.escalate();
        reason = inner;
    }
    let (failure, kind) = failure_of_stop(reason, guards);
    let actor = path.leaf().unwrap_or(ActorId::from(id));
    let metadata = FailureMetadata::<T>::new_in().with_tag(KAMEO_REASON_TAG, kind);
    Some(
        FailureInfo::<T>::new_in(actor, path, failure)
            .with_metadata(metadata)
            .with_stage(stage),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::kameo::actor::ActorId as KameoId;
    use ::kameo::error::{PanicError, PanicReason};
    use alloc::boxed::Box;
    use alloc::string::ToString;

    use crate::tags::DefaultTags;

    fn panicked(text: &'static str) -> ActorStopReason {
        ActorStopReason::Panicked(PanicError::new(Box::new(text), PanicReason::HandlerPanic))
    }

    fn died(id: u64, reason: ActorStopReason) -> ActorStopReason {
        ActorStopReason::LinkDied {
            id: KameoId::new(id),
            reason: Box::new(reason),
        }
    }

    fn failure(id: u64, reason: &ActorStopReason) -> Option<FailureInfo<DefaultTags>> {
        failure_of_link_death(KameoId::new(id), reason, &mut UserCodeGuards::default())
    }

    #[test]
    fn a_direct_panic_is_the_child_with_no_hops() {
        let info = failure(7, &panicked("boom")).expect("a panic is a failure");
        assert_eq!(info.actor, ActorId(7));
        assert_eq!(info.path.to_string(), "/7");
        assert_eq!(info.stage.hops(), 0);
        assert_eq!(info.failure.description(), "boom");
        assert_eq!(info.metadata.get(KAMEO_REASON_TAG), Some("handler_panic"));
    }

    #[test]
    fn nested_link_deaths_become_path_segments_and_hops() {
        let reason = died(3, died(9, panicked("deep")));
        let info = failure(1, &reason).expect("a linked death is a failure");
        assert_eq!(info.actor, ActorId(9));
        assert_eq!(info.path.to_string(), "/1/3/9");
        assert_eq!(info.stage.hops(), 2);
        assert_eq!(info.failure.description(), "deep");
    }

    #[test]
    fn a_chain_ending_in_a_kill_is_reported_with_its_kind() {
        let info = failure(1, &died(2, ActorStopReason::Killed)).expect("the supervisor died");
        assert_eq!(info.failure.description(), "actor was killed");
        assert_eq!(info.metadata.get(KAMEO_REASON_TAG), Some("killed"));
        assert_eq!(info.stage.hops(), 1);
    }

    #[test]
    fn deliberate_stops_are_not_failures() {
        for reason in [
            ActorStopReason::Normal,
            ActorStopReason::Killed,
            ActorStopReason::SupervisorRestart,
        ] {
            assert_eq!(failure(1, &reason), None);
        }
    }

    #[test]
    fn a_very_deep_chain_saturates_hops_without_recursion() {
        let mut reason = panicked("bottom");
        for id in 0..1_000 {
            reason = died(id, reason);
        }
        let info = failure(5_000, &reason).expect("a failure");
        assert_eq!(info.path.depth(), 1_001);
        assert!(info.stage.is_saturated());
    }
}
