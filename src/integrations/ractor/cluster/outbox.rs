//! What the forwarding hook and its sender task share: the bounded buffer of failures,
//! the wake-up, and the counters.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crossbeam_queue::ArrayQueue;
use tokio::sync::Notify;

use super::ForwardingOptions;
use crate::isolation::run_guarded;
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::telemetry::OwnedFailureSnapshot;

/// What the hook and the sender task share.
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

impl ForwardingShared {
    /// An empty buffer of `options.capacity` (at least 1) failures.
    pub(crate) fn new(options: &ForwardingOptions) -> Self {
        Self {
            queue: ArrayQueue::new(options.capacity.max(1)),
            wake: Notify::new(),
            dropped: AtomicU64::new(0),
            delivered: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
            failed_attempts: AtomicU64::new(0),
            sending: AtomicBool::new(false),
            metrics: options.metrics.clone(),
            metrics_panics: AtomicU64::new(0),
        }
    }

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
    pub(crate) fn count_drop(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        if let Some(metrics) = &self.metrics
            && run_guarded(|| metrics.record(MetricsEvent::ForwardDropped(1))).is_err()
        {
            self.metrics_panics.fetch_add(1, Ordering::Relaxed);
        }
    }
}
