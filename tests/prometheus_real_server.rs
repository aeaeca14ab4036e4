//! The fleet view in a real Prometheus server: two "nodes" (two Prometheus exporters of
//! the `prometheus` feature, each with its HTTP listener on an OS port of 127.0.0.1 and
//! its own failure mix through a real `RootEscalationSink`, node B with a storm policy)
//! scraped by a `prometheus`
//! process that also evaluates the shipped rules in `ops/prometheus/`. Through the
//! server's HTTP API the test checks the exact counters of each node, the latency
//! histogram summed over both, `histogram_quantile` across instances, and the recording
//! rules' values.
//!
//! Skipped (with a message) when `prometheus` is missing, unless
//! `ESCALATION_TELEMETRY_REQUIRE_TOOLS=1`.
#![cfg(feature = "prometheus")]

mod support {
    pub(crate) mod panics;
    pub(crate) mod prometheus_server;
    pub(crate) mod tools;
}

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
use escalation_telemetry::integrations::prometheus::prometheus_builder;
use escalation_telemetry::prelude::*;
use metrics_exporter_prometheus::{BuildError, PrometheusRecorder};
use support::panics::{intentional_panic, silence_intentional_panics};
use support::prometheus_server::{PrometheusServer, Sample, free_port};
use support::tools::available;
use tokio::runtime::Runtime;

const JOB: &str = "escalation-telemetry-fleet";
/// The bound on every wait for the server: a safety net, not a timing assertion.
const WAIT: Duration = Duration::from_secs(20);
/// Node B's hook stands for a slow backend: every call takes at least this long.
const SLOW_HOOK: Duration = Duration::from_millis(3);
const PANICKING_HOOK: &str = "corrupt checkpoint";
const PANICKING_LISTENER: &str = "listener panics";

/// One node: an exporter serving `/metrics` and the root sink recording into it.
struct Node {
    address: SocketAddr,
    root: RootEscalationSink<(), StdRuntime>,
    /// Kept for the node's lifetime, like an application's recorder.
    _recorder: PrometheusRecorder,
}

impl Node {
    /// The `instance` label Prometheus gives this node's samples.
    fn instance(&self) -> String {
        self.address.to_string()
    }

    fn escalate(&mut self, failures: &[(u64, &'static str)]) {
        for &(actor, description) in failures {
            let path = ActorPath::root().child(ActorId(1)).child(ActorId(actor));
            let failure = FailureInfo::new(
                ActorId(actor),
                path,
                ActorFailure::from_message(description),
            )
            .with_metadata(FailureMetadata::new().with_component("orders"))
            .escalate_to_parent();
            self.root
                .handle(failure, false)
                .expect("the root handles every failure");
        }
    }
}

/// Starts the exporter of one node on `runtime` (a free port, retried if another process
/// takes it first) and a root sink with `hook` and `listener` observing into it, and
/// `storms` as its storm policy if any.
fn start_node(
    runtime: &Runtime,
    hook: fn(&FailureSnapshot<'_>),
    listener: fn(FailureEvent<SpillingTags>),
    storms: Option<StormPolicy>,
) -> Node {
    let _context = runtime.enter();
    let mut attempts = 0;
    let (address, recorder, exporter) = loop {
        attempts += 1;
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()));
        match prometheus_builder().with_http_listener(address).build() {
            Ok((recorder, exporter)) => break (address, recorder, exporter),
            Err(BuildError::FailedToCreateHTTPListener(_)) if attempts < 5 => {}
            Err(error) => panic!("the exporter of a node: {error}"),
        }
    };
    runtime.spawn(exporter);
    let mut config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(MetricsFacadeSink::new_in(&recorder)))
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::from_fn(hook));
    if let Some(policy) = storms {
        config = config.limit_storms(policy);
    }
    let config = config
        .observe()
        .capture_timing(true)
        .with_failure_event_listener(listener)
        .finalize();
    Node {
        address,
        root: config.root_escalation_sink(),
        _recorder: recorder,
    }
}

/// Node A: a fast hook that panics on one kind of failure.
fn node_a_hook(snapshot: &FailureSnapshot<'_>) {
    if snapshot.description() == PANICKING_HOOK {
        intentional_panic("node A's hook failed on purpose");
    }
}

/// Node B: a hook slowed down by its backend.
fn node_b_hook(_: &FailureSnapshot<'_>) {
    std::thread::sleep(SLOW_HOOK);
}

fn quiet_listener(_: FailureEvent<SpillingTags>) {}

/// Node B's listener panics on one kind of failure.
fn node_b_listener(event: FailureEvent<SpillingTags>) {
    if event.info().failure.description() == PANICKING_LISTENER {
        intentional_panic("node B's listener failed on purpose");
    }
}

/// Each node's failures in one batch: A sees 3 (one makes its hook panic), B sees 3 (one
/// makes its listener panic). B limits storms to 2 hook calls per signature per hour:
/// its first batch reaches the hook whole; of the second, the two timeouts are suppressed
/// (their signature had its 2) and the listener's failure is delivered (its 2nd).
const BATCH_A: &[(u64, &str)] = &[(2, "disk full"), (3, PANICKING_HOOK), (2, "disk full")];
const BATCH_B: &[(u64, &str)] = &[
    (5, "upstream timed out"),
    (5, "upstream timed out"),
    (6, PANICKING_LISTENER),
];

fn storm_policy_of_b() -> StormPolicy {
    StormPolicy::new(2, Duration::from_secs(3600))
}

/// The value per instance of a query's result.
fn by_instance(result: &[Sample], instance: &str) -> Option<f64> {
    result
        .iter()
        .find(|sample| sample.label("instance") == instance)
        .map(|sample| sample.value)
}

/// `true` when the result has exactly these values for A and B.
fn values_are(result: &[Sample], a: &Node, b: &Node, expected: (f64, f64)) -> bool {
    result.len() == 2
        && by_instance(result, &a.instance()) == Some(expected.0)
        && by_instance(result, &b.instance()) == Some(expected.1)
}

fn rules_file() -> PathBuf {
    [
        env!("CARGO_MANIFEST_DIR"),
        "ops",
        "prometheus",
        "escalation-telemetry.rules.yml",
    ]
    .iter()
    .collect()
}

#[test]
fn prometheus_scrapes_two_nodes_aggregates_them_and_evaluates_the_rules() {
    if !available(
        "prometheus",
        "prometheus_scrapes_two_nodes_aggregates_them_and_evaluates_the_rules",
    ) {
        return;
    }
    silence_intentional_panics();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime for the exporters");
    let mut a = start_node(&runtime, node_a_hook, quiet_listener, None);
    let mut b = start_node(
        &runtime,
        node_b_hook,
        node_b_listener,
        Some(storm_policy_of_b()),
    );
    let server = PrometheusServer::start(JOB, &[a.address, b.address], &[&rules_file()]);

    // Both targets are up and scraped, every counter at 0 before any failure.
    let invocations = format!("escalation_telemetry_invocations_total{{job=\"{JOB}\"}}");
    server.wait_for(&invocations, WAIT, |r| values_are(r, &a, &b, (0.0, 0.0)));

    // Two batches, each seen by Prometheus before the next: every counter and bucket
    // series then has an increase inside any rate window.
    a.escalate(BATCH_A);
    b.escalate(BATCH_B);
    server.wait_for(&invocations, WAIT, |r| values_are(r, &a, &b, (3.0, 3.0)));
    a.escalate(BATCH_A);
    b.escalate(BATCH_B);
    server.wait_for(&invocations, WAIT, |r| values_are(r, &a, &b, (6.0, 4.0)));

    // The exact counts of each node, as Prometheus stored them. Waited for, not read
    // once: a scrape may have caught the last failure half-way (its invocation counted,
    // its latency not yet), and the next scrape completes it.
    let exact = |metric: &str, expected: (f64, f64)| {
        let query = format!("{metric}{{job=\"{JOB}\"}}");
        server.wait_for(&query, WAIT, |r| values_are(r, &a, &b, expected));
    };
    exact("escalation_telemetry_panics_total", (2.0, 0.0));
    exact("escalation_telemetry_handler_panics_total", (0.0, 0.0));
    exact("escalation_telemetry_listener_panics_total", (0.0, 2.0));
    exact("escalation_telemetry_tags_dropped_total", (0.0, 0.0));
    exact("escalation_telemetry_suppressed_total", (0.0, 2.0));
    // Exported by every node's sink; these nodes do not forward, so nothing dropped.
    exact("escalation_telemetry_forward_dropped_total", (0.0, 0.0));
    // A panicking hook records no latency.
    exact("escalation_telemetry_latency_seconds_count", (4.0, 4.0));

    // The histogram sums over both nodes: 8 samples, of which node B's 4 all took more
    // than 1 ms, so at most node A's 4 are at or below 1 ms.
    let buckets = server.query(&format!(
        "sum by (le) (escalation_telemetry_latency_seconds_bucket{{job=\"{JOB}\"}})"
    ));
    let bucket = |le: &str| {
        buckets
            .iter()
            .find(|sample| sample.label("le") == le)
            .map(|sample| sample.value)
            .unwrap_or_else(|| panic!("no bucket le={le} in {buckets:#?}"))
    };
    assert_eq!(bucket("+Inf"), 8.0);
    assert!(bucket("0.001") <= 4.0, "{buckets:#?}");
    let instances = server.query(&format!(
        "count(count by (instance) (escalation_telemetry_latency_seconds_bucket{{job=\"{JOB}\"}}))"
    ));
    assert_eq!(
        instances.first().map(|s| s.value),
        Some(2.0),
        "{instances:#?}"
    );

    // The fleet's p99 from bucket rates summed across instances: half of the calls took
    // at least 3 ms, so the 99th percentile lies in a bucket above 1 ms; the largest
    // finite bound is 1 s. A rate needs two scrapes of each node inside its range: on a
    // loaded machine the second may come late, so the query is retried until it
    // answers one finite p99 (bounded by `WAIT`).
    let p99 = server.wait_for(
        &format!(
            "histogram_quantile(0.99, sum by (le) (rate(escalation_telemetry_latency_seconds_bucket{{job=\"{JOB}\"}}[1m])))"
        ),
        WAIT,
        |r| r.len() == 1 && r[0].value.is_finite(),
    );
    let [p99] = p99.as_slice() else {
        panic!("one aggregated p99: {p99:#?}");
    };
    assert!(
        (0.001..=1.0).contains(&p99.value),
        "p99 across both nodes: {p99:?}"
    );

    // The shipped recording rules, evaluated by the server. Node A's hook panicked,
    // node B's never did: exactly 0 there.
    let hook_panics = "job_instance:escalation_telemetry_hook_panics:rate5m";
    let result = server.wait_for(hook_panics, WAIT, |r| {
        r.len() == 2 && by_instance(r, &a.instance()).is_some_and(|v| v > 0.0)
    });
    assert_eq!(
        by_instance(&result, &b.instance()),
        Some(0.0),
        "{result:#?}"
    );
    // The next rule of the group may not be written yet: waited for too. Only node B's
    // listener panicked; its handler, clock and builder did not, nor anything on A.
    let callbacks = "job_instance_step:escalation_telemetry_callback_panics:rate5m";
    let result = server.wait_for(callbacks, WAIT, |r| {
        r.iter().any(|sample| {
            sample.label("instance") == b.instance()
                && sample.label("step") == "listener"
                && sample.value > 0.0
        })
    });
    for sample in &result {
        let panicked =
            sample.label("instance") == b.instance() && sample.label("step") == "listener";
        assert_eq!(sample.value > 0.0, panicked, "{sample:?}");
    }
    // Four steps per node.
    assert_eq!(result.len(), 8, "{result:#?}");

    // Failures reaching the root per node: delivered plus suppressed (B's storm policy
    // suppressed two), and the job's sum of both nodes.
    let suppressed = "job_instance:escalation_telemetry_suppressed:rate5m";
    server.wait_for(suppressed, WAIT, |r| {
        r.len() == 2
            && by_instance(r, &a.instance()) == Some(0.0)
            && by_instance(r, &b.instance()).is_some_and(|v| v > 0.0)
    });
    let job_rule = "job:escalation_telemetry_failures:rate5m";
    server.wait_for(job_rule, WAIT, |r| r.len() == 1 && r[0].value > 0.0);
    // An instant query answers with the query's time; `timestamp()` gives the time of
    // the evaluation that wrote the sample, at which every rule of the group before it
    // was evaluated too: all of them are read at that time.
    let evaluated = server.query(&format!("timestamp({job_rule})"));
    let [evaluated] = evaluated.as_slice() else {
        panic!("one evaluation time: {evaluated:#?}");
    };
    let at_evaluation = |rule: &str| server.query_at(rule, Some(evaluated.value));
    let job = at_evaluation(job_rule);
    let [job] = job.as_slice() else {
        panic!("one job-level sample: {job:#?}");
    };
    assert_eq!(job.label("job"), JOB);
    let failures = at_evaluation("job_instance:escalation_telemetry_failures:rate5m");
    let delivered = at_evaluation("job_instance:escalation_telemetry_invocations:rate5m");
    let suppressed = at_evaluation(suppressed);
    for node in [&a, &b] {
        let of = |result: &[Sample]| {
            by_instance(result, &node.instance())
                .unwrap_or_else(|| panic!("no sample for {} in {result:#?}", node.instance()))
        };
        assert!(of(&delivered) > 0.0);
        assert_eq!(of(&failures), of(&delivered) + of(&suppressed));
    }
    let sum: f64 = failures.iter().map(|sample| sample.value).sum();
    assert_eq!(failures.len(), 2, "{failures:#?}");
    assert!(
        (sum - job.value).abs() <= 1e-9 * job.value,
        "job {} != sum of nodes {sum} ({failures:#?})",
        job.value
    );

    // The latency rule exists and is a quantile within the buckets.
    let p99_rule = server.wait_for(
        "job:escalation_telemetry_latency_seconds:p99_5m",
        WAIT,
        |r| r.len() == 1 && r[0].value.is_finite(),
    );
    assert!((0.001..=1.0).contains(&p99_rule[0].value), "{p99_rule:#?}");

    drop(server);
    runtime.shutdown_timeout(Duration::from_secs(5));
}
