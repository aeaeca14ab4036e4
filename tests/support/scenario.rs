//! The failures every metrics-integration test escalates through a real
//! `RootEscalationSink`, and the counts each backend must then export.

use escalation_telemetry::prelude::*;

/// Two tags per failure at most: a third is dropped and counted.
type Runtime = StdRuntime<BoundedTags<2>>;

/// The description that makes the telemetry hook panic.
const POISONED_HOOK: &str = "telemetry hook panics";
/// The description that makes the failure event handler panic.
const POISONED_HANDLER: &str = "handler panics";
/// The description that makes the failure event listener panic.
const POISONED_LISTENER: &str = "listener panics";

/// What the scenario must record, per instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expected {
    pub(crate) invocations: u64,
    /// A hook that panics records no latency.
    pub(crate) latency_samples: u64,
    pub(crate) panics: u64,
    pub(crate) tags_dropped: u64,
    pub(crate) handler_panics: u64,
    pub(crate) listener_panics: u64,
    /// Failures the storm policy kept from the hook.
    pub(crate) suppressed: u64,
}

pub(crate) const EXPECTED: Expected = Expected {
    invocations: 5,
    latency_samples: 4,
    panics: 1,
    tags_dropped: 3,
    handler_panics: 1,
    listener_panics: 1,
    suppressed: 2,
};

fn failure(
    actor: u64,
    description: &'static str,
    tags: &[(&'static str, &'static str)],
) -> FailureInfo<BoundedTags<2>> {
    let path = ActorPath::root().child(ActorId(1)).child(ActorId(actor));
    let metadata = tags.iter().fold(
        FailureMetadata::<BoundedTags<2>>::default(),
        |md, (k, v)| md.with_tag(*k, *v),
    );
    FailureInfo::new(
        ActorId(actor),
        path,
        ActorFailure::from_message(description),
    )
    .with_metadata(metadata)
    .escalate_to_parent()
}

/// Escalates seven failures to the root of an observed, timed, storm-limited (one hook
/// call per signature per hour) config recording into `metrics`: one clean (one tag
/// dropped), one whose telemetry hook panics, one whose handler panics, one whose
/// listener panics (two tags dropped), and a crash loop of three identical failures (one
/// delivered, two suppressed). Returns the sink's own counters, to cross-check the
/// backend.
pub(crate) fn escalate_failures(metrics: MetricsSinkShared) -> EscalationStats {
    let config = ActorSystemConfig::<Runtime>::new()
        .with_metrics_sink(metrics)
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| {
                assert!(
                    snapshot.description() != POISONED_HOOK,
                    "telemetry hook failed on purpose"
                );
            })
        })
        .observe()
        .capture_timing(true)
        .limit_storms(StormPolicy::new(1, std::time::Duration::from_secs(3600)))
        .with_failure_event_handler(|info| {
            assert!(
                info.failure.description() != POISONED_HANDLER,
                "handler failed on purpose"
            );
        })
        .with_failure_event_listener(|event| {
            let description = event.info().failure.description();
            assert!(
                description != POISONED_LISTENER,
                "listener failed on purpose"
            );
        })
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    let failures = [
        failure(
            2,
            "disk full",
            &[("component", "db"), ("endpoint", "/v1"), ("tenant", "acme")],
        ),
        failure(3, POISONED_HOOK, &[]),
        failure(4, POISONED_HANDLER, &[("component", "db")]),
        failure(
            5,
            POISONED_LISTENER,
            &[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")],
        ),
        failure(6, "crash loop", &[]),
        failure(6, "crash loop", &[]),
        failure(6, "crash loop", &[]),
    ];
    for failure in failures {
        root.handle(failure, false)
            .expect("the root handles every failure");
    }
    root.stats()
}
