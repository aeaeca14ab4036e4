//! `with_ref_observed` and `with_ref_observed_by` of the two hook handles: defined here,
//! above `telemetry/`, so that the hook never imports the observation that wraps it.

use super::observer::{DEFAULT_OBSERVATION_CLOCK, observed_per_config};
use super::{FailureTelemetryObservationConfig, RuntimeClock};
use crate::telemetry::{FailureTelemetry, FailureTelemetryShared, TypedFailureTelemetry};

impl FailureTelemetryShared {
    /// Calls `f` with the hook and records the call into `cfg.metrics`:
    /// [`TelemetryInvoked`](crate::MetricsEvent::TelemetryInvoked) before the call and,
    /// when `cfg.capture_timing` is set,
    /// [`TelemetryLatency`](crate::MetricsEvent::TelemetryLatency) after it.
    ///
    /// Timing uses `StdClock` with `std`; without `std` there is no
    /// clock here and only the invocation is recorded: use
    /// [`with_ref_observed_by`](Self::with_ref_observed_by) with your runtime's clock.
    /// With `cfg.metrics == None` this is [`with_ref`](Self::with_ref).
    #[inline]
    pub fn with_ref_observed<R>(
        &self,
        cfg: &FailureTelemetryObservationConfig,
        f: impl FnOnce(&dyn FailureTelemetry) -> R,
    ) -> R {
        self.with_ref_observed_by(cfg, &DEFAULT_OBSERVATION_CLOCK, f)
    }

    /// [`with_ref_observed`](Self::with_ref_observed) timed by `clock` (any
    /// [`MonotonicClock`](crate::MonotonicClock), or [`NoClock`](crate::NoClock) for no
    /// timing).
    #[inline]
    pub fn with_ref_observed_by<C: RuntimeClock, R>(
        &self,
        cfg: &FailureTelemetryObservationConfig,
        clock: &C,
        f: impl FnOnce(&dyn FailureTelemetry) -> R,
    ) -> R {
        observed_per_config(cfg, clock, || self.with_ref(f))
    }
}

impl<T: FailureTelemetry + 'static> TypedFailureTelemetry<T> {
    /// [`FailureTelemetryShared::with_ref_observed`] for this hook: records
    /// `TelemetryInvoked` (and `TelemetryLatency` when `cfg.capture_timing`, with
    /// `StdClock`; without `std` only the invocation) into
    /// `cfg.metrics`.
    #[inline]
    pub fn with_ref_observed<R>(
        &self,
        cfg: &FailureTelemetryObservationConfig,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        self.with_ref_observed_by(cfg, &DEFAULT_OBSERVATION_CLOCK, f)
    }

    /// [`with_ref_observed`](Self::with_ref_observed) timed by `clock`.
    #[inline]
    pub fn with_ref_observed_by<C: RuntimeClock, R>(
        &self,
        cfg: &FailureTelemetryObservationConfig,
        clock: &C,
        f: impl FnOnce(&T) -> R,
    ) -> R {
        observed_per_config(cfg, clock, || self.with_ref(f))
    }
}
