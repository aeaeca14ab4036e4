//! The storm gate on the root path: `RootEscalationSink::handle` for one failure (4
//! `'static` tags, depth 3, no-op hook, not observed) without a storm policy, with one
//! that delivers the failure, and with one that suppresses it.
//!
//! The gate reads the runtime's clock once per failure. With `StdRuntime` that is
//! `FastClock`'s coarse reading for a window of 100 ms (`delivered`, `suppressed`:
//! `CLOCK_MONOTONIC_COARSE` on Linux) and its exact reading for a 1 ms window
//! (`delivered_short_window`); the `tick_clock` cases use a runtime whose clock is one
//! atomic load (an embedded tick counter), which shows the gate's own cost apart from
//! the clock's.
//!
//! `cargo bench --bench storms -- storms --warm-up-time 1 --measurement-time 2`

mod common;

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use common::TagValues;
use criterion::{BatchSize, Criterion};
use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::TagStorage;

/// A tick counter (microseconds) that a timer would advance; the bench advances it by
/// one window outside the measurement before each failure, so that the burst of the
/// `delivered` policy is never used up.
static TICKS: AtomicU64 = AtomicU64::new(0);

/// A clock that costs one relaxed load.
#[derive(Debug, Default)]
struct TickClock;

impl MonotonicClock for TickClock {
    fn now(&self) -> Duration {
        Duration::from_micros(TICKS.load(Ordering::Relaxed))
    }
}

/// A runtime with the [`TickClock`].
struct TickRuntime;

impl ActorRuntime for TickRuntime {
    type Clock = TickClock;
    type Tags = DefaultTags;
}

/// A finalized config with a no-op hook and, if given, a storm policy.
fn config<R>(policy: Option<StormPolicy>) -> ActorSystemConfig<R, Finalized>
where
    R: ActorRuntime,
    R::Clock: MonotonicClock,
{
    let with_builder =
        ActorSystemConfig::<R>::new().with_failure_telemetry(|_ctx| FailureTelemetryShared::noop());
    match policy {
        Some(policy) => with_builder.limit_storms(policy).finalize(),
        None => with_builder.finalize(),
    }
}

/// The burst (lowered to `MAX_STORM_BURST`, 16.7 million) is never used up within a
/// 100 ms window: every failure is delivered. 100 ms is long enough for `StdRuntime`'s
/// coarse clock (Linux's tick is 1 to 4 ms; a window of 25 ticks or more reads it).
fn delivering() -> Option<StormPolicy> {
    Some(StormPolicy::new(u32::MAX, Duration::from_millis(100)))
}

/// The same with a 1 ms window: too short for the coarse clock, so the gate reads the
/// exact one.
fn delivering_short_window() -> Option<StormPolicy> {
    Some(StormPolicy::new(u32::MAX, Duration::from_millis(1)))
}

/// One delivery per hour: every measured failure is suppressed.
fn suppressing() -> Option<StormPolicy> {
    Some(StormPolicy::new(1, Duration::from_secs(3600)))
}

/// How a case is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// `handle` alone, the input cloned outside the timing (`iter_batched`, which also
    /// advances the tick clock by one window per failure).
    Handle,
    /// Also `clone` + `handle` (`iter`): no batching, so the figure is steadier; the
    /// clone costs every case the same, so differences between cases are the gate's.
    /// Only for clocks that advance by themselves.
    AlsoCloneHandle,
}

/// Measures `handle` of `info` on a sink of `config`, then checks what the gate did.
fn case<R: ActorRuntime<Tags = T>, T: TagStorage>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    config: &ActorSystemConfig<R, Finalized>,
    info: &FailureInfo<T>,
    suppresses: bool,
    measure: Measure,
) {
    let mut sink = config.root_escalation_sink::<()>();
    let mut ran = false;
    group.bench_function(format!("{name}/handle"), |b| {
        ran = true;
        b.iter_batched(
            || {
                TICKS.fetch_add(1_000, Ordering::Relaxed);
                info.clone()
            },
            |info| black_box(&mut sink).handle(black_box(info), false).is_ok(),
            BatchSize::SmallInput,
        );
    });
    if measure == Measure::AlsoCloneHandle {
        group.bench_function(format!("{name}/clone_handle"), |b| {
            ran = true;
            b.iter(|| black_box(&mut sink).handle(black_box(info).clone(), false));
        });
    }
    // A filtered run skips some cases: only a case that ran is checked.
    if ran {
        assert_eq!(sink.stats().telemetry_suppressed > 0, suppresses, "{name}");
    }
}

fn storms(c: &mut Criterion) {
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let mut group = c.benchmark_group("storms");
    type Std = common::Runtime<DefaultTags>;
    let both = Measure::AlsoCloneHandle;
    case(
        &mut group,
        "no_policy",
        &config::<Std>(None),
        &info,
        false,
        both,
    );
    case(
        &mut group,
        "delivered",
        &config::<Std>(delivering()),
        &info,
        false,
        both,
    );
    case(
        &mut group,
        "delivered_short_window",
        &config::<Std>(delivering_short_window()),
        &info,
        false,
        both,
    );
    case(
        &mut group,
        "suppressed",
        &config::<Std>(suppressing()),
        &info,
        true,
        both,
    );
    // What one reading of each clock costs on its own: `Instant` (`StdClock`), and
    // `FastClock` (`StdRuntime`'s), exact and coarse.
    let clock = common::Clock::default();
    group.bench_function("std_clock/now", |b| b.iter(|| black_box(&clock).now()));
    #[cfg(feature = "std")]
    {
        let fast = FastClock::new();
        group.bench_function("fast_clock/now", |b| b.iter(|| black_box(&fast).now()));
        group.bench_function("fast_clock/now_coarse", |b| {
            b.iter(|| black_box(&fast).now_coarse())
        });
    }
    let tick = |policy| config::<TickRuntime>(policy);
    case(
        &mut group,
        "tick_clock/delivered",
        &tick(delivering()),
        &info,
        false,
        Measure::Handle,
    );
    case(
        &mut group,
        "tick_clock/suppressed",
        &tick(suppressing()),
        &info,
        true,
        Measure::Handle,
    );
    group.finish();
}

fn main() {
    common::run(&[storms]);
}
