//! The root path's metrics records and clock readings, each under its own panic guard:
//! the [`ObservationTarget`] of the root sink's observed call.

use super::guard::{Caught, run_guarded};
use super::{EscalationCounters, Step};
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::observation::{ObservationTarget, RuntimeClock};

/// Records into a metrics sink (if any) and reads the runtime's clock, each under a
/// panic guard: a sink that panics is counted in `EscalationStats::metrics_panics` and
/// the event is lost (not retried); a clock that panics is counted as a fault of
/// [`Step::Clock`] and the reading is `None` (the call goes untimed).
pub(crate) struct GuardedTarget<'a> {
    pub(crate) metrics: Option<&'a MetricsSinkShared>,
    pub(crate) counters: &'a EscalationCounters,
}

impl GuardedTarget<'_> {
    /// Counts a caught panic of `step` and records it into the metrics sink, if any.
    #[cold]
    pub(crate) fn fault(&self, step: Step, caught: Caught) {
        self.counters.step_panicked(step, caught);
        self.record(step.panic_event());
    }

    /// A clock reading taken by `read` (user code) under a guard: `None` when it
    /// panicked (counted as a fault of [`Step::Clock`]) or when the clock cannot tell
    /// time.
    #[inline]
    pub(crate) fn read_guarded(
        &self,
        read: impl FnOnce() -> Option<core::time::Duration>,
    ) -> Option<core::time::Duration> {
        run_guarded(read).unwrap_or_else(|caught| {
            self.fault(Step::Clock, caught);
            None
        })
    }

    /// A clock made with its `Default` (user code), or `None` when that panicked (the
    /// panic is counted as a fault of [`Step::Clock`]).
    pub(crate) fn make_clock<C: RuntimeClock>(&self) -> Option<C> {
        run_guarded(C::default)
            .map_err(|caught| self.fault(Step::Clock, caught))
            .ok()
    }
}

impl ObservationTarget for GuardedTarget<'_> {
    #[inline]
    fn record(&self, event: MetricsEvent) {
        if let Some(metrics) = self.metrics
            && let Err(caught) = run_guarded(|| metrics.record(event))
        {
            self.counters.metrics_panicked(caught);
        }
    }

    #[inline]
    fn read_clock<C: RuntimeClock>(&self, clock: &C) -> Option<core::time::Duration> {
        self.read_guarded(|| clock.read())
    }
}
