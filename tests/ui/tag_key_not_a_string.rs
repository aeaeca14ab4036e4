use escalation_telemetry::prelude::*;

fn main() {
    let _metadata = FailureMetadata::new().with_tag(key!(42), "acme");
    let _tag = tag!(7, "seven");
}
