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

/// What one [`MetricsEvent`] adds to its instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MetricsValue {
    /// One occurrence: a counter adds 1.
    One,
    /// A counted event: a counter adds this many.
    Count(u32),
    /// A duration: a histogram records it (in seconds).
    Latency(Duration),
}

impl MetricsEvent {
    /// How many kinds of event there are: the length of
    /// [`INSTRUMENTS`](super::instruments::INSTRUMENTS).
    pub const KINDS: usize = 10;

    /// The event's row in [`INSTRUMENTS`](super::instruments::INSTRUMENTS).
    #[inline]
    #[must_use]
    pub const fn instrument_index(self) -> usize {
        match self {
            Self::TelemetryInvoked => 0,
            Self::TelemetryPanicked => 1,
            Self::TelemetryLatency(_) => 2,
            Self::TagsDropped(_) => 3,
            Self::HandlerPanicked => 4,
            Self::ListenerPanicked => 5,
            Self::ClockPanicked => 6,
            Self::BuilderPanicked => 7,
            Self::TelemetrySuppressed => 8,
            Self::ForwardDropped(_) => 9,
        }
    }

    /// What the event adds to its instrument.
    #[inline]
    #[must_use]
    pub const fn value(self) -> MetricsValue {
        match self {
            Self::TelemetryLatency(latency) => MetricsValue::Latency(latency),
            Self::TagsDropped(n) | Self::ForwardDropped(n) => MetricsValue::Count(n),
            Self::TelemetryInvoked
            | Self::TelemetryPanicked
            | Self::HandlerPanicked
            | Self::ListenerPanicked
            | Self::ClockPanicked
            | Self::BuilderPanicked
            | Self::TelemetrySuppressed => MetricsValue::One,
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::super::instruments::{INSTRUMENTS, InstrumentKind};
    use super::*;

    /// One event of every kind.
    const ONE_OF_EACH: [MetricsEvent; MetricsEvent::KINDS] = [
        MetricsEvent::TelemetryInvoked,
        MetricsEvent::TelemetryLatency(Duration::from_micros(3)),
        MetricsEvent::TelemetryPanicked,
        MetricsEvent::TagsDropped(2),
        MetricsEvent::HandlerPanicked,
        MetricsEvent::ListenerPanicked,
        MetricsEvent::ClockPanicked,
        MetricsEvent::BuilderPanicked,
        MetricsEvent::TelemetrySuppressed,
        MetricsEvent::ForwardDropped(5),
    ];

    #[test]
    fn every_kind_has_its_own_row_and_its_value_fits_the_row() {
        let mut rows: Vec<usize> = ONE_OF_EACH.iter().map(|e| e.instrument_index()).collect();
        rows.sort_unstable();
        assert_eq!(rows, (0..INSTRUMENTS.len()).collect::<Vec<_>>());
        for event in ONE_OF_EACH {
            let fits = matches!(
                (event.instrument().kind, event.value()),
                (
                    InstrumentKind::Counter,
                    MetricsValue::One | MetricsValue::Count(_)
                ) | (InstrumentKind::Histogram, MetricsValue::Latency(_))
            );
            assert!(fits, "{event:?} does not fit {:?}", event.instrument());
        }
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in INSTRUMENTS.iter().enumerate() {
            for b in &INSTRUMENTS[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.event, b.event);
                assert_ne!(a.total, b.total);
            }
        }
    }
}
