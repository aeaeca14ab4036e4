//! The sending node's hook: one owned copy into a bounded buffer, nothing else.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use ::ractor::ActorRef;
use crossbeam_queue::ArrayQueue;
use ractor_cluster::NodeServerMessage;
use tokio::sync::Notify;

use super::forwarder::{self, Forwarder};
use super::{ForwardingError, ForwardingOptions};
use crate::isolation::run_guarded;
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::telemetry::{FailureSnapshot, FailureTelemetry, OwnedFailureSnapshot};

/// A node's telemetry hook that forwards every failure reaching its root to the
/// collecting node's [`ClusterRoot`](super::ClusterRoot).
///
/// [`on_failure`](FailureTelemetry::on_failure) makes one owned copy of the snapshot
/// and pushes it into a bounded lock-free buffer: it never blocks, never awaits and
/// never touches the network. When the buffer is full the oldest waiting failure is
/// dropped and counted (and recorded as
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
    pub(crate) queue: ArrayQueue<OwnedFailureSnapshot>,
    pub(crate) wake: Notify,
    pub(crate) dropped: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) rejected: AtomicU64,
    pub(crate) failed_attempts: AtomicU64,
    pub(crate) sending: AtomicBool,
    metrics: Option<MetricsSinkShared>,
    metrics_panics: AtomicU64,
}

/// What a node's forwarding has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ForwardingStats {
    /// Failures waiting for the collector, the one being sent included.
    pub pending: usize,
    /// Failures the collector acknowledged.
    pub delivered: u64,
    /// Failures dropped because the buffer was full (the oldest first).
    pub dropped: u64,
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
    /// [`ForwardingError::NoRuntime`] outside a tokio runtime.
    pub fn spawn(
        node_server: ActorRef<NodeServerMessage>,
        options: ForwardingOptions,
    ) -> Result<(Self, Forwarder), ForwardingError> {
        let shared = Arc::new(ForwardingShared {
            queue: ArrayQueue::new(options.capacity.max(1)),
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
            delivered: self.delivered.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            rejected: self.rejected.load(Ordering::Relaxed),
            failed_attempts: self.failed_attempts.load(Ordering::Relaxed),
            metrics_panics: self.metrics_panics.load(Ordering::Relaxed),
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
        if self
            .shared
            .queue
            .force_push(snapshot.into_owned())
            .is_some()
        {
            self.shared.count_drop();
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
