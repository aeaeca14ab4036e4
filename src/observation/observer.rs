//! The observed telemetry call.

use super::{FailureTelemetryObservationConfig, ObservationSwitch, RuntimeClock};
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::sync::ArcShared;
use crate::telemetry::{FailureTelemetry, FailureTelemetryShared, TypedFailureTelemetry};

/// Where an observed call's events go and how its clock is read: the metrics sink and
/// the clock themselves, or (on the root path) each behind a panic guard.
pub(crate) trait ObservationTarget {
    /// Records one event.
    fn record(&self, event: MetricsEvent);

    /// Reads `clock`; `None` when it cannot tell time (or, guarded, when it panicked).
    #[inline]
    fn read_clock<C: RuntimeClock>(&self, clock: &C) -> Option<core::time::Duration> {
        clock.read()
    }
}

impl ObservationTarget for MetricsSinkShared {
    #[inline]
    fn record(&self, event: MetricsEvent) {
        MetricsSinkShared::record(self, event);
    }
}

/// Records `TelemetryInvoked`, makes the telemetry call, and records
/// `TelemetryLatency` when a clock is given (timing is requested), it told time before
/// and after, and the call returned `Ok` (a call whose panic was caught has no latency).
/// The call always follows its `TelemetryInvoked`: on the root path the clock is read
/// under a guard, so a panicking clock costs the latency, never the call.
///
/// `call` is the whole telemetry call, so the same code observes a call through
/// [`FailureTelemetryShared`] (`dyn`), through
/// [`TypedFailureTelemetry`](crate::telemetry::TypedFailureTelemetry) (statically
/// typed, inlined), and the root sink's guarded call.
#[inline]
pub(crate) fn observed_call<C: RuntimeClock, T, E>(
    recorder: &impl ObservationTarget,
    clock: Option<&C>,
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    recorder.record(MetricsEvent::TelemetryInvoked);
    match clock {
        Some(clock) => timed_call(recorder, clock, call),
        None => call(),
    }
}

/// The clock `with_ref_observed` times with: the process's [`StdClock`](crate::StdClock)
/// with `std`, none without.
#[cfg(feature = "std")]
pub(crate) const DEFAULT_OBSERVATION_CLOCK: super::ProcessClock = super::ProcessClock;
/// The clock `with_ref_observed` times with: the process's `StdClock` with `std`, none
/// without.
#[cfg(not(feature = "std"))]
pub(crate) const DEFAULT_OBSERVATION_CLOCK: super::NoClock = super::NoClock;

/// Observes `call` as the RFC's config says: into `cfg.metrics`, timed by `clock` when
/// `cfg.capture_timing`; not at all when `cfg.metrics` is `None`.
#[inline]
pub(crate) fn observed_per_config<C: RuntimeClock, R>(
    cfg: &FailureTelemetryObservationConfig,
    clock: &C,
    call: impl FnOnce() -> R,
) -> R {
    match &cfg.metrics {
        Some(metrics) => observed_infallible(metrics, cfg.capture_timing.then_some(clock), call),
        None => call(),
    }
}

/// [`observed_call`] for a call that cannot fail.
#[inline]
pub(crate) fn observed_infallible<C: RuntimeClock, R>(
    metrics: &MetricsSinkShared,
    clock: Option<&C>,
    call: impl FnOnce() -> R,
) -> R {
    let Ok(result) = observed_call(
        metrics,
        clock,
        || Ok::<R, core::convert::Infallible>(call()),
    );
    result
}

/// The timed part of [`observed_call`]. Never inlined, on purpose: its callers branch
/// on "observed?" and "timed?" first, and keeping this body (two clock reads, the
/// latency arithmetic, a sink call) out of line keeps the other branches free of its
/// register spills and stack frame. The call costs about a nanosecond, next to two
/// clock reads.
#[inline(never)]
fn timed_call<C: RuntimeClock, T, E>(
    recorder: &impl ObservationTarget,
    clock: &C,
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let start = recorder.read_clock(clock);
    let result = call();
    if result.is_ok()
        && let Some(start) = start
        && let Some(end) = recorder.read_clock(clock)
    {
        recorder.record(MetricsEvent::TelemetryLatency(end.saturating_sub(start)));
    }
    result
}

/// An observation config bound to an [`ObservationSwitch`] and a clock: what a
/// [`RootEscalationSink`](crate::RootEscalationSink) built from an observed config uses
/// on every failure. With the switch off, a call costs one relaxed load more than
/// [`FailureTelemetryShared::with_ref`].
pub struct FailureTelemetryObserver<C> {
    metrics: MetricsSinkShared,
    capture_timing: bool,
    switch: ObservationSwitch,
    /// The clock that times calls: `None` when timing is not captured (or, for a root
    /// sink, when the runtime's clock could not be made). Shared by clones, so cloning
    /// never runs the clock's `Default` (user code).
    clock: Option<ArcShared<C>>,
}

impl<C: RuntimeClock> FailureTelemetryObserver<C> {
    /// Observes into `metrics`, timing with `clock` when `capture_timing`, while `switch`
    /// is on. Clones share the clock.
    #[must_use]
    pub fn new(
        metrics: MetricsSinkShared,
        capture_timing: bool,
        switch: ObservationSwitch,
        clock: C,
    ) -> Self {
        let clock = capture_timing.then(|| ArcShared::new(clock));
        Self::with_shared_clock(metrics, capture_timing, switch, clock)
    }

    /// [`new`](Self::new) with the clock already shared, or `None` for no timing.
    pub(crate) fn with_shared_clock(
        metrics: MetricsSinkShared,
        capture_timing: bool,
        switch: ObservationSwitch,
        clock: Option<ArcShared<C>>,
    ) -> Self {
        Self {
            metrics,
            capture_timing,
            switch,
            clock,
        }
    }

    /// Calls the hook, observed while the switch is on.
    #[inline]
    pub fn call<R>(
        &self,
        telemetry: &FailureTelemetryShared,
        f: impl FnOnce(&dyn FailureTelemetry) -> R,
    ) -> R {
        self.observe(|| telemetry.with_ref(f))
    }

    /// [`call`](Self::call) for a statically typed hook: no `dyn`, the hook's
    /// `on_failure` can be inlined. With the switch off it costs one relaxed atomic load
    /// more than calling the hook directly.
    #[inline]
    pub fn call_typed<T: FailureTelemetry + 'static, R>(
        &self,
        telemetry: &TypedFailureTelemetry<T>,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        self.observe(|| telemetry.with_ref(f))
    }

    /// Runs `call` (one telemetry call), observed while the switch is on.
    #[inline]
    fn observe<R>(&self, call: impl FnOnce() -> R) -> R {
        if self.switch.is_enabled() {
            observed_infallible(&self.metrics, self.clock.as_deref(), call)
        } else {
            call()
        }
    }

    /// Makes `call` observed, recording through `recorder`, without reading the switch:
    /// for a caller that already read it for this failure (so that one failure is never
    /// observed in part).
    #[inline]
    pub(crate) fn observe_with<T, E>(
        &self,
        recorder: &impl ObservationTarget,
        call: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        observed_call(recorder, self.clock.as_deref(), call)
    }

    /// `true` while the switch is on.
    #[inline]
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.switch.is_enabled()
    }

    /// The sink observations go to.
    #[must_use]
    pub fn metrics(&self) -> &MetricsSinkShared {
        &self.metrics
    }

    /// The switch.
    #[must_use]
    pub fn switch(&self) -> &ObservationSwitch {
        &self.switch
    }

    /// The settings as the RFC's config struct.
    #[must_use]
    pub fn config(&self) -> FailureTelemetryObservationConfig {
        FailureTelemetryObservationConfig {
            metrics: Some(self.metrics.clone()),
            capture_timing: self.capture_timing,
        }
    }
}

impl<C: RuntimeClock> Clone for FailureTelemetryObserver<C> {
    /// The clone shares the metrics sink, the switch and the clock: it runs no user code
    /// and allocates nothing.
    fn clone(&self) -> Self {
        Self::with_shared_clock(
            self.metrics.clone(),
            self.capture_timing,
            self.switch.clone(),
            self.clock.clone(),
        )
    }
}

impl<C> core::fmt::Debug for FailureTelemetryObserver<C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("FailureTelemetryObserver")
            .field("capture_timing", &self.capture_timing)
            .field("switch", &self.switch)
            .finish_non_exhaustive()
    }
}
