//! Hook dispatch: what one telemetry call costs through each way of making it.
//!
//! Groups `dispatch/noop` and `dispatch/counting` (a hook that bumps an atomic): the
//! direct call is the baseline; `static_typed` (`TypedFailureTelemetry::with_ref`),
//! `shared_with_ref` (`FailureTelemetryShared::with_ref`), the `with_ref_observed`
//! variants and the observer variants (`FailureTelemetryObserver::call`, as the root
//! sink calls it, and `call_typed`) are compared with it and with each other in
//! docs/performance.md. Group `clock` measures two clock reads, the
//! budget of a timed observation.

mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use common::{Clock, CountingHook, NullMetricsSink, TagValues};
use criterion::Criterion;
use escalation_telemetry::prelude::*;

/// The observation configs of `with_ref_observed`: `metrics: None`, counting, timing.
fn observation_configs() -> [(&'static str, FailureTelemetryObservationConfig); 3] {
    let metrics = MetricsSinkShared::new(CountingMetricsSink::new());
    [
        (
            "with_ref_observed_metrics_none",
            FailureTelemetryObservationConfig::default(),
        ),
        (
            "with_ref_observed_counting",
            FailureTelemetryObservationConfig {
                metrics: Some(metrics.clone()),
                capture_timing: false,
            },
        ),
        (
            "with_ref_observed_timing",
            FailureTelemetryObservationConfig {
                metrics: Some(metrics),
                capture_timing: true,
            },
        ),
    ]
}

/// Observers as a root sink holds them: switched off, counting, timing, into a
/// `CountingMetricsSink`; and counting and timing into a sink that drops every event
/// (`null_sink`: the observation machinery without a real sink's atomics).
fn observers() -> Vec<(&'static str, FailureTelemetryObserver<Clock>)> {
    let counting = MetricsSinkShared::new(CountingMetricsSink::new());
    let null = MetricsSinkShared::new(NullMetricsSink);
    let observer = |metrics: &MetricsSinkShared, timing: bool, on: bool| {
        FailureTelemetryObserver::new(
            metrics.clone(),
            timing,
            ObservationSwitch::new(on),
            Clock::default(),
        )
    };
    vec![
        ("observer_switched_off", observer(&counting, true, false)),
        ("observer_counting", observer(&counting, false, true)),
        ("observer_timing", observer(&counting, true, true)),
        ("observer_counting_null_sink", observer(&null, false, true)),
        ("observer_timing_null_sink", observer(&null, true, true)),
    ]
}

/// Every way of calling `hook`, in one group named `name`.
fn dispatch_group<H: FailureTelemetry + 'static>(c: &mut Criterion, name: &str, hook: Arc<H>) {
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let snapshot = info.snapshot();
    let typed = TypedFailureTelemetry::from_arc(hook.clone());
    let shared = typed.to_shared();
    let mut group = c.benchmark_group(format!("dispatch/{name}"));

    group.bench_function("direct", |b| {
        let hook: &H = &hook;
        b.iter(|| black_box(hook).on_failure(black_box(&snapshot)));
    });
    group.bench_function("static_typed", |b| {
        b.iter(|| black_box(&typed).with_ref(|t| t.on_failure(black_box(&snapshot))));
    });
    group.bench_function("shared_with_ref", |b| {
        b.iter(|| black_box(&shared).with_ref(|t| t.on_failure(black_box(&snapshot))));
    });
    #[cfg(not(feature = "std"))]
    let clock = Clock::default();
    for (name, cfg) in observation_configs() {
        group.bench_function(name, |b| {
            // The RFC's call (timed by `StdClock::process()`); without `std` it has no
            // clock, so the same clock as the observers is passed explicitly.
            #[cfg(feature = "std")]
            b.iter(|| {
                black_box(&shared).with_ref_observed(black_box(&cfg), |t| {
                    t.on_failure(black_box(&snapshot));
                });
            });
            #[cfg(not(feature = "std"))]
            b.iter(|| {
                black_box(&shared).with_ref_observed_by(black_box(&cfg), &clock, |t| {
                    t.on_failure(black_box(&snapshot));
                });
            });
        });
    }
    for (name, observer) in observers() {
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(&observer)
                    .call(black_box(&shared), |t| t.on_failure(black_box(&snapshot)));
            });
        });
        group.bench_function(format!("typed_{name}"), |b| {
            b.iter(|| {
                black_box(&observer)
                    .call_typed(black_box(&typed), |t| t.on_failure(black_box(&snapshot)));
            });
        });
    }
    group.finish();
}

fn dispatch(c: &mut Criterion) {
    dispatch_group(c, "noop", Arc::new(NoopFailureTelemetry));
    let counting = Arc::new(CountingHook::default());
    dispatch_group(c, "counting", counting.clone());
    assert!(counting.calls() > 0, "the counting hook was called");
}

fn clock(c: &mut Criterion) {
    let mut group = c.benchmark_group("clock");
    group.bench_function("two_instant_now", |b| {
        b.iter(|| {
            black_box(Instant::now());
            black_box(Instant::now());
        });
    });
    let runtime_clock = Clock::default();
    group.bench_function("two_runtime_clock_reads", |b| {
        b.iter(|| {
            black_box(black_box(&runtime_clock).now());
            black_box(black_box(&runtime_clock).now());
        });
    });
    group.finish();
}

fn main() {
    common::run(&[dispatch, clock]);
}
