//! What a telemetry builder is given.

use super::Extensions;
use crate::metrics::MetricsSinkShared;

/// The environment a [`FailureTelemetryBuilder`](super::FailureTelemetryBuilder) builds
/// telemetry from. Needs only `alloc`: the same API on std and no_std.
#[derive(Debug, Clone, Copy)]
pub struct TelemetryContext<'a> {
    /// The system's metrics sink, if one is configured.
    pub metrics: Option<&'a MetricsSinkShared>,
    /// Values the application registered with `with_extension`.
    pub extensions: &'a Extensions,
}

impl<'a> TelemetryContext<'a> {
    /// A context over these parts.
    #[must_use]
    pub fn new(metrics: Option<&'a MetricsSinkShared>, extensions: &'a Extensions) -> Self {
        Self {
            metrics,
            extensions,
        }
    }
}
