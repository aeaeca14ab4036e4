//! The failures every metrics-integration test escalates through a real
//! `RootEscalationSink`, and the counts each backend must then export.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use escalation_telemetry::config::failure_telemetry_builder;
use escalation_telemetry::prelude::*;

/// Two tags per failure at most (a third is dropped and counted), and a clock that
/// panics once.
struct Runtime;

impl ActorRuntime for Runtime {
    type Clock = PanicsOnThirdReading;
    type Tags = BoundedTags<2>;
}

/// `StdClock`, except that its third reading panics: the start of the second failure's
/// (the poisoned hook's) call, which then goes untimed. That call panics anyway, so
/// the latency count is the same as with a sound clock.
#[derive(Debug, Default)]
struct PanicsOnThirdReading {
    clock: StdClock,
    readings: AtomicU64,
}

impl MonotonicClock for PanicsOnThirdReading {
    fn now(&self) -> Duration {
        assert!(
            self.readings.fetch_add(1, Ordering::Relaxed) != 2,
            "clock failed on purpose"
        );
        self.clock.now()
    }
}

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
    pub(crate) clock_panics: u64,
    pub(crate) builder_panics: u64,
    /// Failures the storm policy kept from the hook.
    pub(crate) suppressed: u64,
}

impl Expected {
    /// Each counter instrument's name with the count it must export.
    pub(crate) fn counters(&self) -> [(&'static str, u64); 8] {
        [
            ("escalation_telemetry_invocations_total", self.invocations),
            ("escalation_telemetry_panics_total", self.panics),
            ("escalation_telemetry_tags_dropped_total", self.tags_dropped),
            (
                "escalation_telemetry_handler_panics_total",
                self.handler_panics,
            ),
            (
                "escalation_telemetry_listener_panics_total",
                self.listener_panics,
            ),
            ("escalation_telemetry_clock_panics_total", self.clock_panics),
            (
                "escalation_telemetry_builder_panics_total",
                self.builder_panics,
            ),
            ("escalation_telemetry_suppressed_total", self.suppressed),
        ]
    }
}

pub(crate) const EXPECTED: Expected = Expected {
    invocations: 5,
    latency_samples: 4,
    panics: 1,
    tags_dropped: 3,
    handler_panics: 1,
    listener_panics: 1,
    // The observer's clock (the poisoned hook's start) and the storm gate's own clock
    // (its third reading: the poisoned handler's failure, which then reaches the hook
    // unlimited).
    clock_panics: 2,
    builder_panics: 1,
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

/// Escalates four failures to the root of an observed, timed config recording into
/// `metrics`: one clean (one tag dropped), one whose telemetry hook panics (and whose
/// clock reading panics before it), one whose handler panics, one whose listener panics
/// (two tags dropped), then a crash loop of three identical failures that the storm
/// policy (one hook call per signature per hour) lets through once; before them, a
/// builder given to `apply_builder` panics. Returns the sink's own counters, to
/// cross-check the backend.
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
        .limit_storms(StormPolicy::new(1, Duration::from_secs(3600)))
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
    let panicking_builder =
        failure_telemetry_builder(|_ctx| panic!("telemetry builder failed on purpose"));
    root.apply_builder(&config.telemetry_context(), &*panicking_builder);

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

/// [`escalate_failures`] into an [`OpenTelemetryMetricsSink`] on a meter of `provider`,
/// then flushes the provider so that its exporter has every value.
///
/// [`OpenTelemetryMetricsSink`]: escalation_telemetry::integrations::opentelemetry::OpenTelemetryMetricsSink
#[cfg(feature = "opentelemetry")]
pub(crate) fn escalate_into_meter_provider(
    provider: &opentelemetry_sdk::metrics::SdkMeterProvider,
) -> EscalationStats {
    use escalation_telemetry::integrations::opentelemetry::OpenTelemetryMetricsSink;
    use opentelemetry::metrics::MeterProvider as _;

    let meter = provider.meter("escalation-telemetry-test");
    let stats = escalate_failures(MetricsSinkShared::new(OpenTelemetryMetricsSink::new(
        &meter,
    )));
    provider
        .force_flush()
        .expect("the SDK flushes to its exporter");
    stats
}
