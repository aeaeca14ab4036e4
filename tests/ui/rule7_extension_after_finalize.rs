use escalation_telemetry::prelude::*;

struct Region(&'static str);

fn main() {
    let _config = ActorSystemConfig::<StdRuntime>::new()
        .finalize()
        .with_extension(Region("eu-west"));
}
