use escalation_telemetry::prelude::*;

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new().finalize().finalize();
}
