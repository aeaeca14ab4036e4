//! Fixtures shared by the benchmarks: hooks, failures, configs and the criterion
//! settings, so that every bench file measures the same things the same way.
//!
//! Each bench file includes this module with `mod common;` and uses only part of it.
#![allow(
    dead_code,
    reason = "each bench file uses a different subset of the shared fixtures"
)]

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::Criterion;
use escalation_telemetry::prelude::*;

/// The runtime the benchmarks use: `StdRuntime` as an application would, or, without
/// the `std` feature (`clippy --no-default-features` builds the benches too), a runtime
/// with an `Instant` clock so the same benches exercise the no_std code path.
#[cfg(feature = "std")]
pub(crate) type Runtime<T> = StdRuntime<T>;
#[cfg(not(feature = "std"))]
pub(crate) type Runtime<T> = no_std_runtime::BenchRuntime<T>;

/// The clock `with_ref_observed_by` and the observer are timed with.
#[cfg(feature = "std")]
pub(crate) type Clock = StdClock;
#[cfg(not(feature = "std"))]
pub(crate) type Clock = no_std_runtime::InstantClock;

#[cfg(not(feature = "std"))]
mod no_std_runtime {
    use std::marker::PhantomData;
    use std::time::{Duration, Instant};

    use escalation_telemetry::prelude::*;
    use escalation_telemetry::tags::TagStorage;

    /// `Instant` since the clock was made: what `StdClock` does with `std`.
    #[derive(Debug, Clone, Copy)]
    pub(crate) struct InstantClock(Instant);

    impl Default for InstantClock {
        fn default() -> Self {
            Self(Instant::now())
        }
    }

    impl MonotonicClock for InstantClock {
        fn now(&self) -> Duration {
            self.0.elapsed()
        }
    }

    /// A runtime for the no_std build of the library (the bench binary has std).
    pub(crate) struct BenchRuntime<T>(PhantomData<fn() -> T>);

    impl<T: TagStorage> ActorRuntime for BenchRuntime<T> {
        type Clock = InstantClock;
        type Tags = T;
    }
}

/// Short warm-up and measurement (the machine is shared: ratios within one run are
/// what the docs report), with enough samples for a stable median.
pub(crate) fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(100)
}

/// Runs `targets` with [`criterion()`] and the command line's options (what
/// `criterion_group!`/`criterion_main!` do, without their undocumented public items).
pub(crate) fn run(targets: &[fn(&mut Criterion)]) {
    let mut c = criterion().configure_from_args();
    for target in targets {
        target(&mut c);
    }
    c.final_summary();
}

/// A hook that does real but minimal work: one relaxed atomic increment.
#[derive(Debug, Default)]
pub(crate) struct CountingHook {
    calls: AtomicU64,
}

impl CountingHook {
    pub(crate) fn calls(&self) -> u64 {
        self.calls.load(Ordering::Relaxed)
    }
}

impl FailureTelemetry for CountingHook {
    #[inline]
    fn on_failure(&self, _snapshot: &FailureSnapshot<'_>) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }
}

/// A metrics sink that drops every event: observing into it measures the observation
/// machinery alone, without the cost of a real sink's atomics.
#[derive(Debug, Default)]
pub(crate) struct NullMetricsSink;

impl MetricsSink for NullMetricsSink {
    // Called through `dyn MetricsSink`, so the call itself cannot be optimised away. The
    // event is not `black_box`ed: copying it out would add a store-forwarding stall
    // that no real sink pays (they read the discriminant first).
    fn record(&self, _event: MetricsEvent) {}
}

/// How the tag values of a bench failure are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagValues {
    /// `&'static str`: borrowed, never copied.
    Static,
    /// `String`: one heap allocation per value (and per clone).
    Owned,
}

const KEYS: [&str; 8] = [
    "component",
    "endpoint",
    "transport",
    "tenant",
    "region",
    "shard",
    "node",
    "request",
];
const VALUES: [&str; 8] = [
    "storage",
    "/v1/orders",
    "grpc",
    "acme",
    "eu-west-1",
    "7",
    "node-3",
    "r-42",
];

/// A path of `depth` segments: `/1/2/../depth`.
pub(crate) fn path(depth: usize) -> ActorPath {
    (1..=depth as u64).map(ActorId).collect()
}

/// A failure at `depth` with `tags` tags (up to 8), escalated once, in storage `T`.
pub(crate) fn failure<T: escalation_telemetry::tags::TagStorage>(
    tags: usize,
    values: TagValues,
    depth: usize,
) -> FailureInfo<T> {
    assert!(tags <= KEYS.len(), "at most {} bench tags", KEYS.len());
    let metadata: FailureMetadata<T> = KEYS
        .iter()
        .zip(VALUES)
        .take(tags)
        .map(|(&key, value)| {
            let value: Cow<'static, str> = match values {
                TagValues::Static => Cow::Borrowed(value),
                TagValues::Owned => Cow::Owned(value.to_owned()),
            };
            (key, value)
        })
        .collect();
    let path = path(depth);
    let actor = path.leaf().unwrap_or(ActorId(0));
    FailureInfo::new(actor, path, ActorFailure::from_message("disk full"))
        .with_metadata(metadata)
        .escalate_to_parent()
}

/// How the telemetry call of a bench config is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Observation {
    /// Not observed: no `observe()`.
    None,
    /// Observed, with the run-time switch turned off.
    SwitchedOff,
    /// Observed: counts invocations.
    Counting,
    /// Observed: counts invocations and records latency.
    Timing,
}

impl Observation {
    pub(crate) const ALL: [Self; 4] = [Self::None, Self::SwitchedOff, Self::Counting, Self::Timing];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::None => "not_observed",
            Self::SwitchedOff => "observed_switched_off",
            Self::Counting => "observed_counting",
            Self::Timing => "observed_timing",
        }
    }
}

/// A finalized config whose builder returns `telemetry`, observed as asked, with a
/// `CountingMetricsSink`.
pub(crate) fn config<T: escalation_telemetry::tags::TagStorage>(
    telemetry: FailureTelemetryShared,
    observation: Observation,
) -> ActorSystemConfig<Runtime<T>, Finalized> {
    let with_builder = ActorSystemConfig::<Runtime<T>>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .with_failure_telemetry(move |_ctx| telemetry.clone());
    let config = match observation {
        Observation::None => return with_builder.finalize(),
        Observation::SwitchedOff | Observation::Counting => with_builder.observe().finalize(),
        Observation::Timing => with_builder.observe().capture_timing(true).finalize(),
    };
    if observation == Observation::SwitchedOff
        && let Some(switch) = config.observation_switch()
    {
        switch.disable();
    }
    config
}
