use escalation_telemetry::prelude::*;

const SHARD: TelemetryTag = tag!("shard", 7);

fn main() {
    let _ready = tag!("ready", true);
    let _ = SHARD;
}
