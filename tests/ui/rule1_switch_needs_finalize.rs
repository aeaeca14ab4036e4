use escalation_telemetry::prelude::*;

fn main() {
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe();
    let _switch = config.observation_switch();
}
