//! A ready-made sink that counts events with atomics.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use super::{MetricsEvent, MetricsSink};

/// A [`MetricsSink`] that counts every event with relaxed atomics. Works on no_std;
/// handy for tests, examples and embedded targets without a metrics backend.
#[derive(Debug, Default)]
pub struct CountingMetricsSink {
    invocations: AtomicU64,
    panics: AtomicU64,
    latency_samples: AtomicU64,
    latency_nanos: AtomicU64,
    tags_dropped: AtomicU64,
    handler_panics: AtomicU64,
    listener_panics: AtomicU64,
    clock_panics: AtomicU64,
    builder_panics: AtomicU64,
    suppressed: AtomicU64,
    forward_dropped: AtomicU64,
}

/// The counts of a [`CountingMetricsSink`] at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct MetricsTotals {
    /// `TelemetryInvoked` events.
    pub invocations: u64,
    /// `TelemetryPanicked` events.
    pub panics: u64,
    /// `TelemetryLatency` events.
    pub latency_samples: u64,
    /// Sum of all latencies (saturating at `u64::MAX` nanoseconds).
    pub latency_total: Duration,
    /// Sum of all `TagsDropped` counts.
    pub tags_dropped: u64,
    /// `HandlerPanicked` events.
    pub handler_panics: u64,
    /// `ListenerPanicked` events.
    pub listener_panics: u64,
    /// `ClockPanicked` events.
    pub clock_panics: u64,
    /// `BuilderPanicked` events.
    pub builder_panics: u64,
    /// `TelemetrySuppressed` events.
    pub suppressed: u64,
    /// Sum of all `ForwardDropped` counts.
    pub forward_dropped: u64,
}

impl CountingMetricsSink {
    /// All counts at zero.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The counts now. Each field is read separately: under concurrent recording the
    /// fields may belong to slightly different moments.
    #[must_use]
    pub fn totals(&self) -> MetricsTotals {
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        MetricsTotals {
            invocations: load(&self.invocations),
            panics: load(&self.panics),
            latency_samples: load(&self.latency_samples),
            latency_total: Duration::from_nanos(load(&self.latency_nanos)),
            tags_dropped: load(&self.tags_dropped),
            handler_panics: load(&self.handler_panics),
            listener_panics: load(&self.listener_panics),
            clock_panics: load(&self.clock_panics),
            builder_panics: load(&self.builder_panics),
            suppressed: load(&self.suppressed),
            forward_dropped: load(&self.forward_dropped),
        }
    }
}

fn add(counter: &AtomicU64, n: u64) {
    // Saturate rather than wrap: a counter that wrapped would under-report.
    let _ = counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        Some(v.saturating_add(n))
    });
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl MetricsSink for CountingMetricsSink {
    fn record(&self, event: MetricsEvent) {
        match event {
            MetricsEvent::TelemetryInvoked => bump(&self.invocations),
            MetricsEvent::TelemetryPanicked => bump(&self.panics),
            MetricsEvent::TelemetryLatency(latency) => {
                bump(&self.latency_samples);
                add(
                    &self.latency_nanos,
                    u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX),
                );
            }
            MetricsEvent::TagsDropped(n) => add(&self.tags_dropped, u64::from(n)),
            MetricsEvent::HandlerPanicked => bump(&self.handler_panics),
            MetricsEvent::ListenerPanicked => bump(&self.listener_panics),
            MetricsEvent::ClockPanicked => bump(&self.clock_panics),
            MetricsEvent::BuilderPanicked => bump(&self.builder_panics),
            MetricsEvent::TelemetrySuppressed => bump(&self.suppressed),
            MetricsEvent::ForwardDropped(n) => add(&self.forward_dropped, u64::from(n)),
        }
    }
}

impl fmt::Display for MetricsTotals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invocations={} panics={} latency_samples={} tags_dropped={} handler_panics={} listener_panics={}",
            self.invocations,
            self.panics,
            self.latency_samples,
            self.tags_dropped,
            self.handler_panics,
            self.listener_panics
        )?;
        // Rare faults are shown only when they happened, so the usual line stays short.
        if self.clock_panics > 0 {
            write!(f, " clock_panics={}", self.clock_panics)?;
        }
        if self.builder_panics > 0 {
            write!(f, " builder_panics={}", self.builder_panics)?;
        }
        if self.suppressed > 0 {
            write!(f, " suppressed={}", self.suppressed)?;
        }
        if self.forward_dropped > 0 {
            write!(f, " forward_dropped={}", self.forward_dropped)?;
        }
        Ok(())
    }
}
