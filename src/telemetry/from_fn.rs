//! Telemetry from a closure.

use super::{FailureSnapshot, FailureTelemetry};

/// A [`FailureTelemetry`] made from a closure; see
/// [`FailureTelemetryShared::from_fn`](super::FailureTelemetryShared::from_fn).
#[derive(Clone, Copy)]
pub struct FnFailureTelemetry<F>(pub F);

impl<F> FailureTelemetry for FnFailureTelemetry<F>
where
    F: Fn(&FailureSnapshot<'_>) + Send + Sync,
{
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        (self.0)(snapshot);
    }
}

impl<F> core::fmt::Debug for FnFailureTelemetry<F> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("FnFailureTelemetry(..)")
    }
}
