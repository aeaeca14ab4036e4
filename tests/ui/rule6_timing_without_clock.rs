use escalation_telemetry::prelude::*;

/// A runtime without a clock.
struct Clockless;

impl ActorRuntime for Clockless {
    type Clock = NoClock;
    type Tags = BoundedTags<4>;
}

fn main() {
    let _config = ActorSystemConfig::<Clockless>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe()
        .capture_timing(true);
}
