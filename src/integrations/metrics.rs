//! [`MetricsFacadeSink`]: observations recorded into the [`metrics`](https://docs.rs/metrics) facade,
//! so any of its exporters (Prometheus, StatsD, ...) serves them.

use core::fmt;

use ::metrics::{Counter, Histogram, Recorder, Unit};

use crate::metrics::instruments::{INSTRUMENTS, Instrument, InstrumentKind, InstrumentUnit};
use crate::metrics::{MetricsEvent, MetricsSink, MetricsValue};

/// A [`MetricsSink`] that records into the `metrics` facade, one handle per row of
/// [`INSTRUMENTS`] (name, help text, kind, unit).
///
/// Every instrument is registered (and described) once, when the sink is made; recording
/// is then an operation on a held handle, with no name lookup on the failure path.
/// The handles come from the recorder current at that moment, so **install the recorder
/// before calling [`new`](Self::new)**: a sink made before any recorder is installed
/// records nowhere, for good. To skip the global recorder, use
/// [`new_in`](Self::new_in).
///
/// ```
/// use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
/// use escalation_telemetry::prelude::*;
///
/// // After `integrations::prometheus::prometheus_builder().install()` (feature
/// // `prometheus`: the latency as a histogram), or any other recorder:
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_metrics_sink(MetricsSinkShared::new(MetricsFacadeSink::new()))
///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
///     .observe()
///     .capture_timing(true)
///     .finalize();
/// # let _ = config;
/// ```
///
/// The tests `tests/metrics_prometheus_render.rs` and `tests/metrics_prometheus_http.rs`
/// and the `prometheus` example show it with `metrics-exporter-prometheus`.
pub struct MetricsFacadeSink {
    /// One handle per instrument, indexed like [`INSTRUMENTS`].
    handles: [FacadeHandle; MetricsEvent::KINDS],
}

/// A registered instrument.
enum FacadeHandle {
    Counter(Counter),
    Histogram(Histogram),
}

impl FacadeHandle {
    /// Describes `instrument` and registers it in the current recorder.
    fn register(instrument: &Instrument) -> Self {
        let unit = match instrument.unit {
            InstrumentUnit::Seconds => Unit::Seconds,
            _ => Unit::Count,
        };
        match instrument.kind {
            InstrumentKind::Histogram => {
                ::metrics::describe_histogram!(instrument.name, unit, instrument.help);
                Self::Histogram(::metrics::histogram!(instrument.name))
            }
            _ => {
                ::metrics::describe_counter!(instrument.name, unit, instrument.help);
                Self::Counter(::metrics::counter!(instrument.name))
            }
        }
    }
}

impl MetricsFacadeSink {
    /// Describes and registers the instruments in the recorder current now (the
    /// thread's local recorder if one is set, else the global one).
    #[must_use]
    pub fn new() -> Self {
        Self {
            handles: INSTRUMENTS.each_ref().map(FacadeHandle::register),
        }
    }

    /// Describes and registers the instruments in `recorder`, whatever recorder is
    /// installed globally. The sink keeps recording into `recorder`'s storage after this
    /// returns (the handles own their share of it).
    #[must_use]
    pub fn new_in(recorder: &dyn Recorder) -> Self {
        ::metrics::with_local_recorder(recorder, Self::new)
    }
}

impl Default for MetricsFacadeSink {
    /// [`MetricsFacadeSink::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl MetricsSink for MetricsFacadeSink {
    #[inline]
    fn record(&self, event: MetricsEvent) {
        // The table test in `metrics/event.rs` pins each value to its instrument's kind.
        match (&self.handles[event.instrument_index()], event.value()) {
            (FacadeHandle::Counter(counter), MetricsValue::One) => counter.increment(1),
            (FacadeHandle::Counter(counter), MetricsValue::Count(n)) => {
                counter.increment(u64::from(n));
            }
            (FacadeHandle::Histogram(histogram), MetricsValue::Latency(latency)) => {
                histogram.record(latency.as_secs_f64());
            }
            _ => {}
        }
    }
}

impl fmt::Debug for MetricsFacadeSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetricsFacadeSink").finish_non_exhaustive()
    }
}
