//! The crate built without `std` (`cargo test --no-default-features --test
//! no_std_runtime`), driven by a custom runtime with its own `MonotonicClock` and bounded
//! tags: the same guarantees as with `std`, except that panics are not caught.
//!
//! The library is `#![no_std]` either way; only this test harness uses `std` (threads,
//! `catch_unwind`) to exercise it. Without `std` the crate has no `catch_unwind`: on
//! `no_std` targets a panic goes to the target's `#[panic_handler]`, which usually halts
//! or resets (and `panic = "abort"` is common), so there is no unwinding to catch. The
//! last test shows what that means: a panicking hook's panic leaves `handle`.
#![cfg(not(feature = "std"))]

mod support {
    pub(crate) mod panics;
}

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::TagStorage;
use support::panics::{intentional_panic, silence_intentional_panics};

/// Ticks of a hardware-like counter: each reading advances it by one microsecond.
/// Only `the_root_path_runs_in_order_and_is_timed_by_the_runtimes_clock` reads it.
static TICKS: AtomicU64 = AtomicU64::new(0);

/// The runtime's own clock (a cycle counter on a real target).
#[derive(Debug, Default)]
struct TickClock;

impl MonotonicClock for TickClock {
    fn now(&self) -> Duration {
        Duration::from_micros(TICKS.fetch_add(1, Ordering::SeqCst))
    }
}

/// An embedded runtime: its own clock, bounded tags.
struct Embedded;

impl ActorRuntime for Embedded {
    type Clock = TickClock;
    type Tags = BoundedTags<4>;
}

/// A runtime without a clock: observation counts calls but cannot time them.
struct Clockless;

impl ActorRuntime for Clockless {
    type Clock = NoClock;
    type Tags = BoundedTags<4>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Telemetry(u64),
    Handler(u64),
    Listener(u64),
}

type Journal = ArcShared<Mutex<Vec<Step>>>;

fn record(journal: &Journal, step: Step) {
    journal.lock().expect("journal lock").push(step);
}

fn failure(id: u64) -> FailureInfo {
    FailureInfo::new(
        ActorId(id),
        ActorPath::root().child(ActorId(1)).child(ActorId(id)),
        ActorFailure::from_message("sensor timeout"),
    )
}

/// An observed config whose three steps write to `journal`.
fn observed<R: ActorRuntime<Tags = BoundedTags<4>>>(
    metrics: &ArcShared<CountingMetricsSink>,
    journal: &Journal,
) -> ActorSystemConfig<R, Observed> {
    let hook_journal = journal.clone();
    ActorSystemConfig::<R>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let journal = hook_journal.clone();
            FailureTelemetryShared::from_fn(move |s| record(&journal, Step::Telemetry(s.actor().0)))
        })
        .observe()
}

fn with_handler_and_listener<R: ActorRuntime<Tags = BoundedTags<4>>>(
    config: ActorSystemConfig<R, Finalized>,
    journal: &Journal,
) -> ActorSystemConfig<R, Finalized> {
    let (handler_journal, listener_journal) = (journal.clone(), journal.clone());
    config
        .with_failure_event_handler(move |info| {
            record(&handler_journal, Step::Handler(info.actor.0))
        })
        .with_failure_event_listener(move |event| {
            record(&listener_journal, Step::Listener(event.info().actor.0));
        })
}

#[test]
fn without_std_the_default_tag_storage_is_bounded() {
    let metadata: FailureMetadata = (0..DEFAULT_TAG_CAPACITY + 3)
        .map(|i| (format!("k{i}"), "v"))
        .collect();
    assert_eq!(metadata.tags().len(), DEFAULT_TAG_CAPACITY);
    assert_eq!(metadata.dropped_tags(), 3);
    // Without `std`, `DefaultTags` is `BoundedTags<DEFAULT_TAG_CAPACITY>` (this line
    // only compiles so).
    let storage: &BoundedTags<DEFAULT_TAG_CAPACITY> = metadata.storage();
    assert_eq!(storage.as_slice(), metadata.tags());
}

#[test]
fn the_root_path_runs_in_order_and_is_timed_by_the_runtimes_clock() {
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let journal = Journal::default();
    let config = with_handler_and_listener(
        observed::<Embedded>(&metrics, &journal)
            .capture_timing(true)
            .finalize(),
        &journal,
    );
    let mut sink = config.root_escalation_sink::<()>();
    let ticks_before = TICKS.load(Ordering::SeqCst);

    for id in 0..100 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    let expected: Vec<Step> = (0..100)
        .flat_map(|id| [Step::Telemetry(id), Step::Handler(id), Step::Listener(id)])
        .collect();
    assert_eq!(*journal.lock().expect("journal lock"), expected);
    let totals = metrics.totals();
    assert_eq!(totals.invocations, 100);
    assert_eq!(totals.latency_samples, 100);
    // Two readings of the runtime's clock per call, one tick apart: the latency came
    // from `TickClock`, not from any std clock.
    assert_eq!(TICKS.load(Ordering::SeqCst) - ticks_before, 200);
    assert_eq!(totals.latency_total, Duration::from_micros(100));
}

#[test]
fn a_runtime_without_a_clock_is_observed_without_timing() {
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let journal = Journal::default();
    let config = with_handler_and_listener(
        observed::<Clockless>(&metrics, &journal).finalize(),
        &journal,
    );
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));

    assert_eq!(metrics.totals().invocations, 1);
    assert_eq!(metrics.totals().latency_samples, 0);
    assert_eq!(journal.lock().expect("journal lock").len(), 3);
}

#[test]
fn bounded_tags_beyond_capacity_are_dropped_counted_and_reported_when_observed() {
    let metadata = FailureMetadata::new()
        .with_component("imu")
        .with_endpoint("i2c-1")
        .with_transport("i2c")
        .with_tag("board", "rev-b")
        .with_tag("overflow-1", "x")
        .with_tag("", "empty key");
    assert_eq!(metadata.tags().len(), 4);
    assert_eq!(metadata.dropped_tags(), 2);

    let metrics = ArcShared::new(CountingMetricsSink::new());
    let journal = Journal::default();
    let config = observed::<Embedded>(&metrics, &journal).finalize();
    let switch = config.observation_switch().expect("observed");
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(
        sink.handle(failure(1).with_metadata(metadata.clone()), false),
        Ok(())
    );
    assert_eq!(sink.stats().tags_dropped, 2);
    assert_eq!(metrics.totals().tags_dropped, 2);

    switch.disable();
    assert_eq!(
        sink.handle(failure(2).with_metadata(metadata), false),
        Ok(())
    );
    assert_eq!(sink.stats().tags_dropped, 4, "counted whatever the switch");
    assert_eq!(
        metrics.totals().tags_dropped,
        2,
        "reported only while observed"
    );
    assert_eq!(metrics.totals().invocations, 1);
}

#[test]
fn hops_saturate_and_the_line_stays_one_line() {
    let mut info = FailureInfo::new(
        ActorId(3),
        (0..1_000).map(ActorId).collect(),
        ActorFailure::from_message("bus fault\nat 0x4000_0000\r\n\u{0}"),
    )
    .with_metadata(FailureMetadata::new().with_tag("key with space", "line\nbreak"));
    for _ in 0..300 {
        info = info.escalate_to_parent();
    }
    assert_eq!(info.stage.hops(), u8::MAX);
    assert!(info.stage.is_saturated());
    let line = info.to_string();
    assert_eq!(line.lines().count(), 1);
    assert!(!line.chars().any(char::is_control));
    assert!(line.contains(r#"description="bus fault\nat 0x4000_0000\r\n\u{0}""#));
    assert!(line.contains(r#"tags=["key with space"="line\nbreak"]"#));
}

#[test]
fn every_failure_reaches_the_handler_exactly_once_across_threads() {
    const THREADS: u64 = 4;
    const PER_THREAD: u64 = 5_000;
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let hook_calls = ArcShared::new(AtomicU64::new(0));
    let handled: ArcShared<Vec<AtomicU64>> = ArcShared::new(
        (0..THREADS * PER_THREAD)
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let (calls, seen) = (hook_calls.clone(), handled.clone());
    let config = ActorSystemConfig::<Clockless>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let calls = calls.clone();
            FailureTelemetryShared::from_fn(move |_| {
                calls.fetch_add(1, Ordering::Relaxed);
            })
        })
        .observe()
        .finalize()
        .with_failure_event_handler(move |info| {
            let slot = usize::try_from(info.actor.0).expect("small id");
            seen[slot].fetch_add(1, Ordering::Relaxed);
        });

    thread::scope(|scope| {
        for thread in 0..THREADS {
            let mut sink = config.root_escalation_sink::<()>();
            scope.spawn(move || {
                for seq in 0..PER_THREAD {
                    let id = thread * PER_THREAD + seq;
                    assert_eq!(sink.handle(failure(id), false), Ok(()));
                }
            });
        }
    });

    assert!(
        handled
            .iter()
            .all(|count| count.load(Ordering::Relaxed) == 1)
    );
    assert_eq!(hook_calls.load(Ordering::Relaxed), THREADS * PER_THREAD);
    assert_eq!(metrics.totals().invocations, THREADS * PER_THREAD);
}

#[test]
fn without_std_a_panicking_hook_is_not_caught() {
    // The crate says so itself, even though this harness unwinds.
    const { assert!(!PANIC_ISOLATION) };
    silence_intentional_panics();
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let journal = Journal::default();
    let hook_journal = journal.clone();
    let config = with_handler_and_listener(
        ActorSystemConfig::<Embedded>::new()
            .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
            .with_failure_telemetry(move |_ctx| {
                let journal = hook_journal.clone();
                FailureTelemetryShared::from_fn(move |s| {
                    record(&journal, Step::Telemetry(s.actor().0));
                    if s.actor() == ActorId(1) {
                        intentional_panic("telemetry hook");
                    }
                })
            })
            .observe()
            .finalize(),
        &journal,
    );
    let mut sink = config.root_escalation_sink::<()>();

    // The panic leaves `handle`: handler and listener do not run, nothing counts it.
    let escaped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        sink.handle(failure(1), false).is_ok()
    }));
    assert!(escaped.is_err());
    assert_eq!(*journal.lock().expect("journal lock"), [Step::Telemetry(1)]);
    assert_eq!(sink.stats().telemetry_panics, 0);
    assert_eq!(metrics.totals().panics, 0);
    assert_eq!(metrics.totals().invocations, 1, "recorded before the call");

    // The sink holds no state a panic could corrupt: the next failure goes through.
    assert_eq!(sink.handle(failure(2), false), Ok(()));
    assert_eq!(
        journal.lock().expect("journal lock")[1..],
        [Step::Telemetry(2), Step::Handler(2), Step::Listener(2)]
    );
}

/// A timer the test sets, in microseconds: the storm test's own clock, so that it does
/// not move [`TICKS`].
static TIMER_MICROS: AtomicU64 = AtomicU64::new(0);

#[derive(Debug, Default)]
struct TimerClock;

impl MonotonicClock for TimerClock {
    fn now(&self) -> Duration {
        Duration::from_micros(TIMER_MICROS.load(Ordering::SeqCst))
    }
}

/// An embedded runtime whose clock is a timer the test sets.
struct Timed;

impl ActorRuntime for Timed {
    type Clock = TimerClock;
    type Tags = BoundedTags<4>;
}

#[test]
fn storms_are_limited_by_the_runtimes_clock_in_a_bounded_table() {
    const THREADS: u64 = 4;
    const PER_THREAD: u64 = 1_000;
    let hook_calls = ArcShared::new(AtomicU64::new(0));
    let carried = ArcShared::new(AtomicU64::new(0));
    let handled = ArcShared::new(AtomicU64::new(0));
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let (calls, sum, seen) = (hook_calls.clone(), carried.clone(), handled.clone());
    let config = ActorSystemConfig::<Timed>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let (calls, sum) = (calls.clone(), sum.clone());
            FailureTelemetryShared::from_fn(move |s| {
                calls.fetch_add(1, Ordering::Relaxed);
                sum.fetch_add(s.suppressed(), Ordering::Relaxed);
            })
        })
        .limit_storms(StormPolicy::new(3, Duration::from_millis(1)).with_signatures(8))
        .finalize()
        .with_failure_event_handler(move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
        });

    TIMER_MICROS.store(100, Ordering::SeqCst);
    thread::scope(|scope| {
        for _ in 0..THREADS {
            let mut sink = config.root_escalation_sink::<()>();
            scope.spawn(move || {
                for seq in 0..PER_THREAD {
                    assert_eq!(sink.handle(failure(1 + seq % 2), false), Ok(()));
                }
            });
        }
    });
    // Two signatures, three hook calls each in this window of the timer.
    assert_eq!(hook_calls.load(Ordering::Relaxed), 6);

    TIMER_MICROS.store(1_100, Ordering::SeqCst);
    let mut sink = config.root_escalation_sink::<()>();
    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));

    let sent = THREADS * PER_THREAD;
    assert_eq!(hook_calls.load(Ordering::Relaxed), 8);
    assert_eq!(carried.load(Ordering::Relaxed), sent - 6);
    assert_eq!(sink.stats().telemetry_suppressed, sent - 6);
    assert_eq!(metrics.totals().suppressed, sent - 6);
    assert_eq!(handled.load(Ordering::Relaxed), sent + 2);
}
