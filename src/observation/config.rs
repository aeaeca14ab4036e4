//! The RFC's observation settings.

use typed_builder::TypedBuilder;

use crate::metrics::MetricsSinkShared;

/// Whether and how the telemetry call is observed (the RFC's phase B), decided at run
/// time: with `metrics: None` the call is not observed at all.
///
/// Built either as a literal or with the typed builder:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let sink = MetricsSinkShared::new(CountingMetricsSink::new());
/// let cfg = FailureTelemetryObservationConfig::builder().metrics(sink).capture_timing(true).build();
/// assert!(cfg.capture_timing);
/// ```
///
/// Applications using [`ActorSystemConfig`](crate::ActorSystemConfig) do not build one:
/// `observe()` and `capture_timing(..)` do.
#[derive(Debug, Clone, Default, TypedBuilder)]
pub struct FailureTelemetryObservationConfig {
    /// Where observations go; `None` turns observation off.
    #[builder(default, setter(strip_option))]
    pub metrics: Option<MetricsSinkShared>,
    /// Also record the call's latency (two clock reads per call).
    #[builder(default)]
    pub capture_timing: bool,
}
