//! The collector's state: its guardian's sink and what it knows of each node.

use alloc::string::String;

use std::collections::HashMap;
use std::fmt;

use ::ractor::ActorRef;
use ractor_cluster::NodeServerMessage;

use super::super::GuardianState;
use super::remote_failure::into_failure_info;
use super::wire::Ack;
use super::{ClusterStats, ForwardedFailure, WireError};
use crate::config::ActorRuntime;

/// Where one sending node is in its sequence.
#[derive(Debug, Default)]
struct NodeProgress {
    incarnation: u64,
    last_sequence: u64,
    dropped: u64,
}

/// The state of a [`ClusterRoot`](super::ClusterRoot).
pub struct ClusterRootState<R: ActorRuntime> {
    guardian: GuardianState<R>,
    // One entry per node name (its latest incarnation), so the map is bounded by the
    // number of nodes, not by how often they restart.
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
        let progress = self.nodes.entry(forwarded.node.clone()).or_default();
        if progress.incarnation != forwarded.incarnation {
            *progress = NodeProgress {
                incarnation: forwarded.incarnation,
                ..NodeProgress::default()
            };
        } else if sequence <= progress.last_sequence {
            self.stats.duplicates = self.stats.duplicates.saturating_add(1);
            return Ack {
                sequence,
                accepted: true,
            };
        }
        progress.last_sequence = sequence;
        let newly_dropped = forwarded.dropped_before.saturating_sub(progress.dropped);
        progress.dropped = progress.dropped.max(forwarded.dropped_before);
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
