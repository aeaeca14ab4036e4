//! The hook trait.

use super::FailureSnapshot;

/// Receives every failure that reaches the root guardian.
///
/// Implementations must be cheap or hand work off: they run on the failing actor's
/// escalation path. With `std`, a panic in `on_failure` is caught and counted as
/// [`MetricsEvent::TelemetryPanicked`](crate::MetricsEvent::TelemetryPanicked); the
/// handler and listener still run.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// struct PrintTelemetry;
///
/// impl FailureTelemetry for PrintTelemetry {
///     fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
///         println!("{snapshot}");
///     }
/// }
/// ```
pub trait FailureTelemetry: Send + Sync {
    /// Called once per failure that reaches the root.
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>);
}

impl<T: FailureTelemetry + ?Sized> FailureTelemetry for alloc::sync::Arc<T> {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        (**self).on_failure(snapshot);
    }
}

impl<T: FailureTelemetry + ?Sized> FailureTelemetry for &T {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        (**self).on_failure(snapshot);
    }
}
