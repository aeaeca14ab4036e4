//! The one table of instruments: for every [`MetricsEvent`], the name, help text, kind
//! and unit that every metrics backend registers it under (the `metrics` facade, the
//! Prometheus exporter, OpenTelemetry), and the names [`CountingMetricsSink`]'s totals
//! and [`RecordingTelemetry`]'s text give it. One name, one meaning, whichever backend
//! records it, so one dashboard reads any of them.
//!
//! | name | kind | [`MetricsEvent`] | recorded |
//! |---|---|---|---|
//! | [`INVOCATIONS_TOTAL`] | counter | `TelemetryInvoked` | per telemetry call, while observation is on |
//! | [`LATENCY_SECONDS`] | histogram, seconds | `TelemetryLatency` | per returning telemetry call, while observation is on and timing is captured |
//! | [`PANICS_TOTAL`] | counter | `TelemetryPanicked` | per caught panic of the telemetry hook |
//! | [`TAGS_DROPPED_TOTAL`] | counter | `TagsDropped(n)` | adds `n` per failure that lost tags, while observation is on |
//! | [`HANDLER_PANICS_TOTAL`] | counter | `HandlerPanicked` | per caught panic of the failure event handler |
//! | [`LISTENER_PANICS_TOTAL`] | counter | `ListenerPanicked` | per caught panic of the failure event listener |
//! | [`CLOCK_PANICS_TOTAL`] | counter | `ClockPanicked` | per caught panic of the runtime's clock (`now` or `Default`) |
//! | [`BUILDER_PANICS_TOTAL`] | counter | `BuilderPanicked` | per caught panic in `RootEscalationSink::apply_builder` |
//! | [`SUPPRESSED_TOTAL`] | counter | `TelemetrySuppressed` | per failure that skipped the hook under the storm policy |
//! | [`FORWARD_DROPPED_TOTAL`] | counter | `ForwardDropped(n)` | adds `n` per drop from a cluster node's full forwarding buffer (sink given by the cluster integration's `ForwardingOptions::with_metrics_sink`) |
//!
//! Panics and suppressed failures are counted whenever the config has a metrics sink,
//! observed or not. No instrument carries labels: each event kind has its own name, so
//! [`PANICS_TOTAL`] keeps its meaning (the telemetry hook) and sums stay honest.
//!
//! A new event is one variant of [`MetricsEvent`] (with its arm in
//! [`MetricsEvent::instrument_index`] and, if it carries a count, in
//! [`MetricsEvent::value`]) and one row of [`INSTRUMENTS`]; every backend reads the row.
//!
//! [`CountingMetricsSink`]: super::CountingMetricsSink
//! [`RecordingTelemetry`]: https://docs.rs/escalation-telemetry/latest/escalation_telemetry/telemetry/struct.RecordingTelemetry.html

use super::MetricsEvent;

/// How a backend aggregates an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstrumentKind {
    /// A monotonic counter: each event adds its count.
    Counter,
    /// A histogram of durations, in seconds, with [`LATENCY_BUCKETS_SECONDS`].
    Histogram,
}

/// The unit of an instrument's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstrumentUnit {
    /// A number of things.
    Count,
    /// Seconds.
    Seconds,
}

/// One row of [`INSTRUMENTS`]: how one kind of [`MetricsEvent`] is exported and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Instrument {
    /// The metric name every backend registers.
    pub name: &'static str,
    /// The metric's description (`# HELP`).
    pub help: &'static str,
    /// Counter or histogram.
    pub kind: InstrumentKind,
    /// The unit of its values.
    pub unit: InstrumentUnit,
    /// The event's name in [`RecordingTelemetry`]'s text (`telemetry_invoked`,
    /// `tags_dropped=2`).
    ///
    /// [`RecordingTelemetry`]: https://docs.rs/escalation-telemetry/latest/escalation_telemetry/telemetry/struct.RecordingTelemetry.html
    pub event: &'static str,
    /// Its name in [`MetricsTotals`](super::MetricsTotals)'s text (`invocations=3`).
    pub total: &'static str,
    /// `true` for a rare fault that [`MetricsTotals`](super::MetricsTotals)'s text shows
    /// only when it happened, so the usual line stays short.
    pub shown_when_nonzero: bool,
}

impl MetricsEvent {
    /// The event's instrument: its name, help text, kind and unit.
    #[inline]
    #[must_use]
    pub const fn instrument(self) -> &'static Instrument {
        &INSTRUMENTS[self.instrument_index()]
    }
}

/// A counter row of [`INSTRUMENTS`].
const fn counter(
    name: &'static str,
    help: &'static str,
    event: &'static str,
    total: &'static str,
    shown_when_nonzero: bool,
) -> Instrument {
    Instrument {
        name,
        help,
        kind: InstrumentKind::Counter,
        unit: InstrumentUnit::Count,
        event,
        total,
        shown_when_nonzero,
    }
}

/// Every instrument, indexed by [`MetricsEvent::instrument_index`], in the order
/// [`MetricsTotals`](super::MetricsTotals) shows them.
pub const INSTRUMENTS: [Instrument; MetricsEvent::KINDS] = [
    counter(
        INVOCATIONS_TOTAL,
        "Telemetry hook calls observed at the root guardian.",
        "telemetry_invoked",
        "invocations",
        false,
    ),
    counter(
        PANICS_TOTAL,
        "Telemetry hook panics caught at the root guardian.",
        "telemetry_panicked",
        "panics",
        false,
    ),
    Instrument {
        name: LATENCY_SECONDS,
        help: "Duration of observed telemetry hook calls, in seconds.",
        kind: InstrumentKind::Histogram,
        unit: InstrumentUnit::Seconds,
        event: "telemetry_latency",
        total: "latency_samples",
        shown_when_nonzero: false,
    },
    counter(
        TAGS_DROPPED_TOTAL,
        "Tags dropped from failures that reached the root guardian.",
        "tags_dropped",
        "tags_dropped",
        false,
    ),
    counter(
        HANDLER_PANICS_TOTAL,
        "Failure event handler panics caught at the root guardian.",
        "handler_panicked",
        "handler_panics",
        false,
    ),
    counter(
        LISTENER_PANICS_TOTAL,
        "Failure event listener panics caught at the root guardian.",
        "listener_panicked",
        "listener_panics",
        false,
    ),
    counter(
        CLOCK_PANICS_TOTAL,
        "Runtime clock panics caught at the root guardian (the call went untimed).",
        "clock_panicked",
        "clock_panics",
        true,
    ),
    counter(
        BUILDER_PANICS_TOTAL,
        "Telemetry builder panics caught by apply_builder (the old hook was kept).",
        "builder_panicked",
        "builder_panics",
        true,
    ),
    counter(
        SUPPRESSED_TOTAL,
        "Failures that skipped the telemetry hook under the storm policy.",
        "telemetry_suppressed",
        "suppressed",
        true,
    ),
    counter(
        FORWARD_DROPPED_TOTAL,
        "Failures this node's cluster forwarding dropped (buffer full, collector unreachable).",
        "forward_dropped",
        "forward_dropped",
        true,
    ),
];

/// Counter: telemetry hook calls observed (`MetricsEvent::TelemetryInvoked`).
pub const INVOCATIONS_TOTAL: &str = "escalation_telemetry_invocations_total";
/// Counter: telemetry hook panics caught (`MetricsEvent::TelemetryPanicked`).
pub const PANICS_TOTAL: &str = "escalation_telemetry_panics_total";
/// Histogram, seconds: how long each observed telemetry call took
/// (`MetricsEvent::TelemetryLatency`).
pub const LATENCY_SECONDS: &str = "escalation_telemetry_latency_seconds";
/// Counter: tags that failures reaching the root lost to a full bounded storage or an
/// empty key (`MetricsEvent::TagsDropped`).
pub const TAGS_DROPPED_TOTAL: &str = "escalation_telemetry_tags_dropped_total";
/// Counter: failure event handler panics caught (`MetricsEvent::HandlerPanicked`).
pub const HANDLER_PANICS_TOTAL: &str = "escalation_telemetry_handler_panics_total";
/// Counter: failure event listener panics caught (`MetricsEvent::ListenerPanicked`).
pub const LISTENER_PANICS_TOTAL: &str = "escalation_telemetry_listener_panics_total";
/// Counter: runtime clock panics caught (`MetricsEvent::ClockPanicked`).
pub const CLOCK_PANICS_TOTAL: &str = "escalation_telemetry_clock_panics_total";
/// Counter: telemetry builder panics caught in `apply_builder`
/// (`MetricsEvent::BuilderPanicked`).
pub const BUILDER_PANICS_TOTAL: &str = "escalation_telemetry_builder_panics_total";
/// Counter: failures that skipped the telemetry hook because their signature had used
/// up its storm policy's burst (`MetricsEvent::TelemetrySuppressed`).
pub const SUPPRESSED_TOTAL: &str = "escalation_telemetry_suppressed_total";
/// Counter: failures a cluster node's forwarding buffer dropped (the oldest first)
/// while the collector was unreachable (`MetricsEvent::ForwardDropped`).
pub const FORWARD_DROPPED_TOTAL: &str = "escalation_telemetry_forward_dropped_total";

/// Histogram bucket bounds, in seconds, for [`LATENCY_SECONDS`]: 1, 5, 10, 50, 100 and
/// 500 µs, 1, 5, 10, 50, 100 and 500 ms, and 1 s (plus `+Inf`).
///
/// Why these: the telemetry hook runs on the escalation path and should take
/// microseconds at most (a no-op or a counter is nanoseconds; building an OpenTelemetry
/// log record and queueing it for a batch exporter is a few µs, see
/// `docs/performance.md`), so the buckets start at 1 µs; a hook that blocks on
/// a backend takes milliseconds, which the 1-5-10 steps up to 1 s still resolve, enough
/// to tell "slow" (above 10 ms: the `EscalationTelemetryHookSlow` alert's threshold
/// sits on a bound, so it is exact) from "stuck". 13 bounds keep the series count per
/// instance at 16 (13 buckets, `+Inf`, `_sum`, `_count`). Every node must use the same
/// bounds for `sum by (le)` to aggregate them.
///
/// The OpenTelemetry sink sets them on its histogram; for Prometheus, the `prometheus`
/// integration's `prometheus_builder` sets them on the exporter (without them it renders a summary, which cannot be aggregated across
/// instances).
pub const LATENCY_BUCKETS_SECONDS: &[f64] = &[
    0.000_001, 0.000_005, 0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5,
    1.0,
];
