//! Counts of what went wrong on the root path, shared by the sinks of one config.

use core::sync::atomic::{AtomicU64, Ordering};

use super::guard::Caught;
use crate::metrics::MetricsEvent;

/// Counters shared by every sink built from one finalized config. Only the exceptional
/// paths touch them, so the common path stays free of shared writes.
#[derive(Debug, Default)]
pub(crate) struct EscalationCounters {
    telemetry_panics: AtomicU64,
    handler_panics: AtomicU64,
    listener_panics: AtomicU64,
    metrics_panics: AtomicU64,
    clock_panics: AtomicU64,
    builder_panics: AtomicU64,
    panic_payloads_leaked: AtomicU64,
    tags_dropped: AtomicU64,
}

/// A guarded piece of user code on the root path.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step {
    Telemetry,
    Handler,
    Listener,
    /// The runtime's clock: `MonotonicClock::now` or its `Default`.
    Clock,
    /// `apply_builder`'s builder, or the drop of the hook it replaces.
    Builder,
}

impl Step {
    /// The metrics event that reports this step's panic.
    pub(crate) fn panic_event(self) -> MetricsEvent {
        match self {
            Self::Telemetry => MetricsEvent::TelemetryPanicked,
            Self::Handler => MetricsEvent::HandlerPanicked,
            Self::Listener => MetricsEvent::ListenerPanicked,
            Self::Clock => MetricsEvent::ClockPanicked,
            Self::Builder => MetricsEvent::BuilderPanicked,
        }
    }
}

impl EscalationCounters {
    pub(crate) fn step_panicked(&self, step: Step, caught: Caught) {
        let counter = match step {
            Step::Telemetry => &self.telemetry_panics,
            Step::Handler => &self.handler_panics,
            Step::Listener => &self.listener_panics,
            Step::Clock => &self.clock_panics,
            Step::Builder => &self.builder_panics,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.payload_leaked(caught);
    }

    pub(crate) fn metrics_panicked(&self, caught: Caught) {
        self.metrics_panics.fetch_add(1, Ordering::Relaxed);
        self.payload_leaked(caught);
    }

    fn payload_leaked(&self, caught: Caught) {
        if caught.leaked_payload {
            self.panic_payloads_leaked.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn tags_dropped(&self, n: u32) {
        self.tags_dropped.fetch_add(u64::from(n), Ordering::Relaxed);
    }

    pub(crate) fn stats(&self) -> EscalationStats {
        EscalationStats {
            telemetry_panics: self.telemetry_panics.load(Ordering::Relaxed),
            handler_panics: self.handler_panics.load(Ordering::Relaxed),
            listener_panics: self.listener_panics.load(Ordering::Relaxed),
            metrics_panics: self.metrics_panics.load(Ordering::Relaxed),
            clock_panics: self.clock_panics.load(Ordering::Relaxed),
            builder_panics: self.builder_panics.load(Ordering::Relaxed),
            panic_payloads_leaked: self.panic_payloads_leaked.load(Ordering::Relaxed),
            tags_dropped: self.tags_dropped.load(Ordering::Relaxed),
            // Kept by the storm table, which the sink adds in.
            telemetry_suppressed: 0,
            storm_overflow: 0,
        }
    }
}

/// What went wrong on the root path of one finalized config, counted whether or not a
/// metrics sink is configured: nothing is lost silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EscalationStats {
    /// Telemetry hook calls that panicked (caught with `std`).
    pub telemetry_panics: u64,
    /// Failure event handler calls that panicked (caught with `std`).
    pub handler_panics: u64,
    /// Failure event listener calls that panicked (caught with `std`).
    pub listener_panics: u64,
    /// Metrics sink calls that panicked (caught with `std`); each lost its one event.
    pub metrics_panics: u64,
    /// Runtime clock panics (caught with `std`): `MonotonicClock::now` while timing a
    /// telemetry call (that call went untimed, the hook still ran), or the clock's
    /// `Default` when a sink was built (that sink times nothing).
    pub clock_panics: u64,
    /// `apply_builder` panics (caught with `std`): the builder, or the drop of the hook
    /// it replaced. A sink whose builder panicked kept its old hook.
    pub builder_panics: u64,
    /// Caught panics whose payload could not be dropped (its drop panicked, and the drop
    /// of that panic's payload panicked again) and was leaked. Each is also counted as
    /// the panic of its step.
    pub panic_payloads_leaked: u64,
    /// Tags that failures' metadata rejected or dropped, summed over reported failures.
    pub tags_dropped: u64,
    /// Failures that skipped the telemetry hook under the storm policy
    /// ([`StormPolicy`](crate::StormPolicy)); with `already_handled == false`, every
    /// failure either reached the hook or is counted here.
    pub telemetry_suppressed: u64,
    /// Failures whose signature found no room in the storm table and were limited in
    /// its shared overflow slot (a table too small for the system's signatures).
    pub storm_overflow: u64,
}
