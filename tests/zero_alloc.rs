//! The root path allocates nothing: proved by counting, not by reading.
//!
//! This test binary runs with the global allocator of the `allocation-counter` crate,
//! which counts every allocation per thread (`allocation_counter::measure` reports the
//! allocations the closure made on the calling thread). Per-thread counting matters:
//! libtest runs these tests on concurrent threads, and a process-wide counter (as with
//! `stats_alloc` or `dhat`) would also see the other tests' allocations. The crate's
//! allocator is declared inside it, so our code needs no `unsafe` (`unsafe_code` is
//! forbidden in every target).
//!
//! Only counts are asserted, never times. Every case makes and escalates many failures
//! inside the measured closure, including the first one (lazy initialisation would
//! show up), and checks that the path really ran (hook calls, metrics counts).
#![cfg(feature = "std")]

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use allocation_counter::{AllocationInfo, measure};
use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::TagStorage;

const FAILURES: u64 = 1_000;

#[derive(Default)]
struct CountingHook(AtomicU64);

impl FailureTelemetry for CountingHook {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        assert_eq!(snapshot.description(), "disk full");
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

impl CountingHook {
    fn calls(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

const TAGS: [(&str, &str); 6] = [
    ("component", "storage"),
    ("endpoint", "/v1/orders"),
    ("transport", "grpc"),
    ("tenant", "acme"),
    ("region", "eu-west-1"),
    ("shard", "7"),
];

/// A failure at `/1/2/3` with the first `tags` of [`TAGS`], `'static` or owned values.
fn failure<T: TagStorage>(tags: usize, owned: bool) -> FailureInfo<T> {
    let metadata: FailureMetadata<T> = TAGS
        .iter()
        .take(tags)
        .map(|&(key, value)| {
            let value: Cow<'static, str> = if owned {
                Cow::Owned(value.to_owned())
            } else {
                Cow::Borrowed(value)
            };
            (key, value)
        })
        .collect();
    let path = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(2))
        .child(ActorId(3));
    FailureInfo::new(ActorId(3), path, ActorFailure::from_message("disk full"))
        .with_metadata(metadata)
        .escalate_to_parent()
}

/// What a test inspects after the measured escalations.
struct Setup<T: TagStorage> {
    config: ActorSystemConfig<StdRuntime<T>, Finalized>,
    hook: Arc<CountingHook>,
    metrics: Arc<CountingMetricsSink>,
    handled: Arc<AtomicU64>,
}

/// A finalized config with a counting hook, a counting metrics sink, a handler and a
/// listener; observed with timing when `observed`.
fn setup<T: TagStorage>(observed: bool) -> Setup<T> {
    let hook = Arc::new(CountingHook::default());
    let metrics = Arc::new(CountingMetricsSink::new());
    let handled = Arc::new(AtomicU64::new(0));
    let builder_hook = hook.clone();
    let with_builder = ActorSystemConfig::<StdRuntime<T>>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::from(builder_hook.clone()));
    let config = if observed {
        with_builder.observe().capture_timing(true).finalize()
    } else {
        with_builder.finalize()
    };
    let handler_count = handled.clone();
    let listener_count = handled.clone();
    let config = config
        .with_failure_event_handler(move |info| {
            assert_eq!(info.path.depth(), 3);
            handler_count.fetch_add(1, Ordering::Relaxed);
        })
        .with_failure_event_listener(move |event| {
            assert_eq!(event.info().actor, ActorId(3));
            listener_count.fetch_add(1, Ordering::Relaxed);
        });
    Setup {
        config,
        hook,
        metrics,
        handled,
    }
}

/// Makes and escalates [`FAILURES`] failures with `tags` `'static` tags, all inside the
/// measurement.
fn escalate_static<T: TagStorage>(
    sink: &mut RootEscalationSink<(), StdRuntime<T>>,
    tags: usize,
) -> AllocationInfo {
    measure(|| {
        for _ in 0..FAILURES {
            sink.handle(failure(tags, false), false)
                .expect("the root handles every failure");
        }
    })
}

#[test]
fn spilling_tags_not_observed_allocate_nothing() {
    let setup = setup::<SpillingTags<4>>(false);
    let mut sink = setup.config.root_escalation_sink::<()>();

    let allocations = escalate_static(&mut sink, 4);

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(setup.hook.calls(), FAILURES);
    assert_eq!(setup.handled.load(Ordering::Relaxed), 2 * FAILURES);
    assert_eq!(setup.metrics.totals().invocations, 0);
}

#[test]
fn spilling_tags_observed_with_timing_allocate_nothing() {
    let setup = setup::<SpillingTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();

    let allocations = escalate_static(&mut sink, 4);

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(setup.hook.calls(), FAILURES);
    assert_eq!(setup.metrics.totals().invocations, FAILURES);
    assert_eq!(setup.metrics.totals().latency_samples, FAILURES);
}

#[test]
fn bounded_tags_observed_with_timing_allocate_nothing_even_when_tags_are_dropped() {
    let setup = setup::<BoundedTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();

    // Six tags into a storage of four: two dropped per failure, counted, not allocated.
    let allocations = escalate_static(&mut sink, 6);

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(setup.hook.calls(), FAILURES);
    assert_eq!(setup.metrics.totals().latency_samples, FAILURES);
    assert_eq!(setup.metrics.totals().tags_dropped, 2 * FAILURES);
    assert_eq!(sink.stats().tags_dropped, 2 * FAILURES);
}

#[test]
fn bounded_tags_not_observed_and_switched_off_allocate_nothing() {
    let unobserved = setup::<BoundedTags<4>>(false);
    let mut sink = unobserved.config.root_escalation_sink::<()>();
    let allocations = escalate_static(&mut sink, 4);
    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(unobserved.hook.calls(), FAILURES);

    let switched_off = setup::<BoundedTags<4>>(true);
    switched_off
        .config
        .observation_switch()
        .expect("an observed config has a switch")
        .disable();
    let mut sink = switched_off.config.root_escalation_sink::<()>();
    let allocations = escalate_static(&mut sink, 4);
    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(switched_off.hook.calls(), FAILURES);
    assert_eq!(switched_off.metrics.totals().invocations, 0);
}

/// [`setup`] with a storm policy of `burst` hook calls per hour, observed with timing.
fn storm_setup(burst: u32) -> Setup<SpillingTags<4>> {
    let hook = Arc::new(CountingHook::default());
    let metrics = Arc::new(CountingMetricsSink::new());
    let handled = Arc::new(AtomicU64::new(0));
    let builder_hook = hook.clone();
    let handler_count = handled.clone();
    let config = ActorSystemConfig::<StdRuntime<SpillingTags<4>>>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::from(builder_hook.clone()))
        .observe()
        .capture_timing(true)
        .limit_storms(StormPolicy::new(
            burst,
            std::time::Duration::from_secs(3600),
        ))
        .with_failure_event_handler(move |_info| {
            handler_count.fetch_add(1, Ordering::Relaxed);
        })
        .finalize();
    Setup {
        config,
        hook,
        metrics,
        handled,
    }
}

#[test]
fn storm_limited_failures_allocate_nothing_whether_delivered_or_suppressed() {
    // Every failure delivered (the burst is never used up); the first one claims the
    // signature's slot inside the measurement.
    let delivered = storm_setup(u32::try_from(FAILURES).expect("small"));
    let mut sink = delivered.config.root_escalation_sink::<()>();
    let allocations = escalate_static(&mut sink, 4);
    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(delivered.hook.calls(), FAILURES);
    assert_eq!(sink.stats().telemetry_suppressed, 0);

    // Ten delivered, every other one suppressed and recorded into the metrics sink.
    let suppressed = storm_setup(10);
    let mut sink = suppressed.config.root_escalation_sink::<()>();
    let allocations = escalate_static(&mut sink, 4);
    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(suppressed.hook.calls(), 10);
    assert_eq!(sink.stats().telemetry_suppressed, FAILURES - 10);
    assert_eq!(suppressed.metrics.totals().suppressed, FAILURES - 10);
    assert_eq!(suppressed.handled.load(Ordering::Relaxed), FAILURES);
}

/// Counts the bytes of what is formatted into it, storing nothing.
#[derive(Default)]
struct ByteCount(usize);

impl std::fmt::Write for ByteCount {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Reads the system tags the way a hook does: looks one up, walks them all and formats
/// the whole line; adds the line's length to its total.
#[derive(Default)]
struct SystemTagsHook(AtomicU64);

impl FailureTelemetry for SystemTagsHook {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        use std::fmt::Write as _;

        assert_eq!(snapshot.tag("node"), Some("node-7"));
        assert_eq!(
            snapshot.tag("region"),
            Some("eu-west-1"),
            "the failure's own wins"
        );
        assert_eq!(snapshot.all_tags().count(), 9, "six own, three system");
        let mut line = ByteCount::default();
        write!(line, "{snapshot}").expect("counting cannot fail");
        self.0.fetch_add(line.0 as u64, Ordering::Relaxed);
    }
}

/// System tags are made once (even a `String` value) and borrowed by every snapshot:
/// an observed, timed system with system tags, one of them overridden by the failure,
/// allocates nothing per failure, and its hook sees and prints them.
#[test]
fn system_tags_allocate_nothing_per_failure() {
    let hook = Arc::new(SystemTagsHook::default());
    let metrics = Arc::new(CountingMetricsSink::new());
    let builder_hook = hook.clone();
    let config = ActorSystemConfig::<StdRuntime<SpillingTags<8>>>::new()
        .with_system_tag(key!("service"), "orders")
        .with_system_tag(key!("region"), "eu")
        .with_system_tag(key!("node"), format!("node-{}", 7))
        .with_system_tag(key!("zone"), "b")
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::from(builder_hook.clone()))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    let expected_line = {
        let info: FailureInfo<SpillingTags<8>> = failure(6, false);
        info.snapshot()
            .with_system_tags(config.system_tags())
            .to_string()
    };
    assert!(
        expected_line.ends_with("service=orders node=node-7 zone=b]"),
        "{expected_line}"
    );

    let allocations = escalate_static(&mut sink, 6);

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(metrics.totals().invocations, FAILURES);
    assert_eq!(
        hook.0.load(Ordering::Relaxed),
        FAILURES * expected_line.len() as u64
    );
}

#[test]
fn dispatch_handles_allocate_nothing() {
    let hook = TypedFailureTelemetry::new(CountingHook::default());
    let shared = hook.to_shared();
    let metrics = Arc::new(CountingMetricsSink::new());
    let cfg = FailureTelemetryObservationConfig {
        metrics: Some(MetricsSinkShared::from_arc(metrics.clone())),
        capture_timing: true,
    };
    let info: FailureInfo = failure(4, false);

    let allocations = measure(|| {
        for _ in 0..FAILURES {
            let snapshot = info.snapshot();
            shared.with_ref(|t| t.on_failure(&snapshot));
            shared.with_ref_observed(&cfg, |t| t.on_failure(&snapshot));
            hook.with_ref_observed(&cfg, |t| t.on_failure(&snapshot));
        }
    });

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(hook.get().calls(), 3 * FAILURES);
    assert_eq!(metrics.totals().latency_samples, 2 * FAILURES);
}

/// Owned (`String`) tag values cost their own allocations where they are made or
/// cloned, never on the root path: `handle` only frees them.
#[test]
fn owned_tags_allocate_once_per_value_when_made_and_nothing_in_handle() {
    let setup = setup::<SpillingTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();
    let template: FailureInfo<SpillingTags<4>> = failure(4, true);

    // Exactly one allocation per owned value, in the clone.
    let mut clones = Vec::with_capacity(FAILURES as usize);
    let cloning = measure(|| {
        for _ in 0..FAILURES {
            clones.push(template.clone());
        }
    });
    assert_eq!(cloning.count_total, 4 * FAILURES, "{cloning:?}");

    // `handle` allocates nothing and frees every value (all 4 000 clones' Strings).
    let handling = measure(|| {
        for info in clones.drain(..) {
            sink.handle(info, false)
                .expect("the root handles every failure");
        }
    });
    assert_eq!(handling.count_total, 0, "{handling:?}");
    assert_eq!(handling.count_current, -4 * FAILURES as i64, "{handling:?}");
    assert_eq!(setup.hook.calls(), FAILURES);

    // With 'static values the same clone allocates nothing.
    let static_template: FailureInfo<SpillingTags<4>> = failure(4, false);
    let static_cloning = measure(|| {
        for _ in 0..FAILURES {
            drop(static_template.clone());
        }
    });
    assert_eq!(static_cloning.count_total, 0, "{static_cloning:?}");
}

/// A crash report's parts cost nothing on the root path: a failure made from a panic
/// picked up by the panic hook, with its location, trace and a captured backtrace (all
/// made where the failure was made), is handled without an allocation.
#[test]
fn a_panic_with_its_backtrace_and_trace_allocates_nothing_in_handle() {
    install_panic_hook();
    escalation_telemetry::failure::capture_backtraces(true);
    let payload = std::panic::catch_unwind(|| panic!("disk full")).expect_err("panics");
    escalation_telemetry::failure::capture_backtraces(false);
    let made = ActorFailure::from_panic_payload(&*payload).with_trace(TraceContext {
        trace_id: [7; 16],
        span_id: [9; 8],
        sampled: true,
    });
    assert_eq!(made.kind(), FailureKind::Panic);
    assert!(made.backtrace().is_some(), "captured by the hook");
    let path = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(2))
        .child(ActorId(3));
    let template: FailureInfo<SpillingTags<4>> =
        FailureInfo::new(ActorId(3), path, made).escalate_to_parent();

    let setup = setup::<SpillingTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();
    let mut clones = Vec::with_capacity(FAILURES as usize);
    let cloning = measure(|| {
        for _ in 0..FAILURES {
            clones.push(template.clone());
        }
    });
    assert_eq!(
        cloning.count_total, 0,
        "a clone shares the parts: {cloning:?}"
    );
    let handling = measure(|| {
        for info in clones.drain(..) {
            sink.handle(info, false)
                .expect("the root handles every failure");
        }
    });
    assert_eq!(handling.count_total, 0, "{handling:?}");
    assert_eq!(setup.hook.calls(), FAILURES);
}

/// Beyond the inline capacities things spill, once per failure: a fifth tag in
/// `SpillingTags<4>` moves the tags to the heap (one allocation), and nothing else.
#[test]
fn spilled_tags_allocate_exactly_once_per_failure() {
    let setup = setup::<SpillingTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();

    let allocations = escalate_static(&mut sink, 5);

    assert_eq!(allocations.count_total, FAILURES, "{allocations:?}");
    assert_eq!(allocations.count_current, 0, "{allocations:?}");
    assert_eq!(setup.hook.calls(), FAILURES);
}

/// `FAILURES` failures through a root whose hook is a cluster node's forwarding hook with
/// `options`, on one thread (the forwarder task cannot run while the measured loop does
/// not await, so nothing leaves the buffer): the allocations of the loop and the
/// forwarding counters after it.
#[cfg(feature = "cluster")]
fn escalate_into_forwarding(
    options: escalation_telemetry::integrations::ractor::cluster::ForwardingOptions,
) -> (
    AllocationInfo,
    escalation_telemetry::integrations::ractor::cluster::ForwardingStats,
) {
    use escalation_telemetry::integrations::ractor::cluster::ForwardingTelemetry;
    use std::net::{IpAddr, Ipv4Addr};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let server = ractor_cluster::NodeServer::new(
            0,
            "cookie".into(),
            "alloc".into(),
            "localhost".into(),
            None,
            None,
        )
        .with_listen_addr(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let (server, server_done) = ractor::Actor::spawn(None, server, ())
            .await
            .expect("the node server starts");
        let (forwarding, forwarder) =
            ForwardingTelemetry::spawn(server.clone(), options).expect("inside a runtime");
        let hook = forwarding.clone();
        let config = ActorSystemConfig::<StdRuntime>::new()
            .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
            .finalize();
        let mut sink = config.root_escalation_sink::<()>();
        let failures: Vec<FailureInfo> = (0..FAILURES).map(|_| failure(4, false)).collect();

        let allocations = measure(|| {
            for info in failures {
                sink.handle(info, false)
                    .expect("the root handles every failure");
            }
        });

        let stats = forwarding.stats();
        forwarder.stop().await;
        server.stop(None);
        server_done.await.expect("the node server stops");
        (allocations, stats)
    })
}

/// The forwarding hook of a cluster node makes one owned copy of each failure: with
/// `'static` tags, the description and the tag list (two allocations), the path stays
/// inline. Nothing else on the root path allocates; the copies wait in the buffer.
#[cfg(feature = "cluster")]
#[test]
fn forwarding_allocates_the_owned_copy_only() {
    use escalation_telemetry::integrations::ractor::cluster::ForwardingOptions;

    let options = ForwardingOptions::new("alloc").with_capacity(FAILURES as usize);
    let (allocations, stats) = escalate_into_forwarding(options);

    assert_eq!(allocations.count_total, 2 * FAILURES, "{allocations:?}");
    assert_eq!((stats.pending, stats.dropped), (FAILURES as usize, 0));
}

/// A full forwarding buffer drops the oldest copy and records the drop into the
/// options' metrics sink: freeing the dropped copy and the metrics record allocate
/// nothing, so each failure still costs its owned copy only.
#[cfg(feature = "cluster")]
#[test]
fn forwarding_drops_recorded_as_metrics_allocate_nothing_more() {
    use escalation_telemetry::integrations::ractor::cluster::ForwardingOptions;

    const CAPACITY: u64 = 10;
    let counts = Arc::new(CountingMetricsSink::new());
    let options = ForwardingOptions::new("alloc")
        .with_capacity(CAPACITY as usize)
        .with_metrics_sink(MetricsSinkShared::from_arc(counts.clone()));
    let (allocations, stats) = escalate_into_forwarding(options);

    assert_eq!(allocations.count_total, 2 * FAILURES, "{allocations:?}");
    assert_eq!(stats.dropped, FAILURES - CAPACITY);
    assert_eq!(counts.totals().forward_dropped, FAILURES - CAPACITY);
}

/// An error with one cause, for a failure that carries the crash-report fields.
#[derive(Debug)]
struct DiskFull(std::io::Error);

impl std::fmt::Display for DiskFull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("disk full")
    }
}

impl std::error::Error for DiskFull {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// What a caller that keeps its failure pays: `clone` + `handle`, observed with timing.
/// With `'static` tags nothing allocates; a failure carrying the crash-report fields
/// (made from an error, with causes, an error type and a trace) allocates them once,
/// where it is made, and its clones share them.
#[test]
fn clone_and_handle_allocate_nothing_with_or_without_the_crash_report_fields() {
    let setup = setup::<SpillingTags<4>>(true);
    let mut sink = setup.config.root_escalation_sink::<()>();
    let plain: FailureInfo<SpillingTags<4>> = failure(4, false);
    let error = DiskFull(std::io::Error::other("no space left on /var"));
    let reported = FailureInfo::<SpillingTags<4>>::new_in(
        ActorId(3),
        plain.path.clone(),
        ActorFailure::from_error(&error).with_trace(TraceContext {
            trace_id: [7; 16],
            span_id: [9; 8],
            sampled: true,
        }),
    )
    .with_metadata(plain.metadata.clone());
    assert_eq!(reported.failure.causes().count(), 1);

    let allocations = measure(|| {
        for _ in 0..FAILURES {
            sink.handle(plain.clone(), false)
                .expect("the root handles every failure");
            sink.handle(reported.clone(), false)
                .expect("the root handles every failure");
        }
    });

    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(setup.hook.calls(), 2 * FAILURES);
    assert_eq!(setup.metrics.totals().latency_samples, 2 * FAILURES);
}

/// The one-line form of a failure with every crash-report field (kind, error type,
/// location, causes, trace) is written without allocating.
#[test]
fn the_line_of_a_crash_report_allocates_nothing() {
    use std::fmt::Write as _;

    let error = DiskFull(std::io::Error::other("no space left on /var"));
    let info = FailureInfo::<SpillingTags<4>>::new_in(
        ActorId(3),
        ActorPath::root().child(ActorId(3)),
        ActorFailure::from_error(&error)
            .with_error_type("storage::DiskFull")
            .with_code_location("src/storage.rs", 12, 5)
            .with_trace(TraceContext {
                trace_id: [7; 16],
                span_id: [9; 8],
                sampled: true,
            }),
    );
    let expected = info.to_string();
    assert!(
        expected.contains(" causes=[") && expected.contains(" trace=00-"),
        "{expected}"
    );
    let mut line = ByteCount::default();
    let allocations = measure(|| {
        write!(line, "{}", info.snapshot()).expect("counting cannot fail");
    });
    assert_eq!(allocations.count_total, 0, "{allocations:?}");
    assert_eq!(line.0, expected.len());
}
