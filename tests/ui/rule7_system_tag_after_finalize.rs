use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(key!("service"), "orders")
        .finalize()
        .with_system_tag(key!("region"), "eu");
}
