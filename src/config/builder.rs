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
