//! [`MetricsFacadeSink`]: observations recorded into the [`metrics`](https://docs.rs/metrics) facade,
//! so any of its exporters (Prometheus, StatsD, ...) serves them.

use core::fmt;

use ::metrics::{Counter, Histogram, Recorder, Unit};

use super::instruments::{
    BUILDER_PANICS_HELP, BUILDER_PANICS_TOTAL, CLOCK_PANICS_HELP, CLOCK_PANICS_TOTAL,
    FORWARD_DROPPED_HELP, FORWARD_DROPPED_TOTAL, HANDLER_PANICS_HELP, HANDLER_PANICS_TOTAL,
    INVOCATIONS_HELP, INVOCATIONS_TOTAL, LATENCY_HELP, LATENCY_SECONDS, LISTENER_PANICS_HELP,
    LISTENER_PANICS_TOTAL, PANICS_HELP, PANICS_TOTAL, SUPPRESSED_HELP, SUPPRESSED_TOTAL,
    TAGS_DROPPED_HELP, TAGS_DROPPED_TOTAL,
};
use crate::metrics::{MetricsEvent, MetricsSink};

/// A [`MetricsSink`] that records into the `metrics` facade, under the names in
/// [`instruments`](super::instruments).
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
    invocations: Counter,
    panics: Counter,
    latency: Histogram,
    tags_dropped: Counter,
    handler_panics: Counter,
    listener_panics: Counter,
    clock_panics: Counter,
    builder_panics: Counter,
    suppressed: Counter,
    forward_dropped: Counter,
}

impl MetricsFacadeSink {
    /// Describes and registers the instruments in the recorder current now (the
    /// thread's local recorder if one is set, else the global one).
    #[must_use]
    pub fn new() -> Self {
        ::metrics::describe_counter!(INVOCATIONS_TOTAL, Unit::Count, INVOCATIONS_HELP);
        ::metrics::describe_counter!(PANICS_TOTAL, Unit::Count, PANICS_HELP);
        ::metrics::describe_histogram!(LATENCY_SECONDS, Unit::Seconds, LATENCY_HELP);
        ::metrics::describe_counter!(TAGS_DROPPED_TOTAL, Unit::Count, TAGS_DROPPED_HELP);
        ::metrics::describe_counter!(HANDLER_PANICS_TOTAL, Unit::Count, HANDLER_PANICS_HELP);
        ::metrics::describe_counter!(LISTENER_PANICS_TOTAL, Unit::Count, LISTENER_PANICS_HELP);
        ::metrics::describe_counter!(CLOCK_PANICS_TOTAL, Unit::Count, CLOCK_PANICS_HELP);
        ::metrics::describe_counter!(BUILDER_PANICS_TOTAL, Unit::Count, BUILDER_PANICS_HELP);
        ::metrics::describe_counter!(SUPPRESSED_TOTAL, Unit::Count, SUPPRESSED_HELP);
        ::metrics::describe_counter!(FORWARD_DROPPED_TOTAL, Unit::Count, FORWARD_DROPPED_HELP);
        Self {
            invocations: ::metrics::counter!(INVOCATIONS_TOTAL),
            panics: ::metrics::counter!(PANICS_TOTAL),
            latency: ::metrics::histogram!(LATENCY_SECONDS),
            tags_dropped: ::metrics::counter!(TAGS_DROPPED_TOTAL),
            handler_panics: ::metrics::counter!(HANDLER_PANICS_TOTAL),
            listener_panics: ::metrics::counter!(LISTENER_PANICS_TOTAL),
            clock_panics: ::metrics::counter!(CLOCK_PANICS_TOTAL),
            builder_panics: ::metrics::counter!(BUILDER_PANICS_TOTAL),
            suppressed: ::metrics::counter!(SUPPRESSED_TOTAL),
            forward_dropped: ::metrics::counter!(FORWARD_DROPPED_TOTAL),
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
        match event {
            MetricsEvent::TelemetryInvoked => self.invocations.increment(1),
            MetricsEvent::TelemetryLatency(latency) => self.latency.record(latency.as_secs_f64()),
            MetricsEvent::TelemetryPanicked => self.panics.increment(1),
            MetricsEvent::TagsDropped(n) => self.tags_dropped.increment(u64::from(n)),
            MetricsEvent::HandlerPanicked => self.handler_panics.increment(1),
            MetricsEvent::ListenerPanicked => self.listener_panics.increment(1),
            MetricsEvent::ClockPanicked => self.clock_panics.increment(1),
            MetricsEvent::BuilderPanicked => self.builder_panics.increment(1),
            MetricsEvent::TelemetrySuppressed => self.suppressed.increment(1),
            MetricsEvent::ForwardDropped(n) => self.forward_dropped.increment(u64::from(n)),
        }
    }
}

impl fmt::Debug for MetricsFacadeSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MetricsFacadeSink").finish_non_exhaustive()
    }
}
