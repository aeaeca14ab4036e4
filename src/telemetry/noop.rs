//! The telemetry that does nothing.

use super::{FailureSnapshot, FailureTelemetry};

/// Telemetry that does nothing. [`FailureTelemetryShared`](super::FailureTelemetryShared)
/// recognises it and takes a fast path that performs no indirect call and no allocation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoopFailureTelemetry;

impl FailureTelemetry for NoopFailureTelemetry {
    #[inline]
    fn on_failure(&self, _snapshot: &FailureSnapshot<'_>) {}
}
