//! What the forwarding hook and its sender task share: the bounded buffer of failures,
//! the wake-up, and the counters.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use crossbeam_queue::ArrayQueue;
use tokio::sync::Notify;

use super::ForwardingOptions;
use super::bounds::Bounded;
use crate::isolation::run_guarded;
use crate::metrics::{MetricsEvent, MetricsSinkShared};

/// What the hook and the sender task share.
pub(crate) struct ForwardingShared {
    queue: ArrayQueue<Pending>,
    /// The room the waiting failures take ([`pending_bytes`](super::bounds::pending_bytes)),
    /// the one in hand excluded.
    pending_bytes: AtomicUsize,
    max_pending_bytes: usize,
    pub(crate) cut: AtomicU64,
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
    failure: Bounded,
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
    /// [`MAX_PAYLOAD_BYTES`](super::MAX_PAYLOAD_BYTES) after the cut (or, when cut,
    /// their tags had an empty or repeated key, which no metadata makes): not sent, so
    /// they cannot stall the failures behind them.
    pub oversized: u64,
    /// Failures the collector rejected (it could not read them; not sent again).
    pub rejected: u64,
    /// Attempts that failed: no collector reachable, no acknowledgement in time.
    pub failed_attempts: u64,
    /// Drops the metrics sink of [`ForwardingOptions::with_metrics_sink`] panicked on
    /// (caught; those drops are missing from the metric, not from `dropped`).
    pub metrics_panics: u64,
}

impl ForwardingShared {
    /// An empty buffer of `options.capacity` (at least 1) failures and
    /// `options.max_pending_bytes`.
    pub(crate) fn new(options: &ForwardingOptions) -> Self {
        Self {
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
        }
    }

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

    /// Takes the oldest waiting failure out of the buffer (for the sender), or `None`.
    pub(crate) fn pop(&self) -> Option<Bounded> {
        let pending = self.queue.pop()?;
        self.pending_bytes
            .fetch_sub(pending.bytes, Ordering::Relaxed);
        Some(pending.failure)
    }

    /// Queues `pending`, dropping the oldest waiting failures while either bound is
    /// passed (the newest is always kept: one failure larger than the byte bound waits
    /// alone).
    pub(crate) fn push(&self, failure: Bounded) {
        let pending = Pending {
            bytes: failure.pending_bytes(),
            failure,
        };
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
