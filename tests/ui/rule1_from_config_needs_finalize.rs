use escalation_telemetry::prelude::*;

fn main() {
    let config = ActorSystemConfig::<StdRuntime>::new();
    let _sink = RootEscalationSink::<(), StdRuntime>::from_config(&config);
}
