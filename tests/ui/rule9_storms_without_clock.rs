use core::time::Duration;
use escalation_telemetry::prelude::*;

/// A runtime without a clock.
struct Clockless;

impl ActorRuntime for Clockless {
    type Clock = NoClock;
    type Tags = BoundedTags<4>;
}

fn main() {
    let _config = ActorSystemConfig::<Clockless>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .limit_storms(StormPolicy::new(10, Duration::from_secs(1)));
}
