use core::time::Duration;
use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .finalize()
        .limit_storms(StormPolicy::new(10, Duration::from_secs(1)));
}
