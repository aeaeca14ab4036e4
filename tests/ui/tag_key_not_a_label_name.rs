use escalation_telemetry::prelude::*;

// A tag in a `const` item: checked like any other literal key.
const TENANT: TelemetryTag = tag!("tenant id", "acme");

fn main() {
    let _metadata: FailureMetadata = [TENANT].into_iter().collect();
    let _status = FailureMetadata::new().with_tag(key!("3xx"), "302");
    let _method = tag!("http.method", String::from("GET"));
}
