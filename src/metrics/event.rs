//! What a metrics sink records.

use core::time::Duration;

/// One observation recorded into a [`MetricsSink`](super::MetricsSink).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricsEvent {
    /// The telemetry hook was called (recorded before the call, so a panicking call is
    /// counted too).
    TelemetryInvoked,
    /// How long the telemetry hook took (only when timing is captured and the call
    /// returned).
    TelemetryLatency(Duration),
    /// The telemetry hook panicked; the panic was caught (`std` only).
    TelemetryPanicked,
    /// The failure carried this many tags that its metadata rejected or dropped.
    TagsDropped(u32),
    /// The failure event handler panicked; the panic was caught (`std` only).
    HandlerPanicked,
    /// The failure event listener panicked; the panic was caught (`std` only).
    ListenerPanicked,
    /// The runtime's clock panicked (`MonotonicClock::now` while timing a telemetry call,
    /// or its `Default` while a sink was built); the panic was caught (`std` only) and
    /// the call went untimed.
    ClockPanicked,
    /// A builder passed to `RootEscalationSink::apply_builder` (or the drop of the hook
    /// it replaced) panicked; the panic was caught (`std` only) and the sink kept its
    /// hook.
    BuilderPanicked,
    /// The failure skipped the telemetry hook: its signature had used up its storm
    /// policy's burst for the current window. Recorded into the config's metrics sink
    /// whenever one is set, observed or not (like the panic events).
    TelemetrySuppressed,
    /// A cluster node's forwarding buffer was full while the collector was unreachable:
    /// this many of the oldest waiting failures were dropped, never to reach the
    /// collector (feature `cluster`; recorded by `ForwardingTelemetry` into the sink its
    /// `ForwardingOptions::with_metrics_sink` gave it).
    ForwardDropped(u32),
}
