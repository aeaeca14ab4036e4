use escalation_telemetry::prelude::*;

fn main() {
    // A string is neither a `FailureTelemetry` hook nor a `FailureTelemetryShared`.
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| "stderr")
        .finalize();
}
