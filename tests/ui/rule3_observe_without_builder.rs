use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .observe();
}
