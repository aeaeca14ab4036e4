//! Every valid way through the typestate compiles, ends in exactly
//! `ActorSystemConfig<R, Finalized>`, and builds a working sink.
#![cfg(feature = "std")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use escalation_telemetry::config::MetricsSet;
use escalation_telemetry::prelude::*;

fn failure() -> FailureInfo {
    FailureInfo::new(
        ActorId(3),
        ActorPath::root().child(ActorId(3)),
        ActorFailure::from_message("boom"),
    )
}

fn counting_hook(
    calls: &Arc<AtomicUsize>,
) -> impl Fn(&TelemetryContext<'_>) -> FailureTelemetryShared + Send + Sync + 'static {
    let calls = calls.clone();
    move |_ctx| {
        let calls = calls.clone();
        FailureTelemetryShared::from_fn(move |_snapshot| {
            calls.fetch_add(1, Ordering::Relaxed);
        })
    }
}

/// Escalates one failure through a fresh sink of `config`.
fn handle_one(config: &ActorSystemConfig<StdRuntime, Finalized>) {
    config
        .root_escalation_sink::<()>()
        .handle(failure(), false)
        .expect("handled");
}

fn metrics() -> (ArcShared<CountingMetricsSink>, MetricsSinkShared) {
    let counters = ArcShared::new(CountingMetricsSink::new());
    let shared = MetricsSinkShared::from_arc(counters.clone());
    (counters, shared)
}

#[test]
fn no_telemetry_finalizes_to_a_noop_sink() {
    let config: ActorSystemConfig<StdRuntime, Finalized> =
        ActorSystemConfig::<StdRuntime>::new().finalize();
    assert!(config.failure_telemetry().is_noop());
    assert!(config.observation_switch().is_none());
    let mut sink = config.root_escalation_sink::<()>();
    assert!(sink.handle(failure(), false).is_ok());
}

#[test]
fn default_is_the_same_as_new() {
    let config: ActorSystemConfig<StdRuntime> = ActorSystemConfig::default();
    let config: ActorSystemConfig<StdRuntime, Finalized> = config.finalize();
    assert!(config.metrics_sink().is_none());
}

#[test]
fn builder_without_observation_calls_the_hook_but_records_nothing() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (counters, shared) = metrics();
    let config: ActorSystemConfig<StdRuntime, Finalized> = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(shared)
        .with_failure_telemetry(counting_hook(&calls))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    sink.handle(failure(), false).expect("handled");
    assert_eq!(calls.load(Ordering::Relaxed), 1);
    assert_eq!(
        counters.totals().invocations,
        0,
        "not observed: nothing recorded"
    );
    assert!(!sink.is_observing());
}

#[test]
fn builder_may_come_before_or_after_the_metrics_sink() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (counters, shared) = metrics();
    let config: ActorSystemConfig<StdRuntime, Finalized> = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(counting_hook(&calls))
        .with_metrics_sink(shared)
        .observe()
        .finalize();
    handle_one(&config);
    assert_eq!(counters.totals().invocations, 1);
    assert_eq!(
        counters.totals().latency_samples,
        0,
        "timing was not requested"
    );
}

#[test]
fn the_metrics_sink_may_be_replaced_before_observe() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (first, first_shared) = metrics();
    let (second, second_shared) = metrics();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(first_shared)
        .with_failure_telemetry(counting_hook(&calls))
        .with_metrics_sink(second_shared)
        .observe()
        .finalize();
    handle_one(&config);
    assert_eq!(first.totals().invocations, 0);
    assert_eq!(second.totals().invocations, 1);
}

#[test]
fn observed_and_timed_records_invocation_and_latency() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (counters, shared) = metrics();
    let config: ActorSystemConfig<StdRuntime, Finalized> = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(shared)
        .with_failure_telemetry_builder(ArcShared::new(counting_hook(&calls)))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    for _ in 0..3 {
        sink.handle(failure(), false).expect("handled");
    }
    let totals = counters.totals();
    assert_eq!((totals.invocations, totals.latency_samples), (3, 3));
    assert_eq!(calls.load(Ordering::Relaxed), 3);
}

#[test]
fn capture_timing_can_be_turned_back_off() {
    let calls = Arc::new(AtomicUsize::new(0));
    let (counters, shared) = metrics();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(shared)
        .with_failure_telemetry(counting_hook(&calls))
        .observe()
        .capture_timing(true)
        .capture_timing(false)
        .finalize();
    handle_one(&config);
    assert_eq!(counters.totals().latency_samples, 0);
}

/// A runtime without a clock can still observe (counting only).
struct Clockless;

impl ActorRuntime for Clockless {
    type Clock = NoClock;
    type Tags = BoundedTags<2>;
}

#[test]
fn a_runtime_without_a_clock_observes_without_timing() {
    let (counters, shared) = metrics();
    let config: ActorSystemConfig<Clockless, Finalized> = ActorSystemConfig::<Clockless>::new()
        .with_metrics_sink(shared)
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::from_fn(|_s| {}))
        .observe()
        .finalize();
    let info = FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message("x"),
    )
    .with_metadata(FailureMetadata::<BoundedTags<2>>::default().with_tag("a", "1"));
    config
        .root_escalation_sink::<u8>()
        .handle(info, false)
        .expect("handled");
    assert_eq!(counters.totals().invocations, 1);
    assert_eq!(counters.totals().latency_samples, 0);
}

#[test]
fn the_builder_runs_once_at_finalize_and_sees_metrics_and_extensions() {
    struct Region(&'static str);
    let builds = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(std::sync::Mutex::new(None));
    let (_counters, shared) = metrics();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_extension(Region("eu-west"))
        .with_metrics_sink(shared.clone())
        .with_failure_telemetry({
            let builds = builds.clone();
            let seen = seen.clone();
            move |ctx| {
                builds.fetch_add(1, Ordering::Relaxed);
                let metrics_is_the_configured_one = ctx.metrics.is_some_and(|m| m.ptr_eq(&shared));
                *seen.lock().expect("not poisoned") = Some((
                    ctx.extensions.get::<Region>().map(|r| r.0),
                    metrics_is_the_configured_one,
                ));
                FailureTelemetryShared::noop()
            }
        })
        .finalize();
    assert_eq!(builds.load(Ordering::Relaxed), 1);
    let _first = config.root_escalation_sink::<()>();
    let _second = config.root_escalation_sink::<()>();
    assert_eq!(
        builds.load(Ordering::Relaxed),
        1,
        "sinks share the hook built at finalize"
    );
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        Some((Some("eu-west"), true))
    );
}

#[test]
fn handler_and_listener_may_be_set_at_any_stage_and_the_last_one_wins() {
    let first = Arc::new(AtomicUsize::new(0));
    let second = Arc::new(AtomicUsize::new(0));
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_event_handler({
            let first = first.clone();
            move |_info| {
                first.fetch_add(1, Ordering::Relaxed);
            }
        })
        .finalize()
        .with_failure_event_handler({
            let second = second.clone();
            move |_info| {
                second.fetch_add(1, Ordering::Relaxed);
            }
        });
    handle_one(&config);
    assert_eq!(
        (
            first.load(Ordering::Relaxed),
            second.load(Ordering::Relaxed)
        ),
        (0, 1)
    );
}

#[test]
fn from_config_is_the_same_as_root_escalation_sink() {
    let calls = Arc::new(AtomicUsize::new(0));
    let handled = Arc::new(AtomicUsize::new(0));
    let (counters, shared) = metrics();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(shared)
        .with_failure_telemetry(counting_hook(&calls))
        .observe()
        .limit_storms(StormPolicy::new(1, std::time::Duration::from_secs(3_600)))
        .with_failure_event_handler({
            let handled = handled.clone();
            move |_info| {
                handled.fetch_add(1, Ordering::Relaxed);
            }
        })
        .finalize();
    let mut from_config = RootEscalationSink::<(), StdRuntime>::from_config(&config);
    let mut from_method = config.root_escalation_sink::<()>();
    assert_eq!(from_config.is_observing(), from_method.is_observing());
    from_config.handle(failure(), false).expect("handled");
    from_method.handle(failure(), false).expect("handled");
    // Both sinks run the config's hook, observation and handler, and share its storm
    // table: the second failure of the signature, through the other sink, is suppressed.
    assert_eq!(calls.load(Ordering::Relaxed), 1);
    assert_eq!(handled.load(Ordering::Relaxed), 2);
    assert_eq!(counters.totals().invocations, 1);
    assert_eq!(counters.totals().suppressed, 1);
    assert_eq!(from_config.stats(), from_method.stats());
    assert_eq!(from_config.stats().telemetry_suppressed, 1);
}

/// Helpers generic over the stage carry the same bounds as the methods they call.
mod generic_helpers {
    use escalation_telemetry::config::diagnostics::{
        BuilderNotSet, NextWithBuilder, SinkReady, TelemetryOpen,
    };
    use escalation_telemetry::prelude::*;

    pub(super) fn with_noop_telemetry<S, N>(
        config: ActorSystemConfig<StdRuntime, S>,
    ) -> ActorSystemConfig<StdRuntime, N>
    where
        S: TelemetryOpen + BuilderNotSet + NextWithBuilder<Next = N>,
    {
        config.with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
    }

    pub(super) fn sink_of<S: SinkReady>(
        config: &ActorSystemConfig<StdRuntime, S>,
    ) -> RootEscalationSink<(), StdRuntime> {
        config.root_escalation_sink()
    }
}

#[test]
fn helpers_generic_over_the_stage_compile_with_the_rule_bounds() {
    let (counters, shared) = metrics();
    let with_builder: ActorSystemConfig<StdRuntime, WithBuilder<MetricsSet>> =
        generic_helpers::with_noop_telemetry(
            ActorSystemConfig::<StdRuntime>::new().with_metrics_sink(shared),
        );
    let config = with_builder.observe().finalize();
    let mut sink = generic_helpers::sink_of(&config);
    assert!(sink.is_observing());
    sink.handle(failure(), false).expect("handled");
    assert_eq!(
        counters.totals().invocations,
        1,
        "the generic sink observes the hook"
    );
}

#[test]
fn failures_in_another_storage_are_made_with_new_in() {
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let config = ActorSystemConfig::<StdRuntime<BoundedTags<8>>>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .finalize();
    let info = FailureInfo::<BoundedTags<8>>::new_in(
        ActorId(2),
        ActorPath::root().child(ActorId(2)),
        ActorFailure::from_message("x"),
    );
    let metadata = FailureMetadata::<BoundedTags<8>>::new_in().with_tag("k", "v");
    config
        .root_escalation_sink::<()>()
        .handle(info.with_metadata(metadata), false)
        .expect("handled");
    let seen = recording.snapshots();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].to_string(),
        r#"path=/2 actor=2 hops=0 description="x" tags=[k=v]"#
    );
}

#[test]
fn a_builder_from_the_helper_needs_no_annotation() {
    let builder = failure_telemetry_builder(|_ctx| FailureTelemetryShared::noop());
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry_builder(builder)
        .finalize();
    assert!(config.failure_telemetry().is_noop());
}
