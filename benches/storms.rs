//! The storm gate on the root path: `RootEscalationSink::handle` for one failure (4
//! `'static` tags, depth 3, no-op hook, not observed) without a storm policy, with one
//! that delivers the failure, and with one that suppresses it.
//!
//! `cargo bench --bench storms -- storms --warm-up-time 1 --measurement-time 2`

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::TagValues;
use criterion::{BatchSize, Criterion};
use escalation_telemetry::prelude::*;

/// A finalized config with a no-op hook and, if given, a storm policy.
fn config(
    policy: Option<StormPolicy>,
) -> ActorSystemConfig<common::Runtime<DefaultTags>, Finalized> {
    let with_builder = ActorSystemConfig::<common::Runtime<DefaultTags>>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop());
    match policy {
        Some(policy) => with_builder.limit_storms(policy).finalize(),
        None => with_builder.finalize(),
    }
}

fn storms(c: &mut Criterion) {
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let cases = [
        ("no_policy", None),
        // The burst is never used up within a 1 ms window: every failure is delivered.
        (
            "delivered",
            Some(StormPolicy::new(u32::MAX, Duration::from_millis(1))),
        ),
        // One delivery per hour: every measured failure is suppressed.
        (
            "suppressed",
            Some(StormPolicy::new(1, Duration::from_secs(3600))),
        ),
    ];
    let mut group = c.benchmark_group("storms");
    for (name, policy) in cases {
        let config = config(policy);
        let mut sink = config.root_escalation_sink::<()>();
        group.bench_function(format!("{name}/handle"), |b| {
            b.iter_batched(
                || info.clone(),
                |info| black_box(&mut sink).handle(black_box(info), false).is_ok(),
                BatchSize::SmallInput,
            );
        });
        let stats = sink.stats();
        match name {
            "delivered" | "no_policy" => assert_eq!(stats.telemetry_suppressed, 0),
            _ => assert!(
                stats.telemetry_suppressed > 0,
                "the failures were suppressed"
            ),
        }
    }
    group.finish();
}

fn main() {
    common::run(&[storms]);
}
