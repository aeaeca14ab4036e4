//! Every piece of user code on the root path runs guarded (with `std`): beyond the hook,
//! handler, listener and metrics sink (`tests/panic_isolation.rs`), the runtime's clock
//! (`MonotonicClock::now` and its `Default`), a builder given to `apply_builder` (and
//! the drop of the hook it replaces), and a panic payload's own `Drop`. Each panic is
//! caught, counted in `stats()` and, where a metrics sink is configured, recorded; the
//! hook, handler and listener still see every failure (`docs/reliability.md`).
#![cfg(feature = "std")]

mod support {
    pub(crate) mod panics;
}

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use escalation_telemetry::prelude::*;
use support::panics::{
    CountedDrop, PanicsIntoCountedDrop, PanicsTwiceWhenDropped, intentional_panic,
    silence_intentional_panics,
};

thread_local! {
    /// How the test thread's [`ScriptedClock`]s behave. Each test runs on its own thread,
    /// and the root path reads the clock on the caller's thread.
    static CLOCK: Cell<ClockScript> = const { Cell::new(ClockScript::WORKS) };
}

#[derive(Debug, Clone, Copy)]
struct ClockScript {
    /// `Default` panics.
    panic_on_default: bool,
    /// `now` panics on readings whose number (from 0) satisfies this.
    panic_on_reading: fn(u64) -> bool,
    /// Readings so far (panicking ones included).
    readings: u64,
}

impl ClockScript {
    const WORKS: Self = Self {
        panic_on_default: false,
        panic_on_reading: |_| false,
        readings: 0,
    };
}

fn script_clock(script: ClockScript) {
    CLOCK.set(script);
}

/// A runtime clock that panics as the test thread's script says.
#[derive(Debug)]
struct ScriptedClock;

impl Default for ScriptedClock {
    fn default() -> Self {
        if CLOCK.get().panic_on_default {
            intentional_panic("the clock's Default");
        }
        Self
    }
}

impl MonotonicClock for ScriptedClock {
    fn now(&self) -> Duration {
        let mut script = CLOCK.get();
        let reading = script.readings;
        script.readings += 1;
        CLOCK.set(script);
        if (script.panic_on_reading)(reading) {
            intentional_panic("MonotonicClock::now");
        }
        Duration::from_micros(reading * 10)
    }
}

/// A runtime whose clock is user code that may panic.
struct ScriptedRuntime;

impl ActorRuntime for ScriptedRuntime {
    type Clock = ScriptedClock;
    type Tags = DefaultTags;
}

fn failure(id: u64) -> FailureInfo {
    FailureInfo::new(
        ActorId(id),
        ActorPath::root().child(ActorId(1)).child(ActorId(id)),
        ActorFailure::from_message("boom"),
    )
}

/// How often each step ran.
#[derive(Debug, Default)]
struct Calls {
    hook: AtomicU64,
    handler: AtomicU64,
    listener: AtomicU64,
}

impl Calls {
    fn get(&self) -> (u64, u64, u64) {
        let load = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        (load(&self.hook), load(&self.handler), load(&self.listener))
    }
}

/// An observed, timed config on the scripted runtime, counting every step.
fn timed_config(
    metrics: &ArcShared<CountingMetricsSink>,
    calls: &ArcShared<Calls>,
) -> ActorSystemConfig<ScriptedRuntime, Finalized> {
    let (hook_calls, handler_calls, listener_calls) = (calls.clone(), calls.clone(), calls.clone());
    ActorSystemConfig::<ScriptedRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let calls = hook_calls.clone();
            FailureTelemetryShared::from_fn(move |_| {
                calls.hook.fetch_add(1, Ordering::SeqCst);
            })
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(move |_| {
            handler_calls.handler.fetch_add(1, Ordering::SeqCst);
        })
        .with_failure_event_listener(move |_| {
            listener_calls.listener.fetch_add(1, Ordering::SeqCst);
        })
}

#[test]
fn panic_isolation_is_active_with_std_and_unwinding() {
    // This suite runs with `std` and the test profile's `panic = "unwind"`; the no_std
    // suite asserts the opposite.
    // The other tests of this file show what it promises: each panic is caught.
    const { assert!(PANIC_ISOLATION) };
}

#[test]
fn a_clock_that_panics_on_every_reading_costs_the_latency_never_the_call() {
    silence_intentional_panics();
    script_clock(ClockScript {
        panic_on_reading: |_| true,
        ..ClockScript::WORKS
    });
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let calls = ArcShared::new(Calls::default());
    let mut sink = timed_config(&metrics, &calls).root_escalation_sink::<()>();

    for id in 1..=3 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    assert_eq!(calls.get(), (3, 3, 3));
    let stats = sink.stats();
    // One panicking reading per failure: without a start there is no end to read.
    assert_eq!(stats.clock_panics, 3);
    assert_eq!(
        (
            stats.telemetry_panics,
            stats.handler_panics,
            stats.listener_panics
        ),
        (0, 0, 0)
    );
    let totals = metrics.totals();
    assert_eq!(totals.clock_panics, 3);
    // Every recorded invocation is a call the hook saw.
    assert_eq!(totals.invocations, calls.get().0);
    assert_eq!(totals.latency_samples, 0);
    assert_eq!(totals.panics, 0);
}

#[test]
fn a_clock_that_panics_after_the_call_costs_only_that_latency() {
    silence_intentional_panics();
    // Readings 0 and 1 time the first failure; 2 and 3 the second, whose end panics.
    script_clock(ClockScript {
        panic_on_reading: |reading| reading == 3,
        ..ClockScript::WORKS
    });
    let recording = ArcShared::new(RecordingTelemetry::new().show_latencies(true));
    let hook = recording.clone();
    let config = ActorSystemConfig::<ScriptedRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(recording.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::from(hook.clone()))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));
    assert_eq!(sink.handle(failure(3), false), Ok(()));

    let events: Vec<String> = recording
        .to_string()
        .lines()
        .filter(|line| line.starts_with("metrics"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        events,
        [
            "metrics telemetry_invoked",
            "metrics telemetry_latency=10000ns",
            "metrics telemetry_invoked",
            "metrics clock_panicked",
            "metrics telemetry_invoked",
            "metrics telemetry_latency=10000ns",
        ]
    );
    assert_eq!(recording.snapshots().len(), 3);
    assert_eq!(sink.stats().clock_panics, 1);
}

#[test]
fn a_clock_whose_default_panics_leaves_the_sink_untimed_and_counted() {
    silence_intentional_panics();
    script_clock(ClockScript {
        panic_on_default: true,
        ..ClockScript::WORKS
    });
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let calls = ArcShared::new(Calls::default());
    let config = timed_config(&metrics, &calls);

    let mut sink = config.root_escalation_sink::<()>();
    assert_eq!(sink.stats().clock_panics, 1);
    assert_eq!(metrics.totals().clock_panics, 1);

    // A clone makes no clock (it shares the sink's), so it runs no user code.
    let mut clone = sink.clone();
    assert_eq!(sink.stats().clock_panics, 1);

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(clone.handle(failure(2), false), Ok(()));
    assert_eq!(calls.get(), (2, 2, 2));
    let totals = metrics.totals();
    assert_eq!(totals.invocations, 2);
    assert_eq!(totals.latency_samples, 0);
    assert_eq!(CLOCK.get().readings, 0);
}

#[test]
fn a_sink_clone_shares_the_clock_and_never_runs_its_default() {
    silence_intentional_panics();
    script_clock(ClockScript::WORKS);
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let calls = ArcShared::new(Calls::default());
    let sink = timed_config(&metrics, &calls).root_escalation_sink::<()>();

    // From now on `Default` panics: cloning must not call it.
    script_clock(ClockScript {
        panic_on_default: true,
        ..ClockScript::WORKS
    });
    let mut clone = sink.clone();
    assert_eq!(clone.handle(failure(1), false), Ok(()));

    assert_eq!(sink.stats().clock_panics, 0);
    assert_eq!(calls.get(), (1, 1, 1));
    assert_eq!(metrics.totals().latency_samples, 1);
}

#[test]
fn a_panicking_builder_keeps_the_old_hook_and_is_counted() {
    silence_intentional_panics();
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let calls = ArcShared::new(Calls::default());
    let config = timed_config(&metrics, &calls);
    let mut sink = config.root_escalation_sink::<()>();

    let panicking = failure_telemetry_builder(|_ctx| intentional_panic("builder"));
    sink.apply_builder(&config.telemetry_context(), &*panicking);
    sink.apply_builder(&config.telemetry_context(), &*panicking);

    assert_eq!(sink.stats().builder_panics, 2);
    assert_eq!(metrics.totals().builder_panics, 2);
    // The old hook is still in place and still observed.
    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(calls.get(), (1, 1, 1));
    assert_eq!(metrics.totals().invocations, 1);
}

/// A hook whose `Drop` panics: replacing it runs that `Drop`.
struct PanicsWhenDropped;

impl FailureTelemetry for PanicsWhenDropped {
    fn on_failure(&self, _snapshot: &FailureSnapshot<'_>) {}
}

impl Drop for PanicsWhenDropped {
    fn drop(&mut self) {
        intentional_panic("a replaced hook's Drop");
    }
}

#[test]
fn replacing_a_hook_whose_drop_panics_is_caught_and_the_new_hook_used() {
    silence_intentional_panics();
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let calls = ArcShared::new(Calls::default());
    let config = timed_config(&metrics, &calls);
    let mut sink = config.root_escalation_sink::<()>();

    let fragile = failure_telemetry_builder(|_ctx| FailureTelemetryShared::new(PanicsWhenDropped));
    sink.apply_builder(&config.telemetry_context(), &*fragile);
    assert_eq!(sink.stats().builder_panics, 0);

    let replacement_calls = ArcShared::new(AtomicU64::new(0));
    let counted = replacement_calls.clone();
    let replacement = failure_telemetry_builder(move |_ctx| {
        let counted = counted.clone();
        FailureTelemetryShared::from_fn(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        })
    });
    sink.apply_builder(&config.telemetry_context(), &*replacement);

    assert_eq!(sink.stats().builder_panics, 1);
    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(replacement_calls.load(Ordering::SeqCst), 1);
    assert_eq!(calls.get(), (0, 1, 1));
}

#[test]
fn a_payload_whose_drop_panics_has_that_second_payload_dropped_not_leaked() {
    static SECOND_PAYLOADS_DROPPED: AtomicU64 = AtomicU64::new(0);
    const FAILURES: u64 = 1_000;
    silence_intentional_panics();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_| {
                std::panic::panic_any(PanicsIntoCountedDrop(&SECOND_PAYLOADS_DROPPED))
            })
        })
        .finalize()
        .with_failure_event_handler(|_| {
            std::panic::panic_any(PanicsIntoCountedDrop(&SECOND_PAYLOADS_DROPPED))
        })
        .with_failure_event_listener(|_| {
            std::panic::panic_any(PanicsIntoCountedDrop(&SECOND_PAYLOADS_DROPPED))
        });
    let mut sink = config.root_escalation_sink::<()>();

    for id in 0..FAILURES {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    // Three panics per failure, each first payload's drop panicked with a harmless
    // second payload: every one of those was dropped, none leaked.
    assert_eq!(SECOND_PAYLOADS_DROPPED.load(Ordering::SeqCst), 3 * FAILURES);
    let stats = sink.stats();
    assert_eq!(
        (
            stats.telemetry_panics,
            stats.handler_panics,
            stats.listener_panics
        ),
        (FAILURES, FAILURES, FAILURES)
    );
    assert_eq!(stats.panic_payloads_leaked, 0);
    // A payload that panics on drop is a payload like any other when dropped directly.
    drop(CountedDrop(&SECOND_PAYLOADS_DROPPED));
    assert_eq!(
        SECOND_PAYLOADS_DROPPED.load(Ordering::SeqCst),
        3 * FAILURES + 1
    );
}

#[test]
fn only_a_payload_whose_drop_panics_yet_again_is_leaked_and_counted() {
    silence_intentional_panics();
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_| std::panic::panic_any(PanicsTwiceWhenDropped))
        })
        .finalize()
        .with_failure_event_handler(|_| std::panic::panic_any(PanicsTwiceWhenDropped));
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));

    let stats = sink.stats();
    assert_eq!((stats.telemetry_panics, stats.handler_panics), (2, 2));
    assert_eq!(stats.panic_payloads_leaked, 4);
    assert_eq!(
        (metrics.totals().panics, metrics.totals().handler_panics),
        (2, 2)
    );
}
