use core::time::Duration;
use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .limit_storms(StormPolicy::new(10, Duration::from_secs(1)));
}
