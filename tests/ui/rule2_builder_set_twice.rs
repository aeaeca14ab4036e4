use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .with_failure_telemetry_builder(ArcShared::new(|_ctx: &TelemetryContext<'_>| {
            FailureTelemetryShared::noop()
        }));
}
