//! The sending node's hook: one owned copy into a bounded buffer, nothing else.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use ::ractor::ActorRef;
use crossbeam_queue::ArrayQueue;
use ractor_cluster::NodeServerMessage;
use tokio::sync::Notify;

use super::bounds::{owned_within_bounds, pending_bytes};
use super::forwarder::{self, Forwarder};
use super::{ForwardingError, ForwardingOptions};
use crate::escalation::guard::run_guarded;
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::telemetry::{FailureSnapshot, FailureTelemetry, OwnedFailureSnapshot};

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
/// [`MetricsEvent::ForwardDropped`] into the sink of
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

/// What the hook and the forwarder task share.
pub(crate) struct ForwardingShared {
    queue: ArrayQueue<Pending>,
    /// The room the waiting failures take ([`pending_bytes`]), the one in hand excluded.
    pending_bytes: AtomicUsize,
    max_pending_bytes: usize,
    cut: AtomicU64,
    pub(crate) oversized: AtomicU64,
    pub(crate) wake: Notify,
    pub(crate) dropped: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) failed_attempts: AtomicU64,
    pub(crate) sending: AtomicBool,
    metrics: Option<MetricsSinkShared>,
    metrics_panics: AtomicU64,
}

/// One failure waiting in the buffer, and the room it is counted as taking.
struct Pending {
    snapshot: OwnedFailureSnapshot,
    bytes: usize,
}

/// What a node's forwarding has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ForwardingStats {
    /// Failures waiting for the collector, the one being sent included.
    pub pending: usize,
    /// The room the waiting failures take in bytes, as the byte bound counts it (the
    /// one being sent excluded).
    pub pending_bytes: usize,
    /// Failures the collector acknowledged.
    pub delivered: u64,
    /// Failures dropped because the buffer was full, in count or in bytes (the oldest
    /// first).
    pub dropped: u64,
    /// Failures cut to the size bounds before they were queued (a description, or a
    /// tag value, too long; a tag key too long left out). Each is still forwarded, its
    /// cut texts ending in a marker that says how many bytes were cut.
    pub cut: u64,
    /// Failures refused because their encoded form was still over
    /// [`MAX_PAYLOAD_BYTES`](super::MAX_PAYLOAD_BYTES) after the cut: not sent, so they
    /// cannot stall the failures behind them.
    pub oversized: u64,
    /// Failures the collector rejected (it could not read them; not sent again).
    pub rejected: u64,
    /// Attempts that failed: no collector reachable, no acknowledgement in time.
    pub failed_attempts: u64,
    /// Drops the metrics sink of [`ForwardingOptions::with_metrics_sink`] panicked on
    /// (caught; those drops are missing from the metric, not from `dropped`).
    pub metrics_panics: u64,
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
        let shared = Arc::new(ForwardingShared {
            queue: ArrayQueue::new(options.capacity.max(1)),
            pending_bytes: AtomicUsize::new(0),
            max_pending_bytes: options.max_pending_bytes,
            cut: AtomicU64::new(0),
            oversized: AtomicU64::new(0),
            wake: Notify::new(),
            dropped: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            failed_attempts: AtomicU64::new(0),
            sending: AtomicBool::new(false),
            metrics: options.metrics.clone(),
            metrics_panics: AtomicU64::new(0),
        });
        let forwarder = forwarder::spawn(Arc::clone(&shared), node_server, options)?;
        Ok((Self { shared }, forwarder))
    }

    /// The forwarding counters.
    #[must_use]
    pub fn stats(&self) -> ForwardingStats {
        self.shared.stats()
    }
}

impl ForwardingShared {
    pub(crate) fn stats(&self) -> ForwardingStats {
        ForwardingStats {
            pending: self.queue.len() + usize::from(self.sending.load(Ordering::Acquire)),
            pending_bytes: self.pending_bytes.load(Ordering::Relaxed),
            delivered: self.delivered.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            cut: self.cut.load(Ordering::Relaxed),
            oversized: self.oversized.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            failed_attempts: self.failed_attempts.load(Ordering::Relaxed),
            metrics_panics: self.metrics_panics.load(Ordering::Relaxed),
        }
    }

    /// Takes the oldest waiting failure out of the buffer (for the forwarder), or `None`.
    pub(crate) fn pop(&self) -> Option<OwnedFailureSnapshot> {
        let pending = self.queue.pop()?;
        self.pending_bytes
            .fetch_sub(pending.bytes, Ordering::Relaxed);
        Some(pending.snapshot)
    }

    /// Queues `pending`, dropping the oldest waiting failures while either bound is
    /// passed (the newest is always kept: one failure larger than the byte bound waits
    /// alone).
    fn push(&self, pending: Pending) {
        self.pending_bytes
            .fetch_add(pending.bytes, Ordering::Relaxed);
        if let Some(oldest) = self.queue.force_push(pending) {
            self.pending_bytes
                .fetch_sub(oldest.bytes, Ordering::Relaxed);
            self.count_drop();
        }
        while self.pending_bytes.load(Ordering::Relaxed) > self.max_pending_bytes
            && self.queue.len() > 1
        {
            let Some(oldest) = self.queue.pop() else {
                break;
            };
            self.pending_bytes
                .fetch_sub(oldest.bytes, Ordering::Relaxed);
            self.count_drop();
        }
    }

    /// Counts one dropped failure, and records it into the metrics sink under a panic
    /// guard: the hook runs on the root path, where a sink's panic must not escape (nor
    /// be mistaken for the hook's own).
    #[cold]
    fn count_drop(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        if let Some(metrics) = &self.metrics
            && run_guarded(|| metrics.record(MetricsEvent::ForwardDropped(1))).is_err()
        {
            self.metrics_panics.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl FailureTelemetry for ForwardingTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let (snapshot, cut) = owned_within_bounds(snapshot);
        if cut {
            self.shared.cut.fetch_add(1, Ordering::Relaxed);
        }
        let bytes = pending_bytes(&snapshot);
        self.shared.push(Pending { snapshot, bytes });
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
