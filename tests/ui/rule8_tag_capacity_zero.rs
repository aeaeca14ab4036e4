use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime<BoundedTags<0>>>::new();
}
