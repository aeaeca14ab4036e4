//! The collector's state: its guardian's sink and what it knows of each node.

use alloc::string::String;
use alloc::vec::Vec;

use std::collections::HashMap;
use std::fmt;

use ::ractor::ActorRef;
use ractor_cluster::NodeServerMessage;

use super::super::GuardianState;
use super::remote_failure::into_failure_info;
use super::wire::Ack;
use super::{ClusterStats, ForwardedFailure, WireError};
use crate::config::ActorRuntime;

/// How many incarnations of one node name the collector follows at once: a restart
/// overlapping the old process (or two processes given the same name) alternate, and
/// each keeps its own sequence. The least recently heard one is forgotten beyond.
const INCARNATIONS_PER_NODE: usize = 4;

/// Where one incarnation of a sending node is in its sequence.
#[derive(Debug, Clone, Copy)]
struct IncarnationProgress {
    incarnation: u64,
    last_sequence: u64,
}

/// The incarnations of one node name, the most recently heard last.
#[derive(Debug, Default)]
struct NodeProgress {
    incarnations: Vec<IncarnationProgress>,
}

impl NodeProgress {
    /// Records `sequence` of `incarnation`; `false` when it was already reported (a
    /// resend after a lost acknowledgement).
    fn advance(&mut self, incarnation: u64, sequence: u64) -> bool {
        let position = self
            .incarnations
            .iter()
            .position(|known| known.incarnation == incarnation);
        let mut progress = match position {
            Some(index) => self.incarnations.remove(index),
            None => {
                if self.incarnations.len() >= INCARNATIONS_PER_NODE {
                    self.incarnations.remove(0);
                }
                IncarnationProgress {
                    incarnation,
                    last_sequence: 0,
                }
            }
        };
        let new = sequence > progress.last_sequence;
        if new {
            progress.last_sequence = sequence;
        }
        self.incarnations.push(progress);
        new
    }
}

/// The state of a [`ClusterRoot`](super::ClusterRoot).
pub struct ClusterRootState<R: ActorRuntime> {
    guardian: GuardianState<R>,
    // One entry per node name (its latest few incarnations), so the map is bounded by
    // the number of nodes, not by how often they restart.
    nodes: HashMap<String, NodeProgress>,
    stats: ClusterStats,
    node_server: Option<ActorRef<NodeServerMessage>>,
}

impl<R: ActorRuntime> ClusterRootState<R> {
    pub(crate) fn new(
        guardian: GuardianState<R>,
        node_server: Option<ActorRef<NodeServerMessage>>,
    ) -> Self {
        Self {
            guardian,
            nodes: HashMap::new(),
            stats: ClusterStats::default(),
            node_server,
        }
    }

    /// The node server whose refused sessions the collector counts, if given.
    pub(crate) fn node_server(&self) -> Option<&ActorRef<NodeServerMessage>> {
        self.node_server.as_ref()
    }

    /// The guardian part: the collector's own node's failures go straight through it.
    pub(crate) fn guardian_mut(&mut self) -> &mut GuardianState<R> {
        &mut self.guardian
    }

    /// Reads, checks and reports one forwarded payload; the answer for its sender.
    pub(crate) fn accept(&mut self, payload: &[u8]) -> Ack {
        match ForwardedFailure::decode(payload) {
            Ok(forwarded) => self.accept_decoded(forwarded),
            Err(error) => {
                self.reject(&error);
                Ack {
                    sequence: 0,
                    accepted: false,
                }
            }
        }
    }

    fn accept_decoded(&mut self, forwarded: ForwardedFailure) -> Ack {
        let sequence = forwarded.sequence;
        let new = self
            .nodes
            .entry(forwarded.node.clone())
            .or_default()
            .advance(forwarded.incarnation, sequence);
        if !new {
            self.stats.duplicates = self.stats.duplicates.saturating_add(1);
            return Ack {
                sequence,
                accepted: true,
            };
        }
        // The node sends only the drops no collector was told of: reported as they are.
        let newly_dropped = forwarded.forward_dropped;
        if newly_dropped > 0 {
            tracing::warn!(
                node = %forwarded.node,
                dropped = newly_dropped,
                "escalation-telemetry: node dropped failures while the collector was unreachable"
            );
            self.stats.dropped_by_nodes = self.stats.dropped_by_nodes.saturating_add(newly_dropped);
        }
        self.guardian
            .report(into_failure_info(forwarded, newly_dropped));
        self.stats.remote_failures = self.stats.remote_failures.saturating_add(1);
        Ack {
            sequence,
            accepted: true,
        }
    }

    /// Counts a remote payload that could not be read.
    pub(crate) fn reject(&mut self, error: &WireError) {
        tracing::warn!(%error, "escalation-telemetry: rejected a forwarded payload");
        self.stats.rejected = self.stats.rejected.saturating_add(1);
        if matches!(error, WireError::UnsupportedVersion { .. }) {
            self.stats.rejected_versions = self.stats.rejected_versions.saturating_add(1);
        }
    }

    /// Counts a remote message of a variant the collector does not know.
    pub(crate) fn reject_variant(&mut self, variant: &str) {
        tracing::warn!(
            variant,
            "escalation-telemetry: rejected a remote message of an unknown variant"
        );
        self.stats.rejected = self.stats.rejected.saturating_add(1);
    }

    /// Counts a node session closed before it authenticated (logged by the watch).
    pub(crate) fn session_refused(&mut self) {
        self.stats.refused_sessions = self.stats.refused_sessions.saturating_add(1);
    }

    /// The collector's counters.
    #[must_use]
    pub fn stats(&self) -> ClusterStats {
        ClusterStats {
            guardian: self.guardian.stats(),
            ..self.stats
        }
    }
}

impl<R: ActorRuntime> fmt::Debug for ClusterRootState<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClusterRootState")
            .field("guardian", &self.guardian)
            .field("nodes", &self.nodes)
            .field("stats", &self.stats)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ActorSystemConfig, StdRuntime};
    use crate::failure::{ActorFailure, ActorId, ActorPath, FailureInfo};
    use crate::integrations::ractor::GuardianMessage;
    use alloc::vec;

    fn state() -> ClusterRootState<StdRuntime> {
        let sink = ActorSystemConfig::<StdRuntime>::new()
            .finalize()
            .root_escalation_sink::<GuardianMessage>();
        ClusterRootState::new(GuardianState::new(sink), None)
    }

    fn payload(node: &str, incarnation: u64, sequence: u64, forward_dropped: u64) -> Vec<u8> {
        let info = FailureInfo::new(
            ActorId(2),
            ActorPath::root().child(ActorId(2)),
            ActorFailure::from_message("boom"),
        );
        ForwardedFailure {
            node: node.into(),
            incarnation,
            sequence,
            snapshot: info.snapshot().into_owned(),
            system_tags: vec![],
            forward_dropped,
        }
        .encode()
    }

    fn accepted(state: &mut ClusterRootState<StdRuntime>, payload: &[u8]) -> bool {
        state.accept(payload).accepted
    }

    #[test]
    fn a_resend_of_the_last_or_an_earlier_sequence_is_a_duplicate() {
        let mut state = state();
        assert!(accepted(&mut state, &payload("b", 1, 1, 0)));
        assert!(accepted(&mut state, &payload("b", 1, 2, 0)));
        // the last one again (`<=`, not `<`), and an earlier one
        assert!(accepted(&mut state, &payload("b", 1, 2, 0)));
        assert!(accepted(&mut state, &payload("b", 1, 1, 0)));
        let stats = state.stats();
        assert_eq!((stats.remote_failures, stats.duplicates), (2, 2));
        assert_eq!(stats.guardian.failures, 2);
    }

    #[test]
    fn a_new_incarnation_restarts_the_sequence_and_overlapping_ones_keep_their_own() {
        let mut state = state();
        assert!(accepted(&mut state, &payload("b", 1, 1, 0)));
        assert!(accepted(&mut state, &payload("b", 1, 2, 0)));
        // a restarted node: sequence 1 again, a new failure
        assert!(accepted(&mut state, &payload("b", 2, 1, 0)));
        // the old process still sending: its sequence goes on, its resend is known
        assert!(accepted(&mut state, &payload("b", 1, 3, 0)));
        assert!(accepted(&mut state, &payload("b", 2, 1, 0)));
        assert!(accepted(&mut state, &payload("b", 1, 3, 0)));
        let stats = state.stats();
        assert_eq!((stats.remote_failures, stats.duplicates), (4, 2));
    }

    #[test]
    fn drops_are_reported_as_sent_and_a_duplicate_adds_none() {
        let mut state = state();
        // two incarnations of one name interleaving, each with drops of its own
        for (incarnation, sequence, dropped) in
            [(1, 1, 2), (2, 1, 0), (1, 2, 0), (2, 2, 3), (1, 2, 0)]
        {
            assert!(accepted(
                &mut state,
                &payload("b", incarnation, sequence, dropped)
            ));
        }
        // a resend carrying a count: already reported with the first send
        assert!(accepted(&mut state, &payload("b", 2, 2, 3)));
        let stats = state.stats();
        assert_eq!(stats.dropped_by_nodes, 5);
        assert_eq!(stats.duplicates, 2);
    }

    #[test]
    fn a_payload_that_cannot_be_read_is_rejected_never_accepted() {
        let mut state = state();
        let mut wrong_version = payload("b", 1, 1, 0);
        // field 1 (version), varint: the first two bytes of the encoding; 1 is the
        // previous release's version
        assert_eq!(wrong_version[..2], [0x08, 0x02]);
        wrong_version[1] = 0x01;
        for bad in [
            &wrong_version[..],
            b"\xff\xff garbage",
            &payload("", 1, 1, 0)[..],
        ] {
            let ack = state.accept(bad);
            assert_eq!((ack.accepted, ack.sequence), (false, 0));
        }
        let stats = state.stats();
        assert_eq!((stats.rejected, stats.remote_failures), (3, 0));
        assert_eq!(stats.rejected_versions, 1, "the old version is told apart");
        assert_eq!(stats.guardian.failures, 0);
    }

    #[test]
    fn unknown_variants_and_refused_sessions_are_counted_and_shown() {
        let mut state = state();
        state.reject_variant("Bogus");
        state.session_refused();
        state.session_refused();
        let stats = state.stats();
        assert_eq!((stats.rejected, stats.refused_sessions), (1, 2));
        assert!(state.node_server().is_none(), "no node server was given");
        let debug = alloc::format!("{state:?}");
        assert!(debug.starts_with("ClusterRootState"), "{debug}");
        assert!(debug.contains("refused_sessions: 2"), "{debug}");
    }
}
