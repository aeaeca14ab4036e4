//! Failures of a ractor_cluster reaching one collector, with real nodes: two or three
//! `NodeServer`s in this process, connected over TCP on 127.0.0.1 (OS-chosen ports).
//! Every wait is bounded; conditions are polled against a deadline or awaited on a
//! channel, never slept on.
#![cfg(feature = "cluster")]

mod support {
    pub(crate) mod cluster_node;
    pub(crate) mod ractor_escalator;
}

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use escalation_telemetry::integrations::ractor::cluster::{
    ClusterRoot, ClusterRootMessage, ClusterRootOptions, ClusterStats, FORWARD_DROPPED_TAG,
    Forwarder, ForwardingError, ForwardingOptions, ForwardingStats, ForwardingTelemetry,
    MAX_DESCRIPTION_BYTES, MAX_TAG_VALUE_BYTES, NODE_TAG,
};
use escalation_telemetry::integrations::ractor::{
    GuardianMessage, GuardianStats, RootGuardian, TaggedFailure,
};
use escalation_telemetry::prelude::*;
use ractor::concurrency::JoinHandle;
use ractor::message::{BoxedDowncastErr, SerializedMessage};
use ractor::rpc::CallResult;
use ractor::{Actor, ActorCell, ActorProcessingErr, ActorRef};
use support::cluster_node::{Node, WAIT, within};
use support::ractor_escalator::Escalator;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

const COOKIE: &str = "test-cookie";

/// One cluster at a time: ractor's process groups are global to the process, and
/// ractor_cluster numbers each server's sessions from 0, so the proxies that two
/// clusters in one process make for their collectors can share an id (and one
/// stopping removes the other from its group). Real nodes are separate processes.
static ONE_CLUSTER_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// ---------------------------------------------------------------- actors

/// Fails when told to: panics with a text, or returns an error (no panic: the panic
/// hook would print a huge text).
struct Worker;

enum Fault {
    Panic(String),
    Return(ActorProcessingErr),
}

impl ractor::Message for Fault {}

impl Actor for Worker {
    type Msg = Fault;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Fault>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Fault>,
        fault: Fault,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match fault {
            Fault::Panic(text) => panic!("{text}"),
            Fault::Return(error) => Err(error),
        }
    }
}

/// A message ractor_cluster serializes under a variant name the collector does not know.
struct Bogus;

impl ractor::Message for Bogus {
    fn serializable() -> bool {
        true
    }

    fn serialize(self) -> Result<SerializedMessage, BoxedDowncastErr> {
        Ok(SerializedMessage::Cast {
            variant: "not-a-collector-message".into(),
            args: vec![1, 2, 3],
            metadata: None,
        })
    }
}

// ---------------------------------------------------------------- nodes

/// A collector on a node, with what its telemetry hook, metrics, handler and listener
/// saw.
struct Collector {
    root: ActorRef<ClusterRootMessage>,
    handle: JoinHandle<()>,
    failures: UnboundedReceiver<FailureInfo>,
    hook_lines: Arc<Mutex<Vec<String>>>,
    metrics: Arc<CountingMetricsSink>,
    listened: Arc<AtomicU64>,
}

impl Collector {
    async fn start(node: &Node, group: &str) -> Self {
        let (failure_tx, failures) = unbounded_channel();
        let hook_lines = Arc::new(Mutex::new(Vec::new()));
        let metrics = Arc::new(CountingMetricsSink::new());
        let listened = Arc::new(AtomicU64::new(0));
        let (lines, heard) = (hook_lines.clone(), listened.clone());
        // The collector's own node tag: a forwarded failure's `node` must win over it.
        let config = ActorSystemConfig::<StdRuntime>::new()
            .with_system_tag(key!("node"), "collector-a")
            .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
            .with_failure_telemetry(move |_ctx| {
                let lines = lines.clone();
                FailureTelemetryShared::from_fn(move |snapshot| {
                    lines
                        .lock()
                        .expect("not poisoned")
                        .push(snapshot.to_string());
                })
            })
            .observe()
            .finalize()
            .with_failure_event_handler(move |info| {
                let _ = failure_tx.send(info.clone());
            })
            .with_failure_event_listener(move |_event| {
                heard.fetch_add(1, Ordering::Relaxed);
            });
        let options = ClusterRootOptions::new()
            .with_group(group)
            .with_node_server(node.server.clone());
        let (root, handle) = ClusterRoot::spawn_with_config(None, &config, options)
            .await
            .expect("the collector starts");
        Self {
            root,
            handle,
            failures,
            hook_lines,
            metrics,
            listened,
        }
    }

    async fn next_failure(&mut self) -> FailureInfo {
        within(self.failures.recv())
            .await
            .expect("the collector reports a failure")
    }

    async fn stats(&self) -> ClusterStats {
        ractor::call_t!(self.root, ClusterRootMessage::Stats, 5_000).expect("the collector answers")
    }

    async fn stop(self) {
        self.root.stop(None);
        within(self.handle).await.expect("the collector stops");
    }
}

/// A forwarding node's tree: a guardian whose hook forwards.
struct Sender {
    forwarding: ForwardingTelemetry,
    forwarder: Forwarder,
    guardian: ActorRef<GuardianMessage>,
    guardian_handle: JoinHandle<()>,
}

impl Sender {
    async fn start(node: &Node, options: ForwardingOptions) -> Self {
        Self::start_limited(node, options, None).await
    }

    /// A sending node whose root limits storms with `storms`, when given.
    async fn start_limited(
        node: &Node,
        options: ForwardingOptions,
        storms: Option<StormPolicy>,
    ) -> Self {
        let (forwarding, forwarder) =
            ForwardingTelemetry::spawn(node.server.clone(), options).expect("inside a runtime");
        let hook = forwarding.clone();
        // The node's own system tags travel with each failure; a `node` system tag is
        // replaced by the forwarding options' node name.
        let with_hook = ActorSystemConfig::<StdRuntime>::new()
            .with_system_tag(key!("region"), "eu-1")
            .with_system_tag(key!("node"), "overridden")
            .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()));
        let config = match storms {
            Some(policy) => with_hook.limit_storms(policy).finalize(),
            None => with_hook.finalize(),
        };
        let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
            .await
            .expect("the guardian starts");
        Self {
            forwarding,
            forwarder,
            guardian,
            guardian_handle,
        }
    }

    /// A worker under a new supervisor panics with `text` (the supervisor escalates
    /// and stops); returns the path the failure has at this node's root
    /// (`/supervisor/worker`) and the worker's id.
    async fn fail(&self, text: &str) -> (ActorPath, ActorId) {
        let (supervisor, supervisor_handle) =
            Actor::spawn_linked(None, Escalator { tag: None }, (), self.guardian.get_cell())
                .await
                .expect("the supervisor starts");
        let (worker, handle) = Actor::spawn_linked(None, Worker, (), supervisor.get_cell())
            .await
            .expect("the worker starts");
        worker
            .cast(Fault::Panic(text.into()))
            .expect("the worker takes the message");
        // The worker panics and stops, the supervisor escalates and stops: once both
        // have ended the failure is in the guardian's mailbox, so failures made one
        // after another reach the guardian in that order.
        within(handle).await.expect("the worker stops");
        within(supervisor_handle)
            .await
            .expect("the supervisor stops");
        let worker_id = ActorId::from(worker.get_id());
        let path = ActorPath::root()
            .child(ActorId::from(supervisor.get_id()))
            .child(worker_id);
        (path, worker_id)
    }

    /// A child of the guardian returns `error`; once it has stopped, the failure is in
    /// the guardian's mailbox.
    async fn fail_with(&self, error: ActorProcessingErr) {
        let (child, handle) = Actor::spawn_linked(None, Worker, (), self.guardian.get_cell())
            .await
            .expect("the failing child starts");
        child
            .cast(Fault::Return(error))
            .expect("the child takes the message");
        within(handle).await.expect("the failing child stops");
    }

    /// Waits until the forwarder holds a failure (nothing else pending) and has failed
    /// an attempt with it since `attempts` failed attempts: no collector to reach.
    async fn holding(&self, attempts: u64) {
        until("a failed attempt with the failure in hand", || async {
            let stats = self.stats();
            stats.failed_attempts > attempts && stats.pending == 1
        })
        .await;
    }

    /// With a failure in hand and a buffer of one: one failure waits, the next one
    /// drops it ("dropped", then "kept").
    async fn drop_one(&self) {
        let dropped = self.stats().dropped;
        self.fail("dropped").await;
        self.fail("kept").await;
        until("one drop", || async { self.stats().dropped == dropped + 1 }).await;
    }

    fn stats(&self) -> ForwardingStats {
        self.forwarding.stats()
    }

    async fn guardian_stats(&self) -> GuardianStats {
        ractor::call_t!(self.guardian, GuardianMessage::Stats, 5_000).expect("the guardian answers")
    }

    async fn stop(self) {
        self.forwarder.stop().await;
        self.guardian.stop(None);
        within(self.guardian_handle)
            .await
            .expect("the guardian stops");
    }
}

/// Stops the senders, then the collector, then the nodes, in that order.
async fn stop_all<const S: usize, const N: usize>(
    senders: [Sender; S],
    collector: Collector,
    nodes: [Node; N],
) {
    for sender in senders {
        sender.stop().await;
    }
    collector.stop().await;
    for node in nodes {
        node.stop().await;
    }
}

/// A sending node's metrics sink: the in-process counts and, with the `metrics`
/// feature, the Prometheus text an operator scrapes (through `MetricsFacadeSink` and a
/// recorder of the test's own, never installed globally).
struct SenderMetrics {
    counts: CountingMetricsSink,
    #[cfg(feature = "metrics")]
    facade: escalation_telemetry::integrations::metrics::MetricsFacadeSink,
    #[cfg(feature = "metrics")]
    exposition: metrics_exporter_prometheus::PrometheusHandle,
}

impl SenderMetrics {
    fn new() -> Arc<Self> {
        #[cfg(feature = "metrics")]
        let recorder = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        Arc::new(Self {
            counts: CountingMetricsSink::new(),
            #[cfg(feature = "metrics")]
            facade: escalation_telemetry::integrations::metrics::MetricsFacadeSink::new_in(
                &recorder,
            ),
            #[cfg(feature = "metrics")]
            exposition: recorder.handle(),
        })
    }

    /// The drops counted so far (the last thing each record updates).
    fn counted(&self) -> u64 {
        self.counts.totals().forward_dropped
    }

    /// `escalation_telemetry_forward_dropped_total` now; with the `metrics` feature the
    /// rendered sample must say the same as the counts.
    fn forward_dropped(&self) -> u64 {
        let counted = self.counts.totals().forward_dropped;
        #[cfg(feature = "metrics")]
        {
            let rendered = self.exposition.render();
            let sample = rendered.lines().find_map(|line| {
                line.strip_prefix("escalation_telemetry_forward_dropped_total ")?
                    .trim()
                    .parse::<f64>()
                    .ok()
            });
            assert_eq!(sample, Some(counted as f64), "in:\n{rendered}");
        }
        counted
    }
}

impl MetricsSink for SenderMetrics {
    fn record(&self, event: MetricsEvent) {
        // The counts last: a test that has waited for them knows the exposition has
        // the event too.
        #[cfg(feature = "metrics")]
        self.facade.record(event);
        self.counts.record(event);
    }
}

/// A metrics backend that panics on every event.
struct PanickingMetrics;

impl MetricsSink for PanickingMetrics {
    fn record(&self, _event: MetricsEvent) {
        panic!("the metrics backend is broken");
    }
}

// ---------------------------------------------------------------- waiting

/// Polls `condition` until it holds; fails the test at the deadline.
async fn until<F, Fut>(what: &str, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    while !condition().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        // A polling interval, bounded by the deadline above.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Options for a test node: a group of its own (process groups are global to the test
/// process, and tests run in parallel), short retries, and an acknowledgement timeout
/// as long as any wait: a loaded machine must not turn a slow answer into a resend
/// (tests that count duplicates would see one).
fn forwarding(node: &str, group: &str) -> ForwardingOptions {
    ForwardingOptions::new(node)
        .with_group(group)
        .with_retry_interval(Duration::from_millis(20))
        .with_ack_timeout(WAIT)
}

/// The sum of the `forward_dropped` tags of `failures`.
fn forward_dropped_in(failures: &[FailureInfo]) -> u64 {
    failures
        .iter()
        .filter_map(|failure| tag(failure, FORWARD_DROPPED_TAG))
        .map(|count| count.parse::<u64>().expect("a count"))
        .sum()
}

/// Whether an acknowledgement's bytes say "accepted" (protobuf field 2, a varint 1):
/// read by hand, as a sender written in another language would.
fn ack_accepted(bytes: &[u8]) -> bool {
    let mut fields = ProtoReader(bytes);
    let mut accepted = false;
    while let Some((field, value)) = fields.next_varint_field() {
        if field == 2 {
            accepted = value == 1;
        }
    }
    accepted
}

/// Reads the varint fields of a protobuf message (all an acknowledgement has).
struct ProtoReader<'a>(&'a [u8]);

impl ProtoReader<'_> {
    fn varint(&mut self) -> Option<u64> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first()?;
            self.0 = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn next_varint_field(&mut self) -> Option<(u64, u64)> {
        let key = self.varint()?;
        assert_eq!(key & 7, 0, "an acknowledgement has varint fields only");
        Some((key >> 3, self.varint()?))
    }
}

/// A forwarded failure's wire form written by hand (protobuf: field numbers and
/// types as `docs/cluster.md` lists them), as a foreign sender would write it.
fn hand_written_payload(version: u64, node: &str, incarnation: u64, sequence: u64) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut value: u64) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }
    let mut out = Vec::new();
    // Field 15: the failure's kind, 1 for a panic.
    for (field, value) in [
        (1, version),
        (3, incarnation),
        (4, sequence),
        (5, 7),
        (15, 1),
    ] {
        varint(&mut out, field << 3);
        varint(&mut out, value);
    }
    for (field, text) in [(2, node), (8, "written by hand")] {
        varint(&mut out, (field << 3) | 2);
        varint(&mut out, text.len() as u64);
        out.extend_from_slice(text.as_bytes());
    }
    out
}

fn tag<'a>(info: &'a FailureInfo, key: &str) -> Option<&'a str> {
    info.metadata.get(key)
}

// ---------------------------------------------------------------- tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_on_b_reaches_the_collector_on_a_with_b_identity_and_hops() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.panic-on-b";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    let sender = Sender::start(&b, forwarding("node-b", group)).await;
    b.connect_to(&a).await;

    let (path, worker) = sender.fail("disk full on b").await;
    let failure = collector.next_failure().await;
    assert_eq!(failure.failure.description(), "disk full on b");
    assert_eq!(failure.actor, worker);
    assert_eq!(failure.path, path);
    // worker -> supervisor (escalates: 1 hop) -> guardian on B
    assert_eq!(failure.stage.hops(), 1);
    assert_eq!(tag(&failure, NODE_TAG), Some("node-b"));
    assert_eq!(tag(&failure, "region"), Some("eu-1"));
    assert_eq!(tag(&failure, FORWARD_DROPPED_TAG), None);

    // The collector's own node: a worker linked under it is reported without a node tag.
    let (local, local_handle) = Actor::spawn_linked(None, Worker, (), collector.root.get_cell())
        .await
        .expect("a local worker starts");
    local
        .cast(Fault::Panic("local failure on a".into()))
        .expect("sent");
    within(local_handle).await.expect("the local worker stops");
    let failure = collector.next_failure().await;
    assert_eq!(failure.failure.description(), "local failure on a");
    assert_eq!(tag(&failure, NODE_TAG), None);

    let stats = collector.stats().await;
    assert_eq!(stats.remote_failures, 1);
    assert_eq!(stats.guardian.failures, 2);
    // Both went through the collector's whole sink: hook, metrics, handler, listener
    // (the stats call above was answered after the listener ran).
    let lines = collector.hook_lines.lock().expect("not poisoned").clone();
    assert_eq!(lines.len(), 2);
    // The crash report (kind, location) follows the tags.
    assert!(
        lines[0].contains(r#"description="disk full on b" tags=[node=node-b region=eu-1] kind="#),
        "{}",
        lines[0]
    );
    assert_eq!(collector.metrics.totals().invocations, 2);
    assert_eq!(collector.listened.load(Ordering::Relaxed), 2);
    assert_eq!(
        (stats.rejected, stats.duplicates, stats.dropped_by_nodes),
        (0, 0, 0)
    );
    until("the acknowledgement", || async {
        sender.stats().delivered == 1
    })
    .await;
    assert_eq!(sender.stats().pending, 0);

    stop_all([sender], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_each_reach_the_collector_over_their_own_session() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.three-nodes";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let c = Node::start("c", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    let from_b = Sender::start(&b, forwarding("node-b", group)).await;
    let from_c = Sender::start(&c, forwarding("node-c", group)).await;
    b.connect_to(&a).await;
    c.connect_to(&a).await;

    from_b.fail("from b").await;
    from_c.fail("from c").await;
    let mut seen: Vec<(Option<String>, String)> = Vec::new();
    for _ in 0..2 {
        let failure = collector.next_failure().await;
        seen.push((
            tag(&failure, NODE_TAG).map(str::to_owned),
            failure.failure.description().to_owned(),
        ));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            (Some("node-b".to_owned()), "from b".to_owned()),
            (Some("node-c".to_owned()), "from c".to_owned()),
        ]
    );
    until("both acknowledged", || async {
        from_b.stats().delivered == 1 && from_c.stats().delivered == 1
    })
    .await;
    assert_eq!(collector.stats().await.remote_failures, 2);

    stop_all([from_b, from_c], collector, [c, b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_collector_going_away_and_coming_back_gets_the_buffer_in_order_and_the_drop_count() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.away-and-back";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut first = Collector::start(&a, group).await;
    let metrics = SenderMetrics::new();
    let options = forwarding("node-b", group)
        .with_capacity(3)
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()));
    let sender = Sender::start(&b, options).await;
    b.connect_to(&a).await;

    sender.fail("before").await;
    assert_eq!(first.next_failure().await.failure.description(), "before");
    // Stopping the collector while its acknowledgement is on the wire would leave
    // "before" unacknowledged, to be sent again to the next collector (at least once).
    until("the acknowledgement", || async {
        sender.stats().delivered == 1
    })
    .await;
    first.stop().await;

    // The collector is gone: the first failure is held by the forwarder, which keeps
    // trying; wait until it has failed at least once with it in hand.
    let attempts = sender.stats().failed_attempts;
    sender.fail("held").await;
    sender.holding(attempts).await;
    // Four more: the buffer holds three, the oldest of them is dropped.
    for text in ["dropped", "kept 1", "kept 2", "kept 3"] {
        sender.fail(text).await;
    }
    // The hook counts the drop, then records it: wait for both.
    until("one failure dropped and recorded", || async {
        sender.stats().dropped == 1 && metrics.counted() == 1
    })
    .await;
    assert_eq!(sender.stats().pending, 4);
    // The drop is exported at once, by the node that dropped it: the collector cannot
    // know yet.
    assert_eq!(metrics.forward_dropped(), 1);

    let mut second = Collector::start(&a, group).await;
    let mut delivered = Vec::new();
    for _ in 0..4 {
        delivered.push(second.next_failure().await);
    }
    let texts: Vec<&str> = delivered
        .iter()
        .map(|failure| failure.failure.description())
        .collect();
    assert_eq!(texts, ["held", "kept 1", "kept 2", "kept 3"]);
    // The drop count arrives with the first failure taken from the buffer after the
    // drop ("held" was already in the forwarder's hand): once.
    let counts: Vec<Option<&str>> = delivered
        .iter()
        .map(|failure| tag(failure, FORWARD_DROPPED_TAG))
        .collect();
    assert_eq!(counts, [None, Some("1"), None, None]);
    let stats = second.stats().await;
    assert_eq!(stats.dropped_by_nodes, 1);
    assert_eq!(stats.remote_failures, 4);
    until("everything acknowledged", || async {
        sender.stats().pending == 0
    })
    .await;
    assert_eq!(sender.stats().delivered, 5);
    // Exactly the drops: the sender's count, the collector's, and the metric agree, and
    // the delivery of the buffer added nothing to it.
    assert_eq!(sender.stats().dropped, 1);
    assert_eq!(metrics.forward_dropped(), 1);
    assert_eq!(sender.stats().metrics_panics, 0);

    stop_all([sender], second, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_metrics_sink_loses_only_the_drop_events() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    // No collector anywhere: the first failure stays in the forwarder's hand and the
    // buffer holds one more, so each failure after that drops one.
    let b = Node::start("b", COOKIE).await;
    let options = forwarding("node-b", "test.panicking-metrics")
        .with_capacity(1)
        .with_metrics_sink(MetricsSinkShared::new(PanickingMetrics));
    let sender = Sender::start(&b, options).await;

    sender.fail("held").await;
    sender.holding(0).await;
    for text in ["dropped 1", "dropped 2", "kept"] {
        sender.fail(text).await;
    }
    // The hook counts each drop, then records it (and counts the panic): wait for both.
    until("two failures dropped and their records lost", || async {
        let stats = sender.stats();
        stats.dropped == 2 && stats.metrics_panics == 2
    })
    .await;

    let stats = sender.stats();
    assert_eq!((stats.pending, stats.metrics_panics), (2, 2));
    // The panics stayed inside the hook: the root saw no telemetry panic and still
    // takes failures.
    let guardian = sender.guardian_stats().await;
    assert_eq!(guardian.failures, 4);
    assert_eq!(guardian.escalation.telemetry_panics, 0);

    sender.stop().await;
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storm_on_b_is_limited_on_b() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.storm-on-b";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    // One hook call per hour for each description: the rest of the storm is
    // suppressed on B and never crosses the wire.
    let policy =
        StormPolicy::new(1, Duration::from_secs(3600)).with_signature(StormSignature::Description);
    let sender = Sender::start_limited(&b, forwarding("node-b", group), Some(policy)).await;
    b.connect_to(&a).await;

    for _ in 0..5 {
        sender.fail("crash loop").await;
    }
    // The guardian answers after it has handled the failures already in its mailbox.
    let on_b = sender.guardian_stats().await;
    assert_eq!(on_b.failures, 5);
    assert_eq!(on_b.escalation.telemetry_suppressed, 4);
    until("the one forwarded failure acknowledged", || async {
        let stats = sender.stats();
        stats.delivered == 1 && stats.pending == 0
    })
    .await;
    let failure = collector.next_failure().await;
    assert_eq!(failure.failure.description(), "crash loop");
    assert_eq!(tag(&failure, NODE_TAG), Some("node-b"));
    let stats = collector.stats().await;
    assert_eq!(stats.remote_failures, 1);
    assert!(collector.failures.try_recv().is_err());

    stop_all([sender], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_with_the_wrong_cookie_delivers_nothing_and_is_refused_visibly() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.wrong-cookie";
    let a = Node::start("a", COOKIE).await;
    let intruder = Node::start("intruder", "not-the-cookie").await;
    let mut collector = Collector::start(&a, group).await;
    let sender = Sender::start(&intruder, forwarding("intruder", group)).await;
    intruder.connect_to(&a).await;

    until("the refusal counted by the collector", || async {
        collector.stats().await.refused_sessions >= 1
    })
    .await;
    let attempts = sender.stats().failed_attempts;
    sender.fail("must not arrive").await;
    until("the intruder's forwarder to give up an attempt", || async {
        sender.stats().failed_attempts > attempts
    })
    .await;
    let stats = collector.stats().await;
    assert_eq!(stats.remote_failures, 0);
    assert_eq!(sender.stats().delivered, 0);
    assert!(collector.failures.try_recv().is_err());

    stop_all([sender], collector, [intruder, a]).await;
}

/// The collector as node B sees it: the proxy B's session made for it.
async fn collector_seen_from(group: &str) -> ActorCell {
    let mut proxy = None;
    until("the collector's proxy on node b", || {
        let found = ractor::pg::get_members(&group.to_owned())
            .into_iter()
            .find(|member| !member.get_id().is_local());
        let ready = found.is_some();
        proxy = found;
        async move { ready }
    })
    .await;
    proxy.expect("found above")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_payloads_from_another_node_are_rejected_and_counted() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.malformed";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    b.connect_to(&a).await;
    let proxy = collector_seen_from(group).await;

    // Bytes that are no forwarded failure, sent as a forward over the wire.
    let remote: ActorRef<ClusterRootMessage> = proxy.clone().into();
    let answer = remote
        .call(
            |reply| ClusterRootMessage::Forward {
                payload: b"\xff\xff\xff not protobuf".to_vec(),
                reply,
            },
            Some(WAIT),
        )
        .await
        .expect("the call reaches the collector");
    let CallResult::Success(ack) = answer else {
        panic!("the sender gets an answer");
    };
    assert!(
        !ack_accepted(&ack),
        "a payload that cannot be read is never acknowledged as accepted"
    );
    // A message of a variant the collector does not know.
    ActorRef::<Bogus>::from(proxy)
        .cast(Bogus)
        .expect("sent over the wire");

    until("both rejections counted", || async {
        collector.stats().await.rejected == 2
    })
    .await;
    let stats = collector.stats().await;
    assert_eq!(stats.remote_failures, 0);
    assert!(collector.failures.try_recv().is_err());
    // The collector is still alive and well.
    assert_eq!(stats.guardian.escalation, EscalationStats::default());

    stop_all([], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_too_large_for_the_wire_is_cut_and_the_five_after_it_arrive() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.oversized";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    let sender = Sender::start(&b, forwarding("node-b", group)).await;
    b.connect_to(&a).await;

    // 17 MiB: more than ractor_cluster's 16 MiB frame.
    let huge = "x".repeat(17 * 1024 * 1024);
    sender
        .fail_with(
            TaggedFailure::new(huge)
                .with_tag("big", "y".repeat(1 << 20))
                .into(),
        )
        .await;
    for n in 0..5 {
        sender.fail_with(format!("normal {n}").into()).await;
    }
    // The cut is visible in the record (a marker with the count of bytes cut) and
    // counted by the sender.
    let first = collector.next_failure().await;
    let description = first.failure.description();
    assert!(description.len() <= MAX_DESCRIPTION_BYTES);
    let kept = description.find('…').expect("a cut marker");
    assert!(description[..kept].bytes().all(|byte| byte == b'x'));
    assert!(
        description.ends_with(&format!("…[{} bytes cut]", 17 * 1024 * 1024 - kept)),
        "{}",
        &description[kept..]
    );
    let big = tag(&first, "big").expect("the cut tag");
    assert!(big.len() <= MAX_TAG_VALUE_BYTES && big.ends_with(" bytes cut]"));
    let mut texts = Vec::new();
    for _ in 0..5 {
        texts.push(
            collector
                .next_failure()
                .await
                .failure
                .description()
                .to_owned(),
        );
    }
    assert_eq!(
        texts,
        ["normal 0", "normal 1", "normal 2", "normal 3", "normal 4"]
    );
    until("all six acknowledged", || async {
        sender.stats().delivered == 6
    })
    .await;
    let stats = sender.stats();
    assert_eq!(
        (stats.cut, stats.oversized, stats.failed_attempts),
        (1, 0, 0)
    );

    stop_all([sender], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_identity_and_drop_count_survive_a_failure_with_every_tag_slot_used() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.full-tags";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    let sender = Sender::start(&b, forwarding("node-b", group).with_capacity(1)).await;
    let full = || -> ActorProcessingErr {
        (0..128)
            .fold(TaggedFailure::new("full"), |failure, n| {
                failure.with_tag(format!("t{n}"), "v")
            })
            .into()
    };

    // No connection yet: one failure in hand, one waiting, one more drops the waiting one.
    sender.fail_with(full()).await;
    sender.holding(0).await;
    sender.fail_with("dropped".into()).await;
    sender.fail_with(full()).await;
    until("one drop", || async { sender.stats().dropped == 1 }).await;
    b.connect_to(&a).await;

    let failures = [
        collector.next_failure().await,
        collector.next_failure().await,
    ];
    for failure in &failures {
        assert_eq!(failure.failure.description(), "full");
        assert_eq!(tag(failure, NODE_TAG), Some("node-b"));
    }
    assert_eq!(forward_dropped_in(&failures), 1);
    let lines = collector.hook_lines.lock().expect("not poisoned").clone();
    for line in &lines {
        assert!(line.contains("node=node-b"), "{line}");
        assert!(!line.contains("collector-a"), "{line}");
    }

    stop_all([sender], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drops_are_reported_once_across_collector_restarts() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.drops-once";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let sender = Sender::start(&b, forwarding("node-b", group).with_capacity(1)).await;
    b.connect_to(&a).await;

    // No collector yet: one failure in hand, one waiting, one more drops the waiting one.
    sender.fail("held").await;
    sender.holding(0).await;
    sender.drop_one().await;

    let mut first = Collector::start(&a, group).await;
    let received = [first.next_failure().await, first.next_failure().await];
    until("both acknowledged", || async {
        sender.stats().delivered == 2
    })
    .await;
    let mut reported = forward_dropped_in(&received);
    first.stop().await;

    // A second collector (a restart): it is told nothing the first one was told.
    let mut second = Collector::start(&a, group).await;
    for text in ["after 1", "after 2"] {
        sender.fail(text).await;
        let failure = second.next_failure().await;
        assert_eq!(failure.failure.description(), text);
        reported += forward_dropped_in(&[failure]);
    }
    assert_eq!(reported, sender.stats().dropped);
    assert_eq!(second.stats().await.dropped_by_nodes, 0);

    stop_all([sender], second, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_node_name_is_refused() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let b = Node::start("b", COOKIE).await;
    let refused = ForwardingTelemetry::spawn(b.server.clone(), forwarding("", "test.empty-name"));
    assert!(matches!(refused, Err(ForwardingError::EmptyNodeName)));
    b.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resend_is_a_duplicate_and_a_wrong_version_is_rejected_over_the_wire() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.resend";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    b.connect_to(&a).await;
    let remote: ActorRef<ClusterRootMessage> = collector_seen_from(group).await.into();
    let forward = |payload: Vec<u8>| {
        let remote = remote.clone();
        async move {
            match remote
                .call(
                    |reply| ClusterRootMessage::Forward { payload, reply },
                    Some(WAIT),
                )
                .await
                .expect("the call reaches the collector")
            {
                CallResult::Success(ack) => ack_accepted(&ack),
                _ => panic!("the collector answers"),
            }
        }
    };

    let payload = hand_written_payload(2, "node-x", 5, 1);
    assert!(forward(payload.clone()).await, "the first send is accepted");
    let failure = collector.next_failure().await;
    assert_eq!(failure.failure.description(), "written by hand");
    assert_eq!(failure.failure.kind(), FailureKind::Panic);
    assert_eq!(tag(&failure, NODE_TAG), Some("node-x"));
    // The same failure again (its acknowledgement was lost): accepted, not reported.
    assert!(forward(payload).await, "a resend is acknowledged");
    // The next in sequence is reported; the same sequence from a new incarnation too.
    assert!(forward(hand_written_payload(2, "node-x", 5, 2)).await);
    assert!(forward(hand_written_payload(2, "node-x", 6, 1)).await);
    // A node of the previous release (version 1, without the crash report): rejected,
    // counted as a version refusal, the sender told not to resend.
    assert!(!forward(hand_written_payload(1, "node-x", 6, 2)).await);

    let stats = collector.stats().await;
    assert_eq!(
        (stats.remote_failures, stats.duplicates, stats.rejected),
        (3, 1, 1)
    );
    assert_eq!(stats.rejected_versions, 1);
    collector.next_failure().await;
    collector.next_failure().await;
    assert!(
        collector.failures.try_recv().is_err(),
        "nothing reported twice"
    );

    stop_all([], collector, [b, a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_buffer_is_bounded_in_bytes_and_its_drops_are_counted_like_the_others() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.byte-bound";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let metrics = SenderMetrics::new();
    // Room for two 10 KiB descriptions, not three; the count bound is far away.
    let options = forwarding("node-b", group)
        .with_max_pending_bytes(25 * 1024)
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()));
    let sender = Sender::start(&b, options).await;
    b.connect_to(&a).await;

    // No collector yet: one failure in hand (held apart from the bound), then three.
    sender.fail("held").await;
    sender.holding(0).await;
    for n in 0..3 {
        sender
            .fail_with(format!("{n}{}", "z".repeat(10 * 1024)).into())
            .await;
    }
    until("one drop, counted and recorded", || async {
        sender.stats().dropped == 1 && metrics.counted() == 1
    })
    .await;
    let stats = sender.stats();
    assert_eq!(stats.pending, 3);
    assert!(stats.pending_bytes <= 25 * 1024, "{stats:?}");

    let mut collector = Collector::start(&a, group).await;
    let received = [
        collector.next_failure().await,
        collector.next_failure().await,
        collector.next_failure().await,
    ];
    let firsts: Vec<char> = received
        .iter()
        .map(|failure| failure.failure.description().chars().next().expect("text"))
        .collect();
    // the oldest waiting one ("0") was dropped
    assert_eq!(firsts, ['h', '1', '2']);
    assert_eq!(forward_dropped_in(&received), 1);
    until("everything acknowledged", || async {
        sender.stats().pending == 0
    })
    .await;
    assert_eq!(sender.stats().pending_bytes, 0);
    assert_eq!(metrics.forward_dropped(), 1);

    stop_all([sender], collector, [b, a]).await;
}

/// An error whose `Display` and `Drop` panic.
#[derive(Debug)]
struct Hostile;

impl std::fmt::Display for Hostile {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        panic!("Display is broken")
    }
}

impl std::error::Error for Hostile {}

impl Drop for Hostile {
    fn drop(&mut self) {
        panic!("Drop is broken");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_collector_survives_a_local_error_whose_display_and_drop_panic() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let a = Node::start("a", COOKIE).await;
    let mut collector = Collector::start(&a, "test.hostile-local").await;
    let (child, handle) = Actor::spawn_linked(None, Worker, (), collector.root.get_cell())
        .await
        .expect("a local child starts");
    child
        .cast(Fault::Return(Box::new(Hostile)))
        .expect("the child takes the message");
    within(handle).await.expect("the child stops");
    let failure = collector.next_failure().await;
    assert_eq!(
        failure.failure.description(),
        escalation_telemetry::integrations::ractor::UNPRINTABLE_ERROR
    );
    let stats = collector.stats().await;
    assert_eq!(stats.guardian.failures, 1);
    assert_eq!(stats.guardian.user_code_panics, 2);

    stop_all([], collector, [a]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_overlapping_incarnations_of_one_node_name_report_each_drop_once() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.overlapping";
    let a = Node::start("a", COOKIE).await;
    let old = Node::start("b-old", COOKIE).await;
    let new = Node::start("b-new", COOKIE).await;
    // Two processes under one node name (a restart overlapping the old process).
    let senders = [
        Sender::start(&old, forwarding("node-b", group).with_capacity(1)).await,
        Sender::start(&new, forwarding("node-b", group).with_capacity(1)).await,
    ];
    // No collector yet: each holds one failure, then drops one.
    for sender in &senders {
        sender.fail("held").await;
        sender.holding(0).await;
        sender.drop_one().await;
    }
    let mut collector = Collector::start(&a, group).await;
    old.connect_to(&a).await;
    new.connect_to(&a).await;

    let mut received = Vec::new();
    for _ in 0..4 {
        received.push(collector.next_failure().await);
    }
    // Then the two alternate, each failure waiting for the one before.
    for round in 0..3 {
        for sender in &senders {
            sender.fail(&format!("round {round}")).await;
            received.push(collector.next_failure().await);
        }
    }
    assert!(
        received
            .iter()
            .all(|failure| tag(failure, NODE_TAG) == Some("node-b"))
    );
    let real: u64 = senders.iter().map(|sender| sender.stats().dropped).sum();
    assert_eq!(real, 2);
    assert_eq!(forward_dropped_in(&received), real);
    let stats = collector.stats().await;
    assert_eq!(stats.dropped_by_nodes, real);
    assert_eq!((stats.remote_failures, stats.duplicates), (10, 0));

    let [first, second] = senders;
    stop_all([first, second], collector, [new, old, a]).await;
}

/// `request failed` caused by `connection reset` caused by `os error 104`.
#[derive(Debug)]
struct Layered(&'static str, Option<Box<Layered>>);

impl std::fmt::Display for Layered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Layered {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.1
            .as_deref()
            .map(|layer| layer as &(dyn std::error::Error + 'static))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crash_report_of_a_failure_on_b_reaches_the_collector_as_it_was() {
    let _cluster = ONE_CLUSTER_AT_A_TIME.lock().await;
    let group = "test.crash-report";
    let a = Node::start("a", COOKIE).await;
    let b = Node::start("b", COOKIE).await;
    let mut collector = Collector::start(&a, group).await;
    let sender = Sender::start(&b, forwarding("node-b", group)).await;
    b.connect_to(&a).await;

    let error = Layered(
        "request failed",
        Some(Box::new(Layered(
            "connection reset",
            Some(Box::new(Layered("os error 104", None))),
        ))),
    );
    sender.fail_with(Box::new(error)).await;
    let failure = collector.next_failure().await;
    assert_eq!(failure.failure.description(), "request failed");
    assert_eq!(failure.failure.kind(), FailureKind::Error);
    assert_eq!(
        failure.failure.causes().collect::<Vec<_>>(),
        ["connection reset", "os error 104"]
    );
    // Where node b made the failure, not where the collector rebuilt it.
    let at = failure
        .failure
        .code_location()
        .expect("the location crossed the wire");
    assert!(at.file.starts_with("src/integrations/ractor/"), "{at}");
    assert!(
        !at.file.contains("cluster/"),
        "the node's location, not the collector's: {at}"
    );

    stop_all([sender], collector, [b, a]).await;
}
