//! Failure storms: per signature at most `burst` hook calls per window, every other
//! failure counted as suppressed, the handler and the listener always run, and the
//! counts are exact under concurrency.
//!
//! Time is a controllable clock: each test has its own runtime whose `Clock` reads one
//! shared atomic (in nanoseconds) that the test moves.
#![cfg(feature = "std")]

mod support {
    pub(crate) mod panics;
}

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use escalation_telemetry::prelude::*;
use support::panics::{intentional_panic, silence_intentional_panics};

/// One clock per test (indexed by `ID`), so that tests running in parallel do not move
/// each other's time.
static CLOCKS: [AtomicU64; 16] = [const { AtomicU64::new(0) }; 16];

#[derive(Debug, Default)]
struct TestClock<const ID: usize>;

impl<const ID: usize> MonotonicClock for TestClock<ID> {
    fn now(&self) -> Duration {
        Duration::from_nanos(CLOCKS[ID].load(Ordering::SeqCst))
    }
}

impl<const ID: usize> TestClock<ID> {
    fn set(at: Duration) {
        CLOCKS[ID].store(
            u64::try_from(at.as_nanos()).expect("fits"),
            Ordering::SeqCst,
        );
    }
}

/// A runtime whose clock the test controls.
struct Controlled<const ID: usize>;

impl<const ID: usize> ActorRuntime for Controlled<ID> {
    type Clock = TestClock<ID>;
    type Tags = DefaultTags;
}

/// A runtime whose clock the test controls, keeping at most two tags per failure (the
/// rest are dropped and counted).
struct TwoTags<const ID: usize>;

impl<const ID: usize> ActorRuntime for TwoTags<ID> {
    type Clock = TestClock<ID>;
    type Tags = BoundedTags<2>;
}

const WINDOW: Duration = Duration::from_secs(1);

fn failure(actor: u64, description: &'static str) -> FailureInfo {
    FailureInfo::new(
        ActorId(actor),
        ActorPath::root().child(ActorId(1)).child(ActorId(actor)),
        ActorFailure::from_message(description),
    )
}

/// Hook calls per signature (path and description), and the suppressed counts their
/// snapshots carried.
#[derive(Default)]
struct PerSignature(Mutex<HashMap<String, (u64, u64)>>);

impl FailureTelemetry for PerSignature {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let key = format!("{} {}", snapshot.path(), snapshot.description());
        let mut map = self.0.lock().expect("not poisoned");
        let entry = map.entry(key).or_default();
        entry.0 += 1;
        entry.1 += snapshot.suppressed();
    }
}

impl PerSignature {
    fn get(&self, path: &str, description: &str) -> (u64, u64) {
        let map = self.0.lock().expect("not poisoned");
        map.get(&format!("{path} {description}"))
            .copied()
            .unwrap_or_default()
    }
}

/// A config at the `WithBuilder` stage of runtime `Controlled<ID>` whose hook is a fresh
/// [`PerSignature`], returned beside it.
fn counted<const ID: usize>() -> (
    Arc<PerSignature>,
    ActorSystemConfig<Controlled<ID>, WithBuilder>,
) {
    let hook = Arc::new(PerSignature::default());
    let telemetry = FailureTelemetryShared::from_arc(hook.clone());
    let config = ActorSystemConfig::<Controlled<ID>>::new()
        .with_failure_telemetry(move |_ctx| telemetry.clone());
    (hook, config)
}

#[test]
fn a_storm_reaches_the_hook_burst_times_per_window_and_the_next_delivery_carries_the_rest() {
    type Clock = TestClock<0>;
    let recording = RecordingTelemetry::new();
    let handled = Arc::new(AtomicU64::new(0));
    let listened = Arc::new(AtomicU64::new(0));
    let config = {
        let hook = recording.clone();
        let (handled, listened) = (handled.clone(), listened.clone());
        ActorSystemConfig::<Controlled<0>>::new()
            .with_metrics_sink(MetricsSinkShared::new(recording.clone()))
            .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
            .limit_storms(StormPolicy::new(2, WINDOW))
            .with_failure_event_handler(move |_| {
                handled.fetch_add(1, Ordering::Relaxed);
            })
            .with_failure_event_listener(move |_| {
                listened.fetch_add(1, Ordering::Relaxed);
            })
            .finalize()
    };
    let mut sink = config.root_escalation_sink::<()>();

    Clock::set(Duration::from_millis(100));
    for _ in 0..5 {
        sink.handle(failure(7, "crash loop"), false)
            .expect("handled");
    }
    // Another signature has its own burst.
    sink.handle(failure(8, "crash loop"), false)
        .expect("handled");
    Clock::set(Duration::from_millis(1_100));
    sink.handle(failure(7, "crash loop"), false)
        .expect("handled");

    insta::assert_snapshot!(recording.to_string());
    let delivered = recording.snapshots();
    assert_eq!(delivered.len(), 4);
    assert_eq!(delivered[3].suppressed(), 3);
    assert!(delivered[3].to_string().ends_with(" suppressed=3"));
    assert_eq!(sink.stats().telemetry_suppressed, 3);
    // The handler and the listener ran for every failure, suppressed or not.
    assert_eq!(handled.load(Ordering::Relaxed), 7);
    assert_eq!(listened.load(Ordering::Relaxed), 7);
}

#[cfg(feature = "serde")]
#[test]
fn a_delivered_snapshot_serializes_its_suppressed_count() {
    type Clock = TestClock<1>;
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let config = ActorSystemConfig::<Controlled<1>>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .limit_storms(StormPolicy::new(1, WINDOW))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    Clock::set(Duration::ZERO);
    for _ in 0..4 {
        let info =
            failure(3, "disk full").with_metadata(FailureMetadata::new().with_component("storage"));
        sink.handle(info, false).expect("handled");
    }
    Clock::set(WINDOW);
    sink.handle(failure(3, "disk full"), false)
        .expect("handled");

    let last = recording.snapshots().pop().expect("delivered");
    insta::assert_json_snapshot!(last);
    let back: OwnedFailureSnapshot =
        serde_json::from_str(&serde_json::to_string(&last).expect("serializes")).expect("reads");
    assert_eq!(back.suppressed(), 3);
}

/// Two descriptions, so that signatures differ in path and in description.
fn description(signature: u64) -> &'static str {
    if signature.is_multiple_of(2) {
        "even"
    } else {
        "odd"
    }
}

/// Per signature, the window (read from clock 2 by the hook itself) of every delivery,
/// and the suppressed counts the snapshots carried.
#[derive(Default)]
struct DeliveryWindows(Mutex<HashMap<String, (Vec<u64>, u64)>>);

impl FailureTelemetry for DeliveryWindows {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let window = TestClock::<2>.now().as_nanos() / WINDOW.as_nanos();
        let key = format!("{} {}", snapshot.path(), snapshot.description());
        let mut map = self.0.lock().expect("not poisoned");
        let entry = map.entry(key).or_default();
        entry.0.push(u64::try_from(window).expect("small"));
        entry.1 += snapshot.suppressed();
    }
}

#[test]
fn eight_threads_many_signatures_every_failure_is_delivered_or_counted_exactly() {
    type Clock = TestClock<2>;
    const THREADS: u64 = 8;
    const SIGNATURES: u64 = 40;
    const PER_THREAD: u64 = if cfg!(debug_assertions) {
        20_000
    } else {
        200_000
    };
    const BURST: u32 = 5;

    let counting = Arc::new(CountingMetricsSink::new());
    let hook = Arc::new(DeliveryWindows::default());
    let config = {
        let telemetry = FailureTelemetryShared::from_arc(hook.clone());
        ActorSystemConfig::<Controlled<2>>::new()
            .with_failure_telemetry(move |_ctx| telemetry.clone())
            .with_metrics_sink(MetricsSinkShared::from_arc(counting.clone()))
            .limit_storms(StormPolicy::new(BURST, WINDOW).with_signatures(64))
            .finalize()
    };
    Clock::set(Duration::ZERO);
    let sent: Vec<AtomicU64> = (0..SIGNATURES).map(|_| AtomicU64::new(0)).collect();
    thread::scope(|scope| {
        for t in 0..THREADS {
            let mut sink = config.root_escalation_sink::<()>();
            let sent = &sent;
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    let signature = (i * 7 + t * 13) % SIGNATURES;
                    // Thread 0 moves time on now and then, while the others escalate.
                    if t == 0 && i % 997 == 0 {
                        CLOCKS[2].fetch_add(250_000_000, Ordering::SeqCst);
                    }
                    sink.handle(failure(signature, description(signature)), false)
                        .expect("handled");
                    sent[usize::try_from(signature).expect("small")]
                        .fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    // One more failure per signature in a fresh window flushes what is still pending
    // into a delivered snapshot.
    Clock::set(Clock::default().now() + WINDOW * 2);
    let mut sink = config.root_escalation_sink::<()>();
    for signature in 0..SIGNATURES {
        sink.handle(failure(signature, description(signature)), false)
            .expect("handled");
    }

    let deliveries = hook.0.lock().expect("not poisoned");
    let mut suppressed_total = 0;
    for signature in 0..SIGNATURES {
        let key = format!("/1/{signature} {}", description(signature));
        let (windows, suppressed) = deliveries.get(&key).cloned().unwrap_or_default();
        let delivered = u64::try_from(windows.len()).expect("small");
        let sent = sent[usize::try_from(signature).expect("small")].load(Ordering::Relaxed) + 1;
        assert_eq!(delivered + suppressed, sent, "signature {signature}");
        assert!(suppressed > 0, "signature {signature} stormed");
        // The burst: a delivery is decided in a window no later than the one its hook
        // call reads (the clock only moves forward, and a late reading counts against
        // the newer window), so up to the end of window `k` at most `burst × (k + 1)`
        // deliveries can have been seen. The storm began in window 0 and each
        // signature was sent far more than `burst` failures there.
        let last = windows.iter().copied().max().expect("delivered");
        for k in 0..=last {
            let seen = windows.iter().filter(|&&w| w <= k).count();
            assert!(
                seen <= usize::try_from(u64::from(BURST) * (k + 1)).expect("small"),
                "signature {signature}: {seen} deliveries by the end of window {k}: {windows:?}"
            );
        }
        assert!(
            delivered > u64::from(BURST),
            "signature {signature}: a full burst then the flush: {windows:?}"
        );
        suppressed_total += suppressed;
    }
    let stats = sink.stats();
    assert_eq!(stats.telemetry_suppressed, suppressed_total);
    assert_eq!(stats.storm_overflow, 0);
    assert_eq!(counting.totals().suppressed, suppressed_total);
}

#[test]
fn a_storm_of_a_million_identical_failures_on_two_threads_calls_the_hook_burst_times_per_window() {
    type Clock = TestClock<3>;
    const BURST: u32 = 100;
    const WINDOWS: u64 = 10;
    // The full million in every build: about 2 s in a debug build on 2 cores.
    const FAILURES: u64 = 1_000_000;
    const PER_THREAD_PER_WINDOW: u64 = FAILURES / WINDOWS / 2;

    let (hook, config) = counted::<3>();
    let config = config
        .limit_storms(StormPolicy::new(BURST, WINDOW))
        .finalize();
    let mut carried_before = 0;
    for window in 0..WINDOWS {
        Clock::set(WINDOW * u32::try_from(window).expect("small") + Duration::from_millis(500));
        thread::scope(|scope| {
            for _ in 0..2 {
                let mut sink = config.root_escalation_sink::<()>();
                scope.spawn(move || {
                    for _ in 0..PER_THREAD_PER_WINDOW {
                        sink.handle(failure(5, "crash loop"), false)
                            .expect("handled");
                    }
                });
            }
        });
        let (delivered, carried) = hook.get("/1/5", "crash loop");
        assert_eq!(
            delivered,
            u64::from(BURST) * (window + 1),
            "window {window}"
        );
        // The first delivery of this window carried the whole previous window's rest.
        let expected = if window == 0 {
            0
        } else {
            PER_THREAD_PER_WINDOW * 2 - u64::from(BURST)
        };
        assert_eq!(carried - carried_before, expected, "window {window}");
        carried_before = carried;
    }
    let stats = config.root_escalation_sink::<()>().stats();
    assert_eq!(
        stats.telemetry_suppressed,
        FAILURES - u64::from(BURST) * WINDOWS
    );
}

#[test]
fn sinks_of_one_config_share_the_limit_and_each_finalize_makes_a_fresh_table() {
    type Clock = TestClock<4>;
    let (hook, setup) = counted::<4>();
    let setup = setup.limit_storms(StormPolicy::new(3, WINDOW));
    let config = setup.clone().finalize();
    Clock::set(Duration::ZERO);
    let mut first = config.root_escalation_sink::<()>();
    let mut second = first.clone();
    let mut third = config.root_escalation_sink::<u64>();
    for _ in 0..2 {
        first.handle(failure(2, "x"), false).expect("handled");
        second.handle(failure(2, "x"), false).expect("handled");
        third.handle(failure(2, "x"), false).expect("handled");
    }
    assert_eq!(hook.get("/1/2", "x").0, 3);
    assert_eq!(third.stats().telemetry_suppressed, 3);

    let other = setup.finalize();
    let mut fresh = other.root_escalation_sink::<()>();
    fresh.handle(failure(2, "x"), false).expect("handled");
    assert_eq!(hook.get("/1/2", "x").0, 4);
    assert_eq!(fresh.stats().telemetry_suppressed, 0);
}

#[test]
fn a_full_table_limits_new_signatures_together_in_the_overflow_slot_and_loses_no_count() {
    type Clock = TestClock<5>;
    let (hook, config) = counted::<5>();
    let config = config
        .limit_storms(StormPolicy::new(1, WINDOW).with_signatures(2))
        .finalize();
    Clock::set(Duration::ZERO);
    let mut sink = config.root_escalation_sink::<()>();
    let sent_per_signature = 10;
    for signature in 0..6 {
        for _ in 0..sent_per_signature {
            sink.handle(failure(signature, "boom"), false)
                .expect("handled");
        }
    }
    let delivered: u64 = (0..6).map(|s| hook.get(&format!("/1/{s}"), "boom").0).sum();
    let stats = sink.stats();
    // Two signatures own a slot (one delivery each); the four others share the
    // overflow slot's single delivery.
    assert_eq!(delivered, 3);
    assert_eq!(delivered + stats.telemetry_suppressed, 60);
    assert_eq!(stats.storm_overflow, 40);
}

#[test]
fn the_signature_can_be_a_tag_and_already_handled_failures_are_not_counted() {
    type Clock = TestClock<6>;
    let (hook, config) = counted::<6>();
    let config = config
        .limit_storms(
            StormPolicy::new(1, WINDOW).with_signature(StormSignature::Tag("tenant".into())),
        )
        .finalize();
    Clock::set(Duration::ZERO);
    let mut sink = config.root_escalation_sink::<()>();
    for (actor, tenant) in [(1, "acme"), (2, "acme"), (3, "globex"), (4, "acme")] {
        let info =
            failure(actor, "boom").with_metadata(FailureMetadata::new().with_tag("tenant", tenant));
        sink.handle(info, false).expect("handled");
    }
    // One delivery per tenant, whatever the actor.
    assert_eq!(hook.get("/1/1", "boom").0 + hook.get("/1/3", "boom").0, 2);
    assert_eq!(sink.stats().telemetry_suppressed, 2);
    // A failure a supervisor already handled skips telemetry before the storm gate.
    sink.handle(failure(9, "boom"), true).expect("handled");
    assert_eq!(sink.stats().telemetry_suppressed, 2);
}

/// A clock that panics on every reading.
#[derive(Debug, Default)]
struct PanickingClock;

impl MonotonicClock for PanickingClock {
    fn now(&self) -> Duration {
        intentional_panic("clock")
    }
}

struct BrokenClockRuntime;

impl ActorRuntime for BrokenClockRuntime {
    type Clock = PanickingClock;
    type Tags = DefaultTags;
}

/// Three identical failures through a storm policy of one hook call per window, on
/// runtime `R`, recording hook calls and metrics events.
fn three_failures_on<R>() -> (RecordingTelemetry, EscalationStats)
where
    R: ActorRuntime<Tags = DefaultTags>,
    R::Clock: MonotonicClock,
{
    silence_intentional_panics();
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let config = ActorSystemConfig::<R>::new()
        .with_metrics_sink(MetricsSinkShared::new(recording.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .limit_storms(StormPolicy::new(1, WINDOW))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    for _ in 0..3 {
        sink.handle(failure(1, "boom"), false).expect("handled");
    }
    (recording, sink.stats())
}

#[test]
fn a_panicking_clock_is_caught_counted_and_the_failure_reaches_the_hook() {
    let (recording, stats) = three_failures_on::<BrokenClockRuntime>();
    assert_eq!((stats.clock_panics, stats.telemetry_suppressed), (3, 0));
    assert_eq!(recording.snapshots().len(), 3);
    let clock_panics = recording
        .events()
        .into_iter()
        .filter(|event| *event == MetricsEvent::ClockPanicked)
        .count();
    assert_eq!(clock_panics, 3);
}

/// A clock whose `Default` panics: the storm table cannot get its clock.
#[derive(Debug)]
struct UnmakeableClock;

impl Default for UnmakeableClock {
    fn default() -> Self {
        intentional_panic("clock default")
    }
}

impl MonotonicClock for UnmakeableClock {
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

struct UnmakeableClockRuntime;

impl ActorRuntime for UnmakeableClockRuntime {
    type Clock = UnmakeableClock;
    type Tags = DefaultTags;
}

#[test]
fn a_clock_that_cannot_be_made_leaves_the_system_unlimited_and_is_counted() {
    let (recording, stats) = three_failures_on::<UnmakeableClockRuntime>();
    assert_eq!((stats.clock_panics, stats.telemetry_suppressed), (1, 0));
    assert_eq!(recording.snapshots().len(), 3);
    assert_eq!(recording.events(), [MetricsEvent::ClockPanicked]);
}

#[test]
fn windows_are_fixed_and_aligned_on_the_clocks_origin_not_on_the_first_failure() {
    type Clock = TestClock<7>;
    let (hook, config) = counted::<7>();
    let config = config.limit_storms(StormPolicy::new(2, WINDOW)).finalize();
    let mut sink = config.root_escalation_sink::<()>();
    let mut send = |at_millis: u64, count: u64| {
        Clock::set(Duration::from_millis(at_millis));
        for _ in 0..count {
            sink.handle(failure(4, "boom"), false).expect("handled");
        }
        hook.get("/1/4", "boom")
    };
    // The storm starts late in window 0 = [0 s, 1 s).
    assert_eq!(send(900, 3), (2, 0));
    // 100 ms later window 1 = [1 s, 2 s) opens: a window started at the first failure
    // would run until 1.9 s and suppress these.
    assert_eq!(send(1_000, 2), (4, 1));
    // Still window 1 at 1.999 s: its burst is used up.
    assert_eq!(send(1_999, 1), (4, 1));
    // Window 2 opens exactly at 2 s, although window 1's first failure was at 1 s.
    assert_eq!(send(2_000, 1), (5, 2));
    assert_eq!(sink.stats().telemetry_suppressed, 2);
}

/// A config of runtime `Controlled<ID>` with a metrics sink, one hook call per window,
/// and observation when `observed`; what its hook and its metrics sink received.
fn suppressing<const ID: usize>(
    observed: bool,
) -> (
    RecordingTelemetry,
    ActorSystemConfig<Controlled<ID>, Finalized>,
) {
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let setup = ActorSystemConfig::<Controlled<ID>>::new()
        .with_metrics_sink(MetricsSinkShared::new(recording.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()));
    let config = if observed {
        setup
            .observe()
            .limit_storms(StormPolicy::new(1, WINDOW))
            .finalize()
    } else {
        setup.limit_storms(StormPolicy::new(1, WINDOW)).finalize()
    };
    (recording, config)
}

fn suppressed_events(recording: &RecordingTelemetry) -> usize {
    recording
        .events()
        .into_iter()
        .filter(|event| *event == MetricsEvent::TelemetrySuppressed)
        .count()
}

#[test]
fn suppression_is_recorded_whatever_the_observation_switch_says() {
    TestClock::<8>::set(Duration::ZERO);
    // Not observed: the metrics sink still receives every suppression.
    let (recording, config) = suppressing::<8>(false);
    assert!(config.observation_switch().is_none());
    let mut sink = config.root_escalation_sink::<()>();
    for _ in 0..4 {
        sink.handle(failure(1, "boom"), false).expect("handled");
    }
    assert_eq!(suppressed_events(&recording), 3);
    assert_eq!(recording.snapshots().len(), 1);

    // Observed, switched off, then on: every suppression is recorded either way, while
    // the observation events follow the switch.
    TestClock::<9>::set(Duration::ZERO);
    let (recording, config) = suppressing::<9>(true);
    let switch = config.observation_switch().expect("observed");
    let mut sink = config.root_escalation_sink::<()>();
    switch.disable();
    for _ in 0..4 {
        sink.handle(failure(1, "boom"), false).expect("handled");
    }
    assert_eq!(suppressed_events(&recording), 3);
    assert!(
        !recording.events().contains(&MetricsEvent::TelemetryInvoked),
        "the switch is off: {:?}",
        recording.events()
    );
    switch.enable();
    for _ in 0..2 {
        sink.handle(failure(1, "boom"), false).expect("handled");
    }
    assert_eq!(suppressed_events(&recording), 5);
    assert_eq!(sink.stats().telemetry_suppressed, 5);
    assert_eq!(recording.snapshots().len(), 1);
}

#[test]
fn suppressed_failures_add_no_dropped_tags() {
    type Clock = TestClock<10>;
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let config = ActorSystemConfig::<TwoTags<10>>::new()
        .with_metrics_sink(MetricsSinkShared::new(recording.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .observe()
        .limit_storms(StormPolicy::new(1, WINDOW))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    // Five tags into room for two: three dropped per failure.
    let crowded = || {
        let metadata: FailureMetadata<BoundedTags<2>> = (0..5)
            .map(|i| (format!("key{i}"), "v".to_owned()))
            .collect();
        FailureInfo::new(
            ActorId(3),
            ActorPath::root().child(ActorId(1)).child(ActorId(3)),
            ActorFailure::from_message("boom"),
        )
        .with_metadata(metadata)
    };
    Clock::set(Duration::ZERO);
    for _ in 0..4 {
        sink.handle(crowded(), false).expect("handled");
    }
    let stats = sink.stats();
    assert_eq!(stats.telemetry_suppressed, 3);
    // Only the delivered failure's dropped tags count, in the stats and the metrics.
    assert_eq!(stats.tags_dropped, 3);
    let dropped_events: Vec<_> = recording
        .events()
        .into_iter()
        .filter(|event| matches!(event, MetricsEvent::TagsDropped(_)))
        .collect();
    assert_eq!(dropped_events, [MetricsEvent::TagsDropped(3)]);
    // A failure already handled adds none either.
    sink.handle(crowded(), true).expect("handled");
    assert_eq!(sink.stats().tags_dropped, 3);
}

#[test]
fn a_tag_signature_reads_the_failures_own_tags_not_the_system_tags() {
    type Clock = TestClock<11>;
    let recording = RecordingTelemetry::new();
    let hook = recording.clone();
    let config = ActorSystemConfig::<Controlled<11>>::new()
        .with_system_tag(key!("tenant"), "system-wide")
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .limit_storms(
            StormPolicy::new(1, WINDOW).with_signature(StormSignature::Tag("tenant".into())),
        )
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    Clock::set(Duration::ZERO);
    // Without their own tenant tag, two failures share the "no tag" signature, although
    // the system's tenant tag is on every snapshot the hook sees.
    sink.handle(failure(1, "boom"), false).expect("handled");
    sink.handle(failure(2, "boom"), false).expect("handled");
    assert_eq!(recording.snapshots().len(), 1);
    assert_eq!(sink.stats().telemetry_suppressed, 1);
    assert!(
        recording.snapshots()[0]
            .to_string()
            .contains("tenant=system-wide"),
        "the system tag reached the hook: {}",
        recording.snapshots()[0]
    );
    // Their own tenant tags make their own signatures. A failure whose own tenant is
    // the system tag's value is not the untagged failures' storm: a signature read
    // from the system tags would have put the untagged failures under "system-wide"
    // and suppressed it.
    for (actor, tenant) in [(3, "acme"), (4, "globex"), (5, "system-wide"), (6, "acme")] {
        let info =
            failure(actor, "boom").with_metadata(FailureMetadata::new().with_tag("tenant", tenant));
        sink.handle(info, false).expect("handled");
    }
    assert_eq!(recording.snapshots().len(), 4);
    assert_eq!(sink.stats().telemetry_suppressed, 2);
}

#[test]
fn the_documented_limits_hold_and_out_of_range_values_are_adjusted() {
    use escalation_telemetry::storms::{
        DEFAULT_STORM_SIGNATURES, MAX_STORM_BURST, MAX_STORM_SIGNATURES,
    };
    // docs/storms.md names these numbers.
    assert_eq!(MAX_STORM_BURST, 16_777_215);
    assert_eq!(DEFAULT_STORM_SIGNATURES, 256);
    assert_eq!(MAX_STORM_SIGNATURES, 65_536);
    let policy = StormPolicy::new(u32::MAX, Duration::ZERO).with_signatures(usize::MAX);
    assert_eq!(policy.burst(), 16_777_215);
    assert_eq!(policy.window(), Duration::from_nanos(1));
    assert_eq!(policy.signatures(), 65_536);
    assert_eq!(StormPolicy::new(7, WINDOW).signatures(), 256);
}

#[test]
fn a_sinks_debug_form_shows_its_storm_policy_and_table_size() {
    let (_hook, config) = counted::<12>();
    let config = config
        .limit_storms(StormPolicy::new(3, WINDOW).with_signatures(100))
        .finalize();
    let shown = format!("{:?}", config.root_escalation_sink::<()>());
    assert!(
        shown.contains("StormLimiter { policy: StormPolicy { burst: 3, window: 1s,")
            && shown.contains("signatures: 100 }, slots: 128,"),
        "{shown}"
    );
}

#[test]
fn window_numbers_do_not_wrap_and_a_clock_that_goes_back_keeps_the_limit() {
    type Clock = TestClock<13>;
    let (hook, config) = counted::<13>();
    // 1 ns windows: the shortest, whose numbers grow fastest.
    let config = config
        .limit_storms(StormPolicy::new(1, Duration::from_nanos(1)))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    let mut fail_at = |at: Duration, times: u64| {
        Clock::set(at);
        for _ in 0..times {
            sink.handle(failure(3, "flapping"), false).expect("handled");
        }
    };
    let storm = Duration::from_secs(7_200);
    fail_at(storm, 3);
    assert_eq!(hook.get("/1/3", "flapping"), (1, 0));
    // 2^40 windows later (about 18 minutes): a fresh window, delivered with the count.
    let later = storm + Duration::from_nanos(1 << 40);
    fail_at(later, 1);
    assert_eq!(hook.get("/1/3", "flapping"), (2, 2));
    // The clock goes back an hour, then sticks: every reading counts against the newest
    // window, whose burst is used, so all are suppressed and counted.
    fail_at(later - Duration::from_secs(3_600), 4);
    fail_at(later, 2);
    assert_eq!(hook.get("/1/3", "flapping"), (2, 2));
    // Past the newest window again: delivered, carrying all six.
    fail_at(later + Duration::from_nanos(1), 1);
    assert_eq!(hook.get("/1/3", "flapping"), (3, 8));
    assert_eq!(sink.stats().telemetry_suppressed, 8);
}
