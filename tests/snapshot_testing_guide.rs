//! An application's snapshot test of the failures that reach its root guardian.
#![cfg(feature = "std")] // This repository only; docs/snapshot-testing.md quotes the file without this line.

use escalation_telemetry::prelude::*;

/// The application's root guardian, set up as `main` sets it up, with the telemetry
/// hook and the metrics sink passed in so that a test can record them.
fn root_guardian(
    telemetry: FailureTelemetryShared,
    metrics: MetricsSinkShared,
) -> RootEscalationSink<(), StdRuntime> {
    ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(metrics)
        .with_failure_telemetry(move |_ctx| telemetry.clone())
        .observe()
        .capture_timing(true)
        .finalize()
        .root_escalation_sink::<()>()
}

/// A root guardian whose telemetry and metrics go to one recording.
fn recorded_root_guardian() -> (RecordingTelemetry, RootEscalationSink<(), StdRuntime>) {
    let recorded = RecordingTelemetry::new();
    let root = root_guardian(
        FailureTelemetryShared::new(recorded.clone()),
        MetricsSinkShared::new(recorded.clone()),
    );
    (recorded, root)
}

/// The payment worker /1/4/9 fails; its supervisor (4) and the payments supervisor (1)
/// both give up, so the failure reaches the root after two hops.
fn payment_worker_fails(root: &mut RootEscalationSink<(), StdRuntime>, order: &str) {
    let worker = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(4))
        .child(ActorId(9));
    let failure = FailureInfo::new(
        ActorId(9),
        worker,
        ActorFailure::from_message(format!("charge for {order} timed out")),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_component("payments")
            .with_endpoint("/v1/charge")
            .with_tag(key!("tenant"), "acme corp"),
    );
    let at_supervisor = failure.escalate_to_parent();
    let at_root = at_supervisor.escalate_to_parent();
    root.handle(at_root, false)
        .expect("the root handles every failure");
}

#[test]
fn a_failed_payment_reaches_the_root_with_its_tags() {
    let (recorded, mut root) = recorded_root_guardian();

    payment_worker_fails(&mut root, "order-1042");

    insta::assert_snapshot!(recorded);
}

#[test]
fn values_that_change_between_runs_are_filtered() {
    let (recorded, mut root) = recorded_root_guardian();

    // An id that differs on every run, as request and order ids do.
    let order = format!("order-{}", std::process::id());
    payment_worker_fails(&mut root, &order);

    insta::with_settings!({ filters => vec![(r"order-\d+", "order-[id]")] }, {
        insta::assert_snapshot!(recorded);
    });
}
