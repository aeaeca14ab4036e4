//! What an observed root records, in order, pinned as snapshots of a `RecordingTelemetry`
//! installed as both the telemetry hook and the metrics sink.
#![cfg(feature = "std")]

use std::cell::Cell;
use std::time::Duration;

use escalation_telemetry::prelude::*;

fn path(ids: &[u64]) -> ActorPath {
    ids.iter().copied().map(ActorId).collect()
}

/// A failure at /1/4/9 escalated twice, as the supervisors of 9 and 4 pass it on.
fn escalated_failure<T: escalation_telemetry::TagStorage>(
    metadata: FailureMetadata<T>,
) -> FailureInfo<T> {
    FailureInfo::new(
        ActorId(9),
        path(&[1, 4, 9]),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(metadata)
    .escalate_to_parent()
    .escalate_to_parent()
}

fn observed_root(
    recorded: &RecordingTelemetry,
    capture_timing: bool,
) -> ActorSystemConfig<StdRuntime, Finalized> {
    let telemetry = recorded.clone();
    ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(recorded.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .observe()
        .capture_timing(capture_timing)
        .finalize()
}

#[test]
fn observed_timed_failure() {
    let recorded = RecordingTelemetry::new();
    let mut root = observed_root(&recorded, true).root_escalation_sink::<()>();
    root.handle(
        escalated_failure(FailureMetadata::new().with_component("storage")),
        false,
    )
    .expect("the root handles every failure");

    assert!(matches!(
        recorded.events().as_slice(),
        [
            MetricsEvent::TelemetryInvoked,
            MetricsEvent::TelemetryLatency(_)
        ]
    ));
    insta::assert_snapshot!(recorded);
}

#[test]
fn observed_failure_without_timing() {
    let recorded = RecordingTelemetry::new();
    let mut root = observed_root(&recorded, false).root_escalation_sink::<()>();
    root.handle(escalated_failure(FailureMetadata::new()), false)
        .expect("the root handles every failure");
    insta::assert_snapshot!(recorded);
}

#[test]
fn dropped_tags_are_reported_before_the_call() {
    let recorded = RecordingTelemetry::new();
    let telemetry = recorded.clone();
    let config = ActorSystemConfig::<StdRuntime<BoundedTags<2>>>::new()
        .with_metrics_sink(MetricsSinkShared::new(recorded.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut root = config.root_escalation_sink::<()>();
    let metadata = FailureMetadata::<BoundedTags<2>>::default()
        .with_component("storage")
        .with_endpoint("/v1/orders")
        .with_transport("tcp")
        .with_tag("tenant", "acme");
    root.handle(escalated_failure(metadata), false)
        .expect("the root handles every failure");
    insta::assert_snapshot!(recorded);
}

#[test]
fn panics_in_hook_handler_and_listener_are_recorded_in_order() {
    let recorded = RecordingTelemetry::new();
    let telemetry = recorded.clone();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(recorded.clone()))
        .with_failure_telemetry(move |_ctx| {
            let telemetry = telemetry.clone();
            FailureTelemetryShared::from_fn(move |snapshot| {
                telemetry.on_failure(snapshot);
                panic!("exporter unreachable");
            })
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(|_info| panic!("handler bug"))
        .with_failure_event_listener(|_event| panic!("listener bug"));
    let mut root = config.root_escalation_sink::<()>();
    root.handle(escalated_failure(FailureMetadata::new()), false)
        .expect("the root handles every failure");
    insta::assert_snapshot!(recorded);
}

#[test]
fn switched_off_observation_records_no_events() {
    let recorded = RecordingTelemetry::new();
    let config = observed_root(&recorded, true);
    let switch = config
        .observation_switch()
        .expect("an observed config has a switch");
    let mut root = config.root_escalation_sink::<()>();

    switch.disable();
    root.handle(escalated_failure(FailureMetadata::new()), false)
        .expect("the root handles every failure");
    switch.enable();
    root.handle(
        escalated_failure(FailureMetadata::new()).escalate_to_parent(),
        false,
    )
    .expect("the root handles every failure");
    insta::assert_snapshot!(recorded);
}

thread_local! {
    static CLOCK_NANOS: Cell<u64> = const { Cell::new(0) };
}

/// A clock under the test's control: every reading is 1.5 µs after the previous one on
/// the same thread.
#[derive(Default)]
struct SteppingClock;

impl MonotonicClock for SteppingClock {
    fn now(&self) -> Duration {
        CLOCK_NANOS.with(|nanos| {
            nanos.set(nanos.get() + 1_500);
            Duration::from_nanos(nanos.get())
        })
    }
}

struct SteppingRuntime;

impl ActorRuntime for SteppingRuntime {
    type Clock = SteppingClock;
    type Tags = SpillingTags<4>;
}

#[test]
fn latencies_from_a_controlled_clock_can_be_shown() {
    let recorded = RecordingTelemetry::new().show_latencies(true);
    let telemetry = recorded.clone();
    let config = ActorSystemConfig::<SteppingRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(recorded.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut root = config.root_escalation_sink::<()>();
    root.handle(escalated_failure(FailureMetadata::default()), false)
        .expect("the root handles every failure");

    assert_eq!(
        recorded.events(),
        [
            MetricsEvent::TelemetryInvoked,
            MetricsEvent::TelemetryLatency(Duration::from_nanos(1_500))
        ]
    );
    insta::assert_snapshot!(recorded);
}
