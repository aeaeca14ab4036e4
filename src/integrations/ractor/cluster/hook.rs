//! The sending node's hook: one owned copy into a bounded buffer, nothing else.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use ::ractor::ActorRef;
use ractor_cluster::NodeServerMessage;

use super::bounds::owned_within_bounds;
use super::outbox::{ForwardingShared, ForwardingStats};
use super::sender::{self, Forwarder};
use super::{ForwardingError, ForwardingOptions};
use crate::telemetry::{FailureSnapshot, FailureTelemetry};

/// A node's telemetry hook that forwards every failure reaching its root to the
/// collecting node's [`ClusterRoot`](super::ClusterRoot).
///
/// [`on_failure`](FailureTelemetry::on_failure) makes one owned copy of the snapshot,
/// cut to the size bounds of the wire ([`MAX_DESCRIPTION_BYTES`](super::MAX_DESCRIPTION_BYTES)
/// and the others beside it; a cut is marked in the text and counted in
/// [`ForwardingStats::cut`]), and pushes it into a bounded lock-free buffer: it never
/// blocks, never awaits and never touches the network. The buffer is bounded in count
/// ([`ForwardingOptions::with_capacity`]) and in bytes
/// ([`ForwardingOptions::with_max_pending_bytes`]); when either bound is passed the
/// oldest waiting failure is dropped and counted (and recorded as
/// [`MetricsEvent::ForwardDropped`](crate::metrics::MetricsEvent::ForwardDropped) into the sink of
/// [`ForwardingOptions::with_metrics_sink`], if any). A separate task ([`Forwarder`]) finds the collector through
/// ractor_cluster, sends the failures one at a time in order, waits for each
/// acknowledgement, and sends again after a failed attempt (a lost connection, a
/// collector not there yet): after reconnecting it delivers the buffer in order, with
/// the drop count.
///
/// Cloning gives another handle to the same buffer.
#[derive(Clone)]
pub struct ForwardingTelemetry {
    shared: Arc<ForwardingShared>,
}

impl ForwardingTelemetry {
    /// The hook, and its forwarder task spawned on the current tokio runtime.
    /// `node_server` is this node's ractor_cluster node server: the collector is looked
    /// for among the actors its sessions import.
    ///
    /// # Errors
    /// [`ForwardingError::EmptyNodeName`] when the options name no node (the collector
    /// would reject every failure), [`ForwardingError::NoRuntime`] outside a tokio
    /// runtime.
    pub fn spawn(
        node_server: ActorRef<NodeServerMessage>,
        options: ForwardingOptions,
    ) -> Result<(Self, Forwarder), ForwardingError> {
        if options.node.is_empty() {
            return Err(ForwardingError::EmptyNodeName);
        }
        let shared = Arc::new(ForwardingShared::new(&options));
        let forwarder = sender::spawn(Arc::clone(&shared), node_server, options)?;
        Ok((Self { shared }, forwarder))
    }

    /// The forwarding counters.
    #[must_use]
    pub fn stats(&self) -> ForwardingStats {
        self.shared.stats()
    }
}

impl FailureTelemetry for ForwardingTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        match owned_within_bounds(snapshot) {
            Some(failure) => {
                if failure.was_cut() {
                    self.shared.cut.fetch_add(1, Ordering::Relaxed);
                }
                self.shared.push(failure);
            }
            // Tags no metadata can hold: refused, like a failure too large to send.
            None => {
                self.shared.oversized.fetch_add(1, Ordering::Relaxed);
            }
        }
        // Stores a permit when the task is busy, so no failure waits for the next one.
        self.shared.wake.notify_one();
    }
}

impl core::fmt::Debug for ForwardingTelemetry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ForwardingTelemetry")
            .field("stats", &self.stats())
            .finish()
    }
}
