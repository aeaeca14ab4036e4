//! Setup: what `finalize()` costs (it calls the telemetry builder once), the whole
//! builder chain, and building a root escalation sink from a finalized config. These
//! run once per actor system, not per failure.

mod common;

use std::hint::black_box;

use common::Runtime;
use criterion::{BatchSize, Criterion};
use escalation_telemetry::prelude::*;

/// The chain of the crate docs up to `observe()`: metrics sink, builder, observation.
fn observed() -> ActorSystemConfig<Runtime<DefaultTags>, Observed> {
    ActorSystemConfig::<Runtime<DefaultTags>>::new()
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe()
}

fn setup(c: &mut Criterion) {
    let mut group = c.benchmark_group("setup");
    group.bench_function("finalize", |b| {
        let config = observed().capture_timing(true);
        b.iter_batched(
            || config.clone(),
            |config| black_box(config).finalize(),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("finalize_with_a_counting_hook", |b| {
        let config = ActorSystemConfig::<Runtime<DefaultTags>>::new()
            .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
            .with_failure_telemetry(|_ctx| {
                FailureTelemetryShared::new(common::CountingHook::default())
            })
            .observe();
        b.iter_batched(
            || config.clone(),
            |config| black_box(config).finalize(),
            BatchSize::SmallInput,
        );
    });
    group.bench_function("new_to_finalize", |b| {
        b.iter(|| observed().capture_timing(black_box(true)).finalize());
    });
    group.bench_function("root_escalation_sink", |b| {
        let config = observed().capture_timing(true).finalize();
        b.iter(|| black_box(&config).root_escalation_sink::<()>());
    });
    group.finish();
}

fn main() {
    common::run(&[setup]);
}
