//! The root path: `RootEscalationSink::handle` for one failure.
//!
//! `handle` consumes its `FailureInfo`, so each case is measured three ways: `clone`
//! (the clone of the failure alone), `handle` (handle alone, the input cloned outside
//! the timing with `iter_batched`) and `clone_handle` (both, what a caller that keeps
//! its failure pays). The drop of the failure happens inside `handle` and is counted.

mod common;

use std::hint::black_box;
use std::sync::Arc;

use common::{CountingHook, Observation, TagValues};
use criterion::{BatchSize, Criterion};
use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::TagStorage;

/// Measures `clone`, `handle` and `clone_handle` of `info` on a sink of `config`;
/// `true` when a measurement that calls the hook ran (a filtered run skips some).
fn case<T: TagStorage>(
    c: &mut Criterion,
    group: &str,
    name: &str,
    config: &ActorSystemConfig<common::Runtime<T>, Finalized>,
    info: &FailureInfo<T>,
) -> bool {
    let mut ran = false;
    let mut group = c.benchmark_group(group);
    group.bench_function(format!("{name}/clone"), |b| {
        b.iter(|| black_box(info).clone());
    });
    let mut sink = config.root_escalation_sink::<()>();
    group.bench_function(format!("{name}/handle"), |b| {
        ran = true;
        b.iter_batched(
            || info.clone(),
            |info| black_box(&mut sink).handle(black_box(info), false),
            BatchSize::SmallInput,
        );
    });
    group.bench_function(format!("{name}/clone_handle"), |b| {
        ran = true;
        b.iter(|| black_box(&mut sink).handle(black_box(info).clone(), false));
    });
    group.finish();
    ran
}

/// No-op telemetry, not observed: tag count, `'static` vs owned values, path depth,
/// bounded vs spilling storage.
fn shapes(c: &mut Criterion) {
    let spilling = common::config::<DefaultTags>(FailureTelemetryShared::noop(), Observation::None);
    for tags in [0, 4, 8] {
        let info = common::failure::<DefaultTags>(tags, TagValues::Static, 3);
        case(c, "root/tags", &format!("{tags}_static"), &spilling, &info);
    }
    for tags in [4, 8] {
        let info = common::failure::<DefaultTags>(tags, TagValues::Owned, 3);
        case(c, "root/tags", &format!("{tags}_owned"), &spilling, &info);
    }
    for depth in [1, 3, 8] {
        let info = common::failure::<DefaultTags>(4, TagValues::Static, depth);
        case(c, "root/depth", &format!("{depth}"), &spilling, &info);
    }
    let bounded =
        common::config::<BoundedTags<4>>(FailureTelemetryShared::noop(), Observation::None);
    let info = common::failure::<BoundedTags<4>>(4, TagValues::Static, 3);
    case(c, "root/storage", "bounded_4_static", &bounded, &info);
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    case(c, "root/storage", "spilling_4_static", &spilling, &info);
}

/// 4 `'static` tags, depth 3: no-op and counting hook, each observation mode, and the
/// full setup with a failure event handler and listener.
fn observation(c: &mut Criterion) {
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let counting = Arc::new(CountingHook::default());
    let hooks = [
        ("noop", FailureTelemetryShared::noop()),
        ("counting", FailureTelemetryShared::from(counting.clone())),
    ];
    let mut counting_ran = false;
    for (hook, telemetry) in hooks {
        for observation in Observation::ALL {
            let config = common::config::<DefaultTags>(telemetry.clone(), observation);
            let name = format!("{hook}/{}", observation.name());
            let ran = case(c, "root/observation", &name, &config, &info);
            counting_ran |= ran && hook == "counting";
        }
    }
    // A filtered run may skip every counting case: check the hook only when one ran.
    assert!(
        !counting_ran || counting.calls() > 0,
        "the counting hook was called"
    );

    let config = common::config::<DefaultTags>(FailureTelemetryShared::noop(), Observation::None)
        .with_failure_event_handler(|info| {
            black_box(info);
        })
        .with_failure_event_listener(|event| {
            black_box(event);
        });
    case(
        c,
        "root/observation",
        "noop/handler_listener",
        &config,
        &info,
    );
}

/// A hook that walks every tag it is shown, not observed, 4 `'static` tags: without and
/// with 3 system tags (one overridden by the failure). The snapshot borrows the
/// config's shared slice; what grows is the walk.
fn system_tags(c: &mut Criterion) {
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let walking = || {
        FailureTelemetryShared::from_fn(|snapshot: &FailureSnapshot<'_>| {
            black_box(snapshot.all_tags().count());
        })
    };
    let plain = common::config::<DefaultTags>(walking(), Observation::None);
    case(c, "root/system_tags", "none", &plain, &info);
    let tagged = ActorSystemConfig::<common::Runtime<DefaultTags>>::new()
        .with_system_tag(key!("service"), "orders")
        .with_system_tag(key!("component"), "overridden")
        .with_system_tag(key!("node"), "node-7")
        .with_metrics_sink(MetricsSinkShared::new(CountingMetricsSink::new()))
        .with_failure_telemetry(move |_ctx| walking())
        .finalize();
    case(c, "root/system_tags", "3_system", &tagged, &info);
}

fn main() {
    common::run(&[shapes, system_tags, observation]);
}
