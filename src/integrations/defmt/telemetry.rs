//! The telemetry hook that logs through defmt.

use crate::telemetry::{FailureSnapshot, FailureTelemetry};

/// A [`FailureTelemetry`] that logs one defmt message per failure at level `error`:
/// `failure reached the root guardian: ` followed by the snapshot's `defmt::Format`
/// form (`path=/1/4/9 actor=9 hops=2 description=disk full tags=[component=db]`).
///
/// It works without `std`. Like every defmt user, the firmware needs a global logger
/// (`defmt-rtt`, `defmt-itm`, ...) and defmt's linker script; the crate brings neither.
///
/// ```no_run
/// use escalation_telemetry::integrations::defmt::DefmtFailureTelemetry;
/// use escalation_telemetry::prelude::*;
///
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(DefmtFailureTelemetry::new()))
///     .finalize();
/// # let _ = config;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DefmtFailureTelemetry;

impl DefmtFailureTelemetry {
    /// The telemetry (same as `default()`).
    #[must_use]
    pub const fn new() -> Self {
        Self
    }
}

impl FailureTelemetry for DefmtFailureTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        ::defmt::error!("failure reached the root guardian: {}", snapshot);
    }
}
