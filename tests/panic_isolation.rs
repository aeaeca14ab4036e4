//! Panics on the root path (with `std`): a panicking telemetry hook, handler, listener
//! or metrics sink is caught, counted, and never stops the other steps or later
//! failures.
//!
//! The policy these tests pin (see `docs/reliability.md`):
//! - each of the three steps (telemetry, handler, listener) runs under its own guard,
//!   in that order; a panic in one is counted in `stats()` and recorded into the
//!   config's metrics sink (`TelemetryPanicked`, `HandlerPanicked`,
//!   `ListenerPanicked`), and the next step still runs;
//! - the failure still counts as handled: `handle` returns `Ok(())`;
//! - a panicking metrics sink loses only the event it was recording (counted in
//!   `stats().metrics_panics`); the hook, handler and listener still run;
//! - nothing is poisoned: the next failure goes through every step again.
#![cfg(feature = "std")]

mod support {
    pub(crate) mod panics;
}

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use escalation_telemetry::prelude::*;
use support::panics::{
    intentional_panic, panic_with_panicking_payload, silence_intentional_panics,
};

/// One step of the root path as seen by the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Telemetry(u64),
    Handler(u64),
    Listener(u64),
}

/// Which steps panic.
#[derive(Debug, Clone, Copy, Default)]
struct Panics {
    telemetry: bool,
    handler: bool,
    listener: bool,
}

/// The steps every failure went through, in order.
#[derive(Debug, Default)]
struct Journal(Mutex<Vec<Step>>);

impl Journal {
    fn push(&self, step: Step) {
        self.0.lock().expect("journal lock").push(step);
    }

    fn steps(&self) -> Vec<Step> {
        self.0.lock().expect("journal lock").clone()
    }
}

fn failure(id: u64) -> FailureInfo {
    FailureInfo::new(
        ActorId(id),
        ActorPath::root().child(ActorId(1)).child(ActorId(id)),
        ActorFailure::from_message("boom"),
    )
}

/// An observed, timed config whose three steps write to `journal` and panic as `panics`
/// decides for each failure.
/// A fresh observed setup (counting metrics, a journal of steps) whose steps panic as
/// `panics` says for each failure id; intentional panics are kept off stderr.
struct Setup {
    metrics: ArcShared<CountingMetricsSink>,
    journal: ArcShared<Journal>,
    config: ActorSystemConfig<StdRuntime, Finalized>,
}

fn setup(panics: impl Fn(u64) -> Panics + Send + Sync + Clone + 'static) -> Setup {
    silence_intentional_panics();
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let journal = ArcShared::new(Journal::default());
    let config = observed_config(&metrics, &journal, panics);
    Setup {
        metrics,
        journal,
        config,
    }
}

fn observed_config(
    metrics: &ArcShared<CountingMetricsSink>,
    journal: &ArcShared<Journal>,
    panics: impl Fn(u64) -> Panics + Send + Sync + Clone + 'static,
) -> ActorSystemConfig<StdRuntime, Finalized> {
    let (hook_journal, hook_panics) = (journal.clone(), panics.clone());
    let (handler_journal, handler_panics) = (journal.clone(), panics.clone());
    let listener_journal = journal.clone();
    ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let (journal, panics) = (hook_journal.clone(), hook_panics.clone());
            FailureTelemetryShared::from_fn(move |snapshot| {
                let id = snapshot.actor().0;
                journal.push(Step::Telemetry(id));
                if panics(id).telemetry {
                    intentional_panic("telemetry hook");
                }
            })
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(move |info| {
            handler_journal.push(Step::Handler(info.actor.0));
            if handler_panics(info.actor.0).handler {
                intentional_panic("failure event handler");
            }
        })
        .with_failure_event_listener(move |event| {
            let id = event.info().actor.0;
            listener_journal.push(Step::Listener(id));
            if panics(id).listener {
                intentional_panic("failure event listener");
            }
        })
}

/// `stats()` as `(telemetry_panics, handler_panics, listener_panics, tags_dropped)`.
fn counts(stats: EscalationStats) -> (u64, u64, u64, u64) {
    (
        stats.telemetry_panics,
        stats.handler_panics,
        stats.listener_panics,
        stats.tags_dropped,
    )
}

fn all_steps(ids: impl IntoIterator<Item = u64>) -> Vec<Step> {
    ids.into_iter()
        .flat_map(|id| [Step::Telemetry(id), Step::Handler(id), Step::Listener(id)])
        .collect()
}

#[test]
fn a_panicking_hook_is_caught_counted_and_the_handler_and_listener_still_run() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|_| Panics {
        telemetry: true,
        ..Panics::default()
    });
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(7), false), Ok(()));

    assert_eq!(journal.steps(), all_steps([7]));
    assert_eq!(counts(sink.stats()), (1, 0, 0, 0));
    let totals = metrics.totals();
    // `TelemetryInvoked` is recorded before the call, so the panicking call is counted;
    // a call that did not return has no latency.
    assert_eq!(totals.invocations, 1);
    assert_eq!(totals.panics, 1);
    assert_eq!(totals.latency_samples, 0);
    assert_eq!(totals.handler_panics, 0);
    assert_eq!(totals.listener_panics, 0);
}

#[test]
fn a_panicking_hook_never_poisons_later_failures() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|id| Panics {
        telemetry: id % 2 == 1,
        ..Panics::default()
    });
    let mut sink = config.root_escalation_sink::<()>();

    for id in 0..1_000 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    assert_eq!(journal.steps(), all_steps(0..1_000));
    assert_eq!(sink.stats().telemetry_panics, 500);
    let totals = metrics.totals();
    assert_eq!(totals.invocations, 1_000);
    assert_eq!(totals.panics, 500);
    assert_eq!(totals.latency_samples, 500, "one sample per returning call");
}

#[test]
fn a_panicking_handler_still_reaches_the_listener() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|_| Panics {
        handler: true,
        ..Panics::default()
    });
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));

    assert_eq!(journal.steps(), all_steps([1, 2]));
    assert_eq!(counts(sink.stats()), (0, 2, 0, 0));
    let totals = metrics.totals();
    assert_eq!(totals.handler_panics, 2);
    assert_eq!(totals.panics, 0);
    assert_eq!(totals.listener_panics, 0);
}

#[test]
fn a_panicking_listener_leaves_telemetry_and_handler_done_and_later_failures_whole() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|id| Panics {
        listener: id == 1,
        ..Panics::default()
    });
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));

    assert_eq!(journal.steps(), all_steps([1, 2]));
    assert_eq!(counts(sink.stats()), (0, 0, 1, 0));
    assert_eq!(metrics.totals().listener_panics, 1);
    assert_eq!(metrics.totals().invocations, 2);
}

#[test]
fn when_every_step_panics_every_step_still_runs_and_each_panic_is_counted_once() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|_| Panics {
        telemetry: true,
        handler: true,
        listener: true,
    });
    let mut sink = config.root_escalation_sink::<()>();

    for id in 0..10 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    assert_eq!(journal.steps(), all_steps(0..10));
    assert_eq!(counts(sink.stats()), (10, 10, 10, 0));
    let totals = metrics.totals();
    assert_eq!(
        (
            totals.invocations,
            totals.panics,
            totals.handler_panics,
            totals.listener_panics
        ),
        (10, 10, 10, 10)
    );
}

#[test]
fn panics_are_counted_without_observation_and_without_a_metrics_sink() {
    silence_intentional_panics();
    let handled = ArcShared::new(AtomicU64::new(0));

    // A metrics sink but no `observe()`: panics are still recorded into it.
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let counted = handled.clone();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_| intentional_panic("telemetry hook"))
        })
        .finalize()
        .with_failure_event_handler(move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
        });
    let mut sink = config.root_escalation_sink::<()>();
    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.stats().telemetry_panics, 1);
    assert_eq!(metrics.totals().panics, 1);
    assert_eq!(
        metrics.totals().invocations,
        0,
        "not observed: no invocation events"
    );

    // No metrics sink at all: `stats()` still counts.
    let counted = handled.clone();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_| intentional_panic("telemetry hook"))
        })
        .finalize()
        .with_failure_event_handler(move |_| {
            counted.fetch_add(1, Ordering::Relaxed);
        })
        .with_failure_event_listener(|_| intentional_panic("failure event listener"));
    let mut sink = config.root_escalation_sink::<()>();
    assert_eq!(sink.handle(failure(2), false), Ok(()));
    assert_eq!(counts(sink.stats()), (1, 0, 1, 0));
    assert_eq!(handled.load(Ordering::Relaxed), 2);
}

/// A metrics sink that panics on the events `panics_on` selects and counts the rest.
struct PanickingMetricsSink {
    inner: CountingMetricsSink,
    panics_on: fn(&MetricsEvent) -> bool,
}

impl MetricsSink for PanickingMetricsSink {
    fn record(&self, event: MetricsEvent) {
        if (self.panics_on)(&event) {
            intentional_panic("metrics sink");
        }
        self.inner.record(event);
    }
}

fn config_with_metrics_sink(
    metrics: &ArcShared<PanickingMetricsSink>,
    journal: &ArcShared<Journal>,
) -> ActorSystemConfig<StdRuntime, Finalized> {
    let (hook_journal, handler_journal, listener_journal) =
        (journal.clone(), journal.clone(), journal.clone());
    ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let journal = hook_journal.clone();
            FailureTelemetryShared::from_fn(move |s| journal.push(Step::Telemetry(s.actor().0)))
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(move |info| handler_journal.push(Step::Handler(info.actor.0)))
        .with_failure_event_listener(move |event| {
            listener_journal.push(Step::Listener(event.info().actor.0));
        })
}

#[test]
fn a_metrics_sink_that_panics_after_the_call_loses_only_that_event() {
    silence_intentional_panics();
    let metrics = ArcShared::new(PanickingMetricsSink {
        inner: CountingMetricsSink::new(),
        panics_on: |event| matches!(event, MetricsEvent::TelemetryLatency(_)),
    });
    let journal = ArcShared::new(Journal::default());
    let mut sink = config_with_metrics_sink(&metrics, &journal).root_escalation_sink::<()>();

    for id in 0..3 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    // Every step ran; each latency record panicked inside the sink, was caught on its
    // own and counted as a metrics panic, not as a telemetry panic.
    assert_eq!(journal.steps(), all_steps(0..3));
    assert_eq!(sink.stats().telemetry_panics, 0);
    assert_eq!(sink.stats().metrics_panics, 3);
    let totals = metrics.inner.totals();
    assert_eq!(
        (totals.invocations, totals.latency_samples, totals.panics),
        (3, 0, 0)
    );
}

#[test]
fn a_metrics_sink_that_always_panics_never_stops_the_hook_the_handler_or_the_listener() {
    silence_intentional_panics();
    let metrics = ArcShared::new(PanickingMetricsSink {
        inner: CountingMetricsSink::new(),
        panics_on: |_| true,
    });
    let journal = ArcShared::new(Journal::default());
    let mut sink = config_with_metrics_sink(&metrics, &journal).root_escalation_sink::<()>();

    for id in 0..3 {
        assert_eq!(sink.handle(failure(id), false), Ok(()));
    }

    // Each metrics record is guarded on its own: the sink's panics on
    // `TelemetryInvoked` and `TelemetryLatency` (two per failure) are counted in
    // `stats().metrics_panics`, and the hook, handler and listener all run.
    assert_eq!(journal.steps(), all_steps(0..3));
    assert_eq!(counts(sink.stats()), (0, 0, 0, 0));
    assert_eq!(sink.stats().metrics_panics, 6);
    assert_eq!(metrics.inner.totals(), MetricsTotals::default());
}

#[test]
fn a_panic_payload_that_panics_when_dropped_does_not_escape() {
    silence_intentional_panics();
    let handled = ArcShared::new(AtomicU64::new(0));
    let (in_handler, in_listener) = (handled.clone(), handled.clone());
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_| panic_with_panicking_payload())
        })
        .finalize()
        .with_failure_event_handler(move |_| {
            in_handler.fetch_add(1, Ordering::Relaxed);
            panic_with_panicking_payload();
        })
        .with_failure_event_listener(move |_| {
            in_listener.fetch_add(1, Ordering::Relaxed);
            panic_with_panicking_payload();
        });
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), false), Ok(()));
    assert_eq!(sink.handle(failure(2), false), Ok(()));

    assert_eq!(handled.load(Ordering::Relaxed), 4);
    assert_eq!(counts(sink.stats()), (2, 2, 2, 0));
}

#[test]
fn sinks_of_one_config_share_their_counters_and_other_configs_do_not() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|_| Panics {
        telemetry: true,
        ..Panics::default()
    });
    let mut first = config.root_escalation_sink::<()>();
    let mut second = config.root_escalation_sink::<()>();
    let mut clone = first.clone();

    assert_eq!(first.handle(failure(1), false), Ok(()));
    assert_eq!(second.handle(failure(2), false), Ok(()));
    assert_eq!(clone.handle(failure(3), false), Ok(()));

    for sink in [&first, &second, &clone] {
        assert_eq!(sink.stats().telemetry_panics, 3);
    }
    assert_eq!(metrics.totals().panics, 3);

    let other_metrics = ArcShared::new(CountingMetricsSink::new());
    let other = observed_config(&other_metrics, &journal, |_| Panics::default());
    assert_eq!(
        other.root_escalation_sink::<()>().stats(),
        EscalationStats::default()
    );
}

#[test]
fn an_already_handled_failure_skips_telemetry_but_reaches_handler_and_listener() {
    let Setup {
        metrics,
        journal,
        config,
    } = setup(|_| Panics::default());
    let mut sink = config.root_escalation_sink::<()>();

    assert_eq!(sink.handle(failure(1), true), Ok(()));

    assert_eq!(journal.steps(), [Step::Handler(1), Step::Listener(1)]);
    assert_eq!(metrics.totals().invocations, 0);
}
