use escalation_telemetry::prelude::*;

fn main() {
    let _metadata = FailureMetadata::new().with_tag(key!(""), "acme");
}
