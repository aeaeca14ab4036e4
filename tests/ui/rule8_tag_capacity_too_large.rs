use escalation_telemetry::prelude::*;

fn main() {
    let _metadata = FailureMetadata::<SpillingTags<33>>::default().with_tag("key", "value");
}
