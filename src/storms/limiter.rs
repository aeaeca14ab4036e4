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
}

impl<C: RuntimeClock> StormLimiter<C> {
    /// Makes the table (the only allocation) and the clock.
    pub(crate) fn new(policy: StormPolicy, clock: C) -> Self {
        Self {
            window: FixedWindow::new(policy.burst(), policy.window()),
            table: StormTable::new(policy.signatures()),
            policy,
            clock,
        }
    }

    /// The clock the windows are measured with. Its reading is user code: the root
    /// path reads it under its panic guard.
    #[inline]
    pub(crate) fn clock(&self) -> &C {
        &self.clock
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
