use escalation_telemetry::prelude::*;

fn main() {
    let header = String::from("tenant");
    let _metadata = FailureMetadata::new().with_tag(key!(header), "acme");
    let _tag = tag!(header, "acme");
}
