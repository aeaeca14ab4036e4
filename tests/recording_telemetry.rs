//! `RecordingTelemetry`: what reached the root, kept in order for an application's tests.
#![cfg(feature = "std")]

use escalation_telemetry::prelude::*;

fn failure(actor: u64, message: &'static str) -> FailureInfo {
    FailureInfo::new(
        ActorId(actor),
        ActorPath::root().child(ActorId(1)).child(ActorId(actor)),
        ActorFailure::from_message(message),
    )
    .escalate_to_parent()
}

/// A root with the recording as telemetry only (no metrics sink, no observation).
fn recording_root(recorded: &RecordingTelemetry) -> RootEscalationSink<(), StdRuntime> {
    let telemetry = recorded.clone();
    ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize()
        .root_escalation_sink::<()>()
}

#[test]
fn failures_are_kept_in_arrival_order_by_every_clone() {
    let recorded = RecordingTelemetry::new();
    let mut root = recording_root(&recorded);
    for (actor, message) in [(2, "first"), (3, "second"), (4, "third")] {
        root.handle(failure(actor, message), false)
            .expect("the root handles every failure");
    }
    let descriptions: Vec<String> = recorded
        .snapshots()
        .iter()
        .map(|snapshot| snapshot.description().to_owned())
        .collect();
    assert_eq!(descriptions, ["first", "second", "third"]);
    assert!(recorded.events().is_empty());
    assert_eq!(
        recorded.to_string(),
        [
            r#"failure path=/1/2 actor=2 hops=1 description="first" tags=[]"#,
            r#"failure path=/1/3 actor=3 hops=1 description="second" tags=[]"#,
            r#"failure path=/1/4 actor=4 hops=1 description="third" tags=[]"#,
        ]
        .join("\n")
    );
}

#[test]
fn snapshots_equal_what_the_root_was_given() {
    let recorded = RecordingTelemetry::new();
    let mut root = recording_root(&recorded);
    let info = failure(7, "boom").with_metadata(
        FailureMetadata::new()
            .with_component("db")
            .with_tag("shard", "7"),
    );
    let expected = OwnedFailureSnapshot::from(&info);
    root.handle(info, false)
        .expect("the root handles every failure");
    assert_eq!(recorded.snapshots(), std::slice::from_ref(&expected));
    assert_eq!(recorded.entries(), [RecordedEntry::Failure(expected)]);
}

#[test]
fn already_handled_failures_skip_telemetry_and_are_not_recorded() {
    let recorded = RecordingTelemetry::new();
    let mut root = recording_root(&recorded);
    root.handle(failure(2, "handled by a supervisor"), true)
        .expect("the root handles every failure");
    assert!(recorded.entries().is_empty());
    assert_eq!(recorded.to_string(), "");
}

#[test]
fn clear_forgets_everything_for_every_clone() {
    let recorded = RecordingTelemetry::new();
    let kept = recorded.clone();
    let mut root = recording_root(&recorded);
    root.handle(failure(2, "before"), false)
        .expect("the root handles every failure");
    recorded.clear();
    assert!(kept.entries().is_empty());
    root.handle(failure(3, "after"), false)
        .expect("the root handles every failure");
    assert_eq!(kept.snapshots().len(), 1);
    assert_eq!(kept.snapshots()[0].description(), "after");
}

#[test]
fn events_keep_exact_latencies_while_display_redacts_them() {
    let recorded = RecordingTelemetry::new();
    let latency = std::time::Duration::from_micros(42);
    recorded.record(MetricsEvent::TelemetryInvoked);
    recorded.record(MetricsEvent::TelemetryLatency(latency));
    recorded.record(MetricsEvent::TagsDropped(3));
    assert_eq!(
        recorded.events(),
        [
            MetricsEvent::TelemetryInvoked,
            MetricsEvent::TelemetryLatency(latency),
            MetricsEvent::TagsDropped(3)
        ]
    );
    assert_eq!(
        recorded.to_string(),
        "metrics telemetry_invoked\nmetrics telemetry_latency=[redacted]\nmetrics tags_dropped=3"
    );
    assert_eq!(
        recorded.clone().show_latencies(true).to_string(),
        "metrics telemetry_invoked\nmetrics telemetry_latency=42000ns\nmetrics tags_dropped=3"
    );
}

#[test]
fn recordings_are_usable_from_other_threads() {
    static_assertions::assert_impl_all!(RecordingTelemetry: Send, Sync, Clone);
    let recorded = RecordingTelemetry::new();
    let mut root = recording_root(&recorded);
    std::thread::spawn(move || {
        root.handle(failure(5, "on another thread"), false)
            .expect("the root handles every failure");
    })
    .join()
    .expect("the thread finishes");
    assert_eq!(recorded.snapshots()[0].actor(), ActorId(5));
}

#[test]
fn every_fault_event_has_a_stable_name() {
    let recorded = RecordingTelemetry::new();
    for event in [
        MetricsEvent::TelemetryPanicked,
        MetricsEvent::HandlerPanicked,
        MetricsEvent::ListenerPanicked,
        MetricsEvent::ClockPanicked,
        MetricsEvent::BuilderPanicked,
    ] {
        recorded.record(event);
    }
    assert_eq!(
        recorded.to_string(),
        "metrics telemetry_panicked\nmetrics handler_panicked\nmetrics listener_panicked\nmetrics clock_panicked\nmetrics builder_panicked"
    );
}
