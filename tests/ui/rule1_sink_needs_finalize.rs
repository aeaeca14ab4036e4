use escalation_telemetry::prelude::*;

fn main() {
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop());
    let _sink = config.root_escalation_sink::<()>();
}
