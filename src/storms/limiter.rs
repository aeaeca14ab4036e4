//! The storm limiter of one finalized config: policy, table and the runtime's clock.

use core::fmt;

pub(crate) use super::slot::Admission;
use super::table::StormTable;
use super::window::FixedWindow;
use super::{StormPolicy, StormSignature};
use crate::observation::RuntimeClock;
use crate::telemetry::FailureSnapshot;

/// Shared (behind an `ArcShared`) by every sink of one finalized config, so that the
/// limit holds for the system as a whole. It owns the one clock those sinks read:
/// window numbers count from that clock's origin, and sinks with clocks of different
/// origins would disagree on them.
pub(crate) struct StormLimiter<C> {
    policy: StormPolicy,
    window: FixedWindow,
    table: StormTable,
    clock: C,
    /// Read the clock's coarse reading: its resolution is at most
    /// 1/[`COARSE_WINDOW_RESOLUTIONS`] of the window.
    coarse: bool,
}

/// A window is measured with the clock's coarse reading
/// ([`MonotonicClock::now_coarse`](crate::MonotonicClock::now_coarse)) when it spans at
/// least this many of the coarse clock's resolution steps, so a window's edges move by
/// at most 1/25 of it (4 ms on a 100 ms window at Linux's usual 4 ms tick). Shorter
/// windows read the exact clock.
pub(crate) const COARSE_WINDOW_RESOLUTIONS: u32 = 25;

impl<C: RuntimeClock> StormLimiter<C> {
    /// Makes the table (the only allocation) and the clock.
    pub(crate) fn new(policy: StormPolicy, clock: C) -> Self {
        let coarse = clock
            .coarse_resolution()
            .saturating_mul(COARSE_WINDOW_RESOLUTIONS)
            <= policy.window();
        Self {
            window: FixedWindow::new(policy.burst(), policy.window()),
            table: StormTable::new(policy.signatures()),
            policy,
            clock,
            coarse,
        }
    }

    /// Reads the time the windows are measured with: the clock's coarse reading when
    /// the window is long enough for it, its exact reading otherwise. The reading is
    /// user code: the root path calls this under its panic guard.
    #[inline]
    pub(crate) fn now(&self) -> Option<core::time::Duration> {
        if self.coarse {
            self.clock.read_coarse()
        } else {
            self.clock.read()
        }
    }

    /// Decides the failure seen by `snapshot` at `now` and counts the decision.
    /// Without a time (`None`: the clock panicked) the failure is delivered.
    #[inline]
    pub(crate) fn admit(
        &self,
        snapshot: &FailureSnapshot<'_>,
        now: Option<core::time::Duration>,
    ) -> Admission {
        let signature: &StormSignature = self.policy.signature();
        self.table
            .slot(signature.fingerprint(snapshot))
            .admit(&self.window, now)
    }

    /// Suppressed failures, ever, over all signatures.
    pub(crate) fn suppressed_total(&self) -> u64 {
        self.table.suppressed_total()
    }

    /// Failures decided in the overflow slot, ever.
    pub(crate) fn overflowed(&self) -> u64 {
        self.table.overflowed()
    }
}

impl<C> fmt::Debug for StormLimiter<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StormLimiter")
            .field("policy", &self.policy)
            .field("slots", &self.table.len())
            .finish_non_exhaustive()
    }
}
