//! A ready-made sink that counts events with atomics.

use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use super::instruments::INSTRUMENTS;
use super::{MetricsEvent, MetricsSink, MetricsValue};

/// A [`MetricsSink`] that counts every event with relaxed atomics. Works on no_std;
/// handy for tests, examples and embedded targets without a metrics backend.
#[derive(Default)]
pub struct CountingMetricsSink {
    /// Per instrument (indexed like [`INSTRUMENTS`]): events, or the sum of their
    /// counts; for the latency histogram, the samples.
    counts: [AtomicU64; MetricsEvent::KINDS],
    latency_nanos: AtomicU64,
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
    /// Per instrument, indexed like [`INSTRUMENTS`]: what the fields above show, and
    /// the count of any event without a field of its own.
    counts: [u64; MetricsEvent::KINDS],
}

impl MetricsTotals {
    /// The count of `event`'s kind: events, or the sum of their counts (`TagsDropped`,
    /// `ForwardDropped`), or latency samples. The value `event` carries is ignored.
    #[must_use]
    pub fn count(&self, event: MetricsEvent) -> u64 {
        self.counts[event.instrument_index()]
    }
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
        let counts = self
            .counts
            .each_ref()
            .map(|counter| counter.load(Ordering::Relaxed));
        let of = |event: MetricsEvent| counts[event.instrument_index()];
        MetricsTotals {
            invocations: of(MetricsEvent::TelemetryInvoked),
            panics: of(MetricsEvent::TelemetryPanicked),
            latency_samples: of(MetricsEvent::TelemetryLatency(Duration::ZERO)),
            latency_total: Duration::from_nanos(self.latency_nanos.load(Ordering::Relaxed)),
            tags_dropped: of(MetricsEvent::TagsDropped(0)),
            handler_panics: of(MetricsEvent::HandlerPanicked),
            listener_panics: of(MetricsEvent::ListenerPanicked),
            clock_panics: of(MetricsEvent::ClockPanicked),
            builder_panics: of(MetricsEvent::BuilderPanicked),
            suppressed: of(MetricsEvent::TelemetrySuppressed),
            forward_dropped: of(MetricsEvent::ForwardDropped(0)),
            counts,
        }
    }
}

fn add(counter: &AtomicU64, n: u64) {
    // Saturate rather than wrap: a counter that wrapped would under-report.
    let _ = counter.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |v| {
        Some(v.saturating_add(n))
    });
}

impl MetricsSink for CountingMetricsSink {
    fn record(&self, event: MetricsEvent) {
        let counter = &self.counts[event.instrument_index()];
        match event.value() {
            MetricsValue::One => {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            MetricsValue::Count(n) => add(counter, u64::from(n)),
            MetricsValue::Latency(latency) => {
                counter.fetch_add(1, Ordering::Relaxed);
                add(
                    &self.latency_nanos,
                    u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX),
                );
            }
        }
    }
}

impl fmt::Debug for CountingMetricsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let totals = self.totals();
        let mut debug = f.debug_struct("CountingMetricsSink");
        for (instrument, count) in INSTRUMENTS.iter().zip(&totals.counts) {
            debug.field(instrument.total, count);
        }
        debug.field("latency_total", &totals.latency_total).finish()
    }
}

impl fmt::Display for MetricsTotals {
    /// `invocations=1 panics=0 ...` in the order of [`INSTRUMENTS`]; rare faults only
    /// when they happened, so the usual line stays short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (instrument, count) in INSTRUMENTS.iter().zip(self.counts) {
            if instrument.shown_when_nonzero && count == 0 {
                continue;
            }
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            write!(f, "{}={count}", instrument.total)?;
        }
        Ok(())
    }
}
