//! An application's JSON snapshot of the failures that reach its root guardian (needs
//! the `serde` feature).
#![cfg(all(feature = "std", feature = "serde"))] // This repository only; docs/snapshot-testing.md quotes the file without this line.

use escalation_telemetry::prelude::*;

#[test]
fn failures_that_reached_the_root_as_json() {
    let recorded = RecordingTelemetry::new();
    let telemetry = recorded.clone();
    let mut root = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize()
        .root_escalation_sink::<()>();

    // Actor ids come from the runtime and differ between runs; say 7 and 12 this time.
    let (pool, worker) = (ActorId(7), ActorId(12));
    let failure = FailureInfo::new(
        worker,
        ActorPath::root().child(pool).child(worker),
        ActorFailure::from_message("connection reset by peer"),
    )
    .with_metadata(FailureMetadata::new().with_transport("tcp"))
    .escalate_to_parent();
    root.handle(failure, false)
        .expect("the root handles every failure");

    // The location of `from_message` moves when code above it moves: keep the file,
    // redact its line and column.
    insta::assert_json_snapshot!(recorded.snapshots(), {
        "[].actor" => "[actor id]",
        "[].path" => "[actor path]",
        "[].location.line" => "[line]",
        "[].location.column" => "[column]",
    });
}
