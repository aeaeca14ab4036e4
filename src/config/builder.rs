//! The telemetry builder type.

use super::TelemetryContext;
use crate::telemetry::FailureTelemetryShared;

/// Makes the telemetry hook from the system's context (metrics sink, extensions).
/// Held as [`ArcShared<FailureTelemetryBuilder>`](crate::ArcShared); a closure coerces:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let builder: ArcShared<FailureTelemetryBuilder> =
///     ArcShared::new(|_ctx: &TelemetryContext<'_>| FailureTelemetryShared::noop());
/// ```
pub type FailureTelemetryBuilder =
    dyn Fn(&TelemetryContext<'_>) -> FailureTelemetryShared + Send + Sync + 'static;

/// Wraps a closure as an [`ArcShared<FailureTelemetryBuilder>`](crate::ArcShared).
///
/// Passing the closure straight to `ArcShared::new` works where the target type is
/// written out; in a plain `let` the compiler infers a closure that takes one specific
/// lifetime and then refuses it (`implementation of Fn is not general enough`). This
/// function states the signature, so the closure needs no annotation:
///
/// ```
/// use escalation_telemetry::config::failure_telemetry_builder;
/// use escalation_telemetry::prelude::*;
///
/// let builder = failure_telemetry_builder(|_ctx| FailureTelemetryShared::noop());
/// let config = ActorSystemConfig::<StdRuntime>::new().with_failure_telemetry_builder(builder).finalize();
/// # let _ = config;
/// ```
pub fn failure_telemetry_builder<F>(builder: F) -> crate::sync::ArcShared<FailureTelemetryBuilder>
where
    F: Fn(&TelemetryContext<'_>) -> FailureTelemetryShared + Send + Sync + 'static,
{
    crate::sync::ArcShared::new(builder)
}
