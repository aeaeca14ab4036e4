//! Many threads escalate at once through root sinks built from one finalized config
//! (shared telemetry, metrics sink, observation switch and counters), with panicking
//! steps, dropped tags and the switch flipped while they run. Every count is exact.
#![cfg(feature = "std")]

mod support {
    pub(crate) mod panics;
}

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use escalation_telemetry::prelude::*;
use support::panics::{intentional_panic, silence_intentional_panics};

type Tags = BoundedTags<4>;
type Runtime = StdRuntime<Tags>;

const THREADS: u64 = 8;
const PER_THREAD: u64 = 40_000;
const TOTAL: u64 = THREADS * PER_THREAD;
/// Thread 0 flips the switch every this many of its own failures.
const FLIP_EVERY: u64 = 1_000;
/// Failures with extra tags carry this many more than the storage holds.
const EXTRA_TAGS: u64 = 2;

/// What happens to failure `id`; a pure function of the id, so that the expected totals
/// can be computed independently of thread scheduling.
#[derive(Debug, Clone, Copy)]
struct Plan {
    already_handled: bool,
    hook_panics: bool,
    handler_panics: bool,
    listener_panics: bool,
    extra_tags: bool,
}

fn plan(id: u64) -> Plan {
    Plan {
        already_handled: id.is_multiple_of(53),
        hook_panics: id % 97 == 1,
        handler_panics: id % 89 == 2,
        listener_panics: id % 83 == 3,
        extra_tags: id % 7 == 4,
    }
}

fn failure(id: u64) -> FailureInfo<Tags> {
    let mut metadata = FailureMetadata::<Tags>::default()
        .with_component("storage")
        .with_endpoint("/v1/orders")
        .with_transport("tcp")
        .with_tag("tenant", "acme");
    if plan(id).extra_tags {
        metadata = metadata.with_tag("extra-1", "x").with_tag("extra-2", "y");
    }
    let thread = id / PER_THREAD;
    FailureInfo::new(
        ActorId(id),
        ActorPath::root().child(ActorId(thread)).child(ActorId(id)),
        ActorFailure::from_message("worker crashed"),
    )
    .with_metadata(metadata)
    .escalate_to_parent()
}

thread_local! {
    /// Set by the probe sink when it records `TelemetryInvoked`, taken by the hook: the
    /// hook thereby knows whether its own call is observed.
    static INVOKED: Cell<bool> = const { Cell::new(false) };
    /// The `TagsDropped(n)` the probe sink recorded for the failure being reported.
    static DROPPED_REPORTED: Cell<u32> = const { Cell::new(0) };
}

/// A metrics sink that counts like [`CountingMetricsSink`] and tells the hook, through
/// thread-locals, what was recorded for the call it is in.
#[derive(Default)]
struct ProbeSink {
    counts: CountingMetricsSink,
}

impl MetricsSink for ProbeSink {
    fn record(&self, event: MetricsEvent) {
        match event {
            MetricsEvent::TelemetryInvoked => INVOKED.set(true),
            MetricsEvent::TagsDropped(n) => DROPPED_REPORTED.set(n),
            _ => {}
        }
        self.counts.record(event);
    }
}

/// What the hook, handler and listener saw, counted from inside them. Violations are
/// counted rather than asserted where they happen: a panic in a hook would be caught.
struct Tally {
    hook_seen: Vec<AtomicU8>,
    handler_seen: Vec<AtomicU8>,
    listener_seen: Vec<AtomicU8>,
    observed_calls: AtomicU64,
    unobserved_calls: AtomicU64,
    observed_returning_calls: AtomicU64,
    observed_calls_of_thread_0: AtomicU64,
    dropped_tags_reported: AtomicU64,
    /// Failures whose `TagsDropped` and `TelemetryInvoked` disagree (one recorded, not
    /// the other), or whose tags or hops arrived changed.
    anomalies: AtomicU64,
}

impl Tally {
    fn new() -> Self {
        let slots = || (0..TOTAL).map(|_| AtomicU8::new(0)).collect();
        Self {
            hook_seen: slots(),
            handler_seen: slots(),
            listener_seen: slots(),
            observed_calls: AtomicU64::new(0),
            unobserved_calls: AtomicU64::new(0),
            observed_returning_calls: AtomicU64::new(0),
            observed_calls_of_thread_0: AtomicU64::new(0),
            dropped_tags_reported: AtomicU64::new(0),
            anomalies: AtomicU64::new(0),
        }
    }

    fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn on_hook(&self, snapshot: &FailureSnapshot<'_>) {
        let id = snapshot.actor().0;
        let observed = INVOKED.replace(false);
        let reported = DROPPED_REPORTED.replace(0);
        self.hook_seen[slot(id)].fetch_add(1, Ordering::Relaxed);
        let expected_dropped = if plan(id).extra_tags {
            EXTRA_TAGS as u32
        } else {
            0
        };
        if snapshot.tags().len() != 4
            || snapshot.dropped_tags() != expected_dropped
            || snapshot.hops() != 1
            || reported != if observed { expected_dropped } else { 0 }
        {
            Self::count(&self.anomalies);
        }
        self.dropped_tags_reported
            .fetch_add(u64::from(reported), Ordering::Relaxed);
        if observed {
            Self::count(&self.observed_calls);
            if id / PER_THREAD == 0 {
                Self::count(&self.observed_calls_of_thread_0);
            }
            if !plan(id).hook_panics {
                Self::count(&self.observed_returning_calls);
            }
        } else {
            Self::count(&self.unobserved_calls);
        }
        if plan(id).hook_panics {
            intentional_panic("telemetry hook");
        }
    }

    fn on_handler(&self, info: &FailureInfo<Tags>) {
        let id = info.actor.0;
        self.handler_seen[slot(id)].fetch_add(1, Ordering::Relaxed);
        if info.metadata.tags().len() != 4 || info.stage.hops() != 1 {
            Self::count(&self.anomalies);
        }
        if plan(id).handler_panics {
            intentional_panic("failure event handler");
        }
    }

    fn on_listener(&self, event: &FailureEvent<Tags>) {
        let id = event.info().actor.0;
        self.listener_seen[slot(id)].fetch_add(1, Ordering::Relaxed);
        if plan(id).listener_panics {
            intentional_panic("failure event listener");
        }
    }
}

fn slot(id: u64) -> usize {
    usize::try_from(id).expect("ids fit in usize")
}

fn finalized_config(
    metrics: &ArcShared<ProbeSink>,
    tally: &ArcShared<Tally>,
) -> ActorSystemConfig<Runtime, Finalized> {
    let (hook_tally, handler_tally, listener_tally) = (tally.clone(), tally.clone(), tally.clone());
    ActorSystemConfig::<Runtime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let tally = hook_tally.clone();
            FailureTelemetryShared::from_fn(move |snapshot| tally.on_hook(snapshot))
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(move |info| handler_tally.on_handler(info))
        .with_failure_event_listener(move |event| listener_tally.on_listener(&event))
}

/// Is thread 0's failure number `seq` handled with the switch on? Thread 0 is the only
/// writer of the switch, so its own calls see exactly the state it last set.
fn thread_0_switch_on(seq: u64) -> bool {
    (seq / FLIP_EVERY).is_multiple_of(2)
}

#[test]
fn every_failure_is_handled_once_and_every_invocation_and_panic_is_counted() {
    silence_intentional_panics();
    let metrics = ArcShared::new(ProbeSink::default());
    let tally = ArcShared::new(Tally::new());
    let config = finalized_config(&metrics, &tally);
    let switch = config
        .observation_switch()
        .expect("an observed config has a switch");
    // Half of the threads share clones of one sink, the others build their own.
    let shared_sink = config.root_escalation_sink::<()>();
    let start = Barrier::new(usize::try_from(THREADS).expect("few threads"));
    let flips = AtomicU64::new(0);
    let started = std::time::Instant::now();

    thread::scope(|scope| {
        for thread in 0..THREADS {
            let mut sink = if thread % 2 == 0 {
                config.root_escalation_sink::<()>()
            } else {
                shared_sink.clone()
            };
            let (switch, start, flips) = (&switch, &start, &flips);
            scope.spawn(move || {
                start.wait();
                for seq in 0..PER_THREAD {
                    if thread == 0 && seq.is_multiple_of(FLIP_EVERY) {
                        switch.set(thread_0_switch_on(seq));
                        flips.fetch_add(1, Ordering::Relaxed);
                    }
                    let id = thread * PER_THREAD + seq;
                    let outcome = sink.handle(failure(id), plan(id).already_handled);
                    assert!(outcome.is_ok(), "the root sink handles every failure");
                }
            });
        }
    });
    println!(
        "{TOTAL} failures on {THREADS} threads, {} switch flips, in {:?}",
        flips.load(Ordering::Relaxed),
        started.elapsed()
    );

    // The expected totals, from the plan alone.
    let plans = (0..TOTAL).map(|id| (id, plan(id)));
    let reported: Vec<(u64, Plan)> = plans.clone().filter(|(_, p)| !p.already_handled).collect();
    let count = |f: fn(&Plan) -> bool, of: &[(u64, Plan)]| -> u64 {
        of.iter().filter(|(_, p)| f(p)).count() as u64
    };
    let all: Vec<(u64, Plan)> = plans.collect();
    let expected_hook_panics = count(|p| p.hook_panics, &reported);
    let expected_handler_panics = count(|p| p.handler_panics, &all);
    let expected_listener_panics = count(|p| p.listener_panics, &all);
    let expected_tags_dropped = EXTRA_TAGS * count(|p| p.extra_tags, &reported);
    let expected_thread_0_observed = reported
        .iter()
        .filter(|(id, _)| id / PER_THREAD == 0 && thread_0_switch_on(id % PER_THREAD))
        .count() as u64;
    assert!(expected_hook_panics > 0 && expected_handler_panics > 0);
    assert!(expected_listener_panics > 0 && expected_tags_dropped > 0);

    // Every failure reached the handler and the listener exactly once, and the hook
    // exactly once unless a supervisor had already reported it.
    for id in 0..TOTAL {
        let index = slot(id);
        let hook_expected = u8::from(!plan(id).already_handled);
        assert_eq!(
            tally.hook_seen[index].load(Ordering::Relaxed),
            hook_expected,
            "hook, failure {id}"
        );
        assert_eq!(
            tally.handler_seen[index].load(Ordering::Relaxed),
            1,
            "handler, failure {id}"
        );
        assert_eq!(
            tally.listener_seen[index].load(Ordering::Relaxed),
            1,
            "listener, failure {id}"
        );
    }
    assert_eq!(tally.anomalies.load(Ordering::Relaxed), 0);

    // Panics and dropped tags: `stats()` counts them all, whatever the switch said.
    let stats = shared_sink.stats();
    assert_eq!(stats.telemetry_panics, expected_hook_panics);
    assert_eq!(stats.handler_panics, expected_handler_panics);
    assert_eq!(stats.listener_panics, expected_listener_panics);
    assert_eq!(stats.tags_dropped, expected_tags_dropped);

    // The metrics sink: faults are recorded whatever the switch; observations exactly
    // for the calls made while it was on, as counted from inside the hook.
    let observed = tally.observed_calls.load(Ordering::Relaxed);
    let unobserved = tally.unobserved_calls.load(Ordering::Relaxed);
    let totals = metrics.counts.totals();
    assert_eq!(observed + unobserved, reported.len() as u64);
    assert_eq!(totals.invocations, observed);
    assert_eq!(
        totals.latency_samples,
        tally.observed_returning_calls.load(Ordering::Relaxed)
    );
    assert_eq!(
        totals.tags_dropped,
        tally.dropped_tags_reported.load(Ordering::Relaxed)
    );
    assert_eq!(totals.panics, expected_hook_panics);
    assert_eq!(totals.handler_panics, expected_handler_panics);
    assert_eq!(totals.listener_panics, expected_listener_panics);
    // Thread 0's own calls saw exactly the states it set: both states occurred.
    assert_eq!(
        tally.observed_calls_of_thread_0.load(Ordering::Relaxed),
        expected_thread_0_observed
    );
    assert!(observed >= expected_thread_0_observed && unobserved > 0);
}

/// A metrics sink that turns the switch off while it records `TagsDropped`, i.e. the
/// switch flips in the middle of reporting one failure.
struct SwitchingSink {
    counts: CountingMetricsSink,
    switch: Mutex<Option<ObservationSwitch>>,
}

impl MetricsSink for SwitchingSink {
    fn record(&self, event: MetricsEvent) {
        if matches!(event, MetricsEvent::TagsDropped(_))
            && let Some(switch) = &*self.switch.lock().expect("switch lock")
        {
            switch.disable();
        }
        self.counts.record(event);
    }
}

#[test]
fn a_failure_is_observed_whole_or_not_at_all_when_the_switch_flips_during_it() {
    let metrics = ArcShared::new(SwitchingSink {
        counts: CountingMetricsSink::new(),
        switch: Mutex::new(None),
    });
    let hook_calls = ArcShared::new(AtomicU64::new(0));
    let calls = hook_calls.clone();
    let config = ActorSystemConfig::<Runtime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| {
            let calls = calls.clone();
            FailureTelemetryShared::from_fn(move |_| {
                calls.fetch_add(1, Ordering::Relaxed);
            })
        })
        .observe()
        .capture_timing(true)
        .finalize();
    let switch = config.observation_switch().expect("observed");
    *metrics.switch.lock().expect("switch lock") = Some(switch.clone());
    let mut sink = config.root_escalation_sink::<()>();
    let with_extra_tags = 4; // plan(4).extra_tags

    // The switch was on when the failure arrived: its dropped tags, its invocation and
    // its latency are all recorded, although the switch went off half-way.
    assert_eq!(sink.handle(failure(with_extra_tags), false), Ok(()));
    assert!(!switch.is_enabled());
    let totals = metrics.counts.totals();
    assert_eq!(
        (
            totals.tags_dropped,
            totals.invocations,
            totals.latency_samples
        ),
        (EXTRA_TAGS, 1, 1)
    );

    // The next failure arrives with the switch off: nothing is observed, but the
    // dropped tags are still counted in `stats()`.
    assert_eq!(sink.handle(failure(with_extra_tags + 7), false), Ok(()));
    let totals = metrics.counts.totals();
    assert_eq!(
        (
            totals.tags_dropped,
            totals.invocations,
            totals.latency_samples
        ),
        (EXTRA_TAGS, 1, 1)
    );
    assert_eq!(sink.stats().tags_dropped, 2 * EXTRA_TAGS);
    assert_eq!(hook_calls.load(Ordering::Relaxed), 2);
}

#[test]
fn every_sink_of_the_config_follows_a_flip_immediately() {
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let config = ActorSystemConfig::<Runtime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe()
        .finalize();
    let switch = config.observation_switch().expect("observed");
    let mut built = config.root_escalation_sink::<()>();
    let mut cloned = built.clone();

    let mut handle_one_each = |id: u64| {
        assert_eq!(built.handle(failure(id), false), Ok(()));
        assert_eq!(cloned.handle(failure(id), false), Ok(()));
        let mut late = config.root_escalation_sink::<()>();
        assert_eq!(late.is_observing(), switch.is_enabled());
        assert_eq!(late.handle(failure(id), false), Ok(()));
    };
    handle_one_each(1);
    assert_eq!(metrics.totals().invocations, 3);
    switch.disable();
    handle_one_each(2);
    assert_eq!(metrics.totals().invocations, 3);
    switch.enable();
    handle_one_each(3);
    assert_eq!(metrics.totals().invocations, 6);
}
