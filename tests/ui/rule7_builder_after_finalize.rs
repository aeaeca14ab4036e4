use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .finalize()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop());
}
