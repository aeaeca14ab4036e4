use escalation_telemetry::prelude::*;

/// Generic over the stage, but without the rule bounds the method needs.
fn with_noop<S, N>(config: ActorSystemConfig<StdRuntime, S>) -> ActorSystemConfig<StdRuntime, N> {
    config.with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
}

fn main() {
    let _ = with_noop::<NoTelemetry, WithBuilder>(ActorSystemConfig::<StdRuntime>::new());
}
