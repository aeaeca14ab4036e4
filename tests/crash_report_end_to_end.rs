//! Issue 20's crash report end to end, as a user runs it: an application that bridges
//! `tracing` to an OpenTelemetry SDK tracer (`tracing-opentelemetry`), installs the
//! panic hook and the bridge as the trace source, and exports failures as OTLP log
//! records with the official OTLP/HTTP exporter to a receiver on 127.0.0.1. A worker
//! panics while handling a request; the log record that arrives over HTTP carries the
//! request's trace id and span id at the top level, the panic's file and line, kind
//! `panic`, severity ERROR:
//!
//! - ractor, the worker under the root guardian;
//! - ractor_cluster, the worker on node b under a `ForwardingTelemetry`, the record
//!   written by node a's `ClusterRoot`;
//! - kameo, the trace of the span entered in the handler (kameo does not run a handler
//!   in the sender's span, `docs/integrations.md`).
//!
//! The panic hook, the trace source and the `tracing` subscriber are process-wide: they
//! are installed once, and the tests run one at a time.
#![cfg(all(
    feature = "ractor",
    feature = "cluster",
    feature = "kameo",
    feature = "opentelemetry-logs",
    feature = "tracing-opentelemetry"
))]

mod support {
    pub(crate) mod cluster_node;
    pub(crate) mod crash;
    pub(crate) mod crash_capture;
    pub(crate) mod crash_otlp;
    pub(crate) mod crash_ractor;
    pub(crate) mod otlp_receiver;
}

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};
use std::time::Duration;

use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
use escalation_telemetry::integrations::ractor::RootGuardian;
use escalation_telemetry::integrations::ractor::cluster::{
    ClusterRoot, ClusterRootOptions, ForwardingOptions, ForwardingTelemetry,
};
use escalation_telemetry::prelude::*;
use kameo::actor::Spawn;
use ractor::Actor;
use support::cluster_node::{Node, WAIT, within};
use support::crash_capture::{install_tracing_and_panic_hook, request_span};
use support::crash_otlp::{assert_panic_record, only_record, otlp_logs};
use support::crash_ractor::{Order, Worker, panic_at};
use support::otlp_receiver::OtlpReceiver;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long the receiver may wait for the export once the SDK was flushed.
const EXPORT_WAIT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------- the application

/// The process-wide setup, once; then this test alone until the guard is dropped.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SETUP: Once = Once::new();
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    SETUP.call_once(install_tracing_and_panic_hook);
    // A test that failed holding the lock poisons it; the next one still runs alone.
    ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A config whose telemetry is the OTLP log telemetry on `provider`, and whose failure
/// handler tells the test a failure was reported (after the telemetry ran).
fn otlp_config(
    provider: &opentelemetry_sdk::logs::SdkLoggerProvider,
) -> (
    ActorSystemConfig<StdRuntime, Finalized>,
    UnboundedReceiver<FailureInfo>,
) {
    let telemetry = OpenTelemetryLogTelemetry::from_provider(provider);
    let (reported_tx, reported) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = reported_tx.send(info.clone());
        });
    (config, reported)
}

/// Runs `scenario` on a runtime of its own, with the receiver and the OTLP pipeline
/// outside it (the receiver has its own runtime, the exporter a blocking client), then
/// flushes the SDK and returns the one record that arrived over HTTP.
fn end_to_end<F, Fut>(scenario: F) -> opentelemetry_proto::tonic::logs::v1::LogRecord
where
    F: FnOnce(ActorSystemConfig<StdRuntime, Finalized>, UnboundedReceiver<FailureInfo>) -> Fut,
    Fut: Future<Output = ()>,
{
    let receiver = OtlpReceiver::start();
    let provider = otlp_logs(&receiver.logs_url());
    let (config, reported) = otlp_config(&provider);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(scenario(config, reported));
    provider.force_flush().expect("the SDK exports");
    let export = receiver.next_logs(EXPORT_WAIT);
    provider.shutdown().expect("the SDK shuts down");
    only_record(&export).clone()
}

/// The next failure reported, within [`WAIT`].
async fn reported(receiver: &mut UnboundedReceiver<FailureInfo>) -> FailureInfo {
    within(receiver.recv())
        .await
        .expect("the reporting channel stays open")
}

// ---------------------------------------------------------------- ractor

/// Starts a worker under `guardian`, sends it `order` inside `request` and waits for it
/// to stop.
async fn panic_in_request(guardian: &ractor::ActorCell, order: u32, request: &tracing::Span) {
    let (worker, handle) = Actor::spawn_linked(None, Worker, (), guardian.clone())
        .await
        .expect("the worker starts");
    request
        .in_scope(|| worker.cast(Order(order)))
        .expect("the worker takes the order");
    within(handle)
        .await
        .expect("the worker's task ends cleanly");
}

#[test]
fn a_ractor_panic_reaches_the_collector_with_its_trace_and_location() {
    let _alone = one_at_a_time();
    let (request, trace) = request_span();
    let record = end_to_end(|config, mut failures| async move {
        let (guardian, handle) = RootGuardian::spawn_with_config(None, &config)
            .await
            .expect("the guardian starts");
        panic_in_request(&guardian.get_cell(), 17, &request).await;
        reported(&mut failures).await;
        guardian
            .stop_and_wait(None, Some(WAIT))
            .await
            .expect("the guardian stops");
        within(handle).await.expect("the guardian's task ends");
    });
    assert_panic_record(&record, "payment for order 17 declined", panic_at(), trace);
}

// ---------------------------------------------------------------- ractor_cluster

#[test]
fn a_panic_on_node_b_reaches_the_collector_on_node_a_with_its_trace_and_location() {
    let _alone = one_at_a_time();
    let (request, trace) = request_span();
    let group = "test.crash-end-to-end";
    let record = end_to_end(|collector_config, mut failures| async move {
        let a = Node::start("a", "e2e-cookie").await;
        let b = Node::start("b", "e2e-cookie").await;
        let options = ClusterRootOptions::new()
            .with_group(group)
            .with_node_server(a.server.clone());
        let (collector, collector_handle) =
            ClusterRoot::spawn_with_config(None, &collector_config, options)
                .await
                .expect("the collector starts");

        let options = ForwardingOptions::new("node-b")
            .with_group(group)
            .with_retry_interval(Duration::from_millis(20))
            .with_ack_timeout(WAIT);
        let (forwarding, forwarder) =
            ForwardingTelemetry::spawn(b.server.clone(), options).expect("inside a runtime");
        let config = ActorSystemConfig::<StdRuntime>::new()
            .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(forwarding.clone()))
            .finalize();
        let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
            .await
            .expect("node b's guardian starts");
        b.connect_to(&a).await;

        panic_in_request(&guardian.get_cell(), 18, &request).await;
        let failure = reported(&mut failures).await;
        assert_eq!(
            failure.failure.description(),
            "payment for order 18 declined"
        );

        forwarder.stop().await;
        guardian.stop(None);
        within(guardian_handle)
            .await
            .expect("node b's guardian stops");
        collector.stop(None);
        within(collector_handle).await.expect("the collector stops");
        b.stop().await;
        a.stop().await;
    });
    assert_panic_record(&record, "payment for order 18 declined", panic_at(), trace);
}

// ---------------------------------------------------------------- kameo

/// The line of the kameo worker's `panic!`, set just before it panics.
static KAMEO_PANIC_LINE: AtomicU32 = AtomicU32::new(0);

/// A kameo worker that panics on every order, inside the order's request span.
struct KameoWorker;

impl kameo::Actor for KameoWorker {
    type Args = Self;
    type Error = kameo::error::Infallible;

    async fn on_start(
        worker: Self,
        _: kameo::actor::ActorRef<Self>,
    ) -> Result<Self, kameo::error::Infallible> {
        Ok(worker)
    }
}

/// An order, with the span of the request it belongs to (kameo does not carry it).
struct SpannedOrder {
    number: u32,
    span: tracing::Span,
}

impl kameo::message::Message<SpannedOrder> for KameoWorker {
    type Reply = ();

    async fn handle(&mut self, order: SpannedOrder, _: &mut kameo::message::Context<Self, ()>) {
        let _request = order.span.enter();
        KAMEO_PANIC_LINE.store(line!() + 1, Ordering::SeqCst);
        panic!("payment for order {} declined", order.number);
    }
}

#[test]
fn a_kameo_panic_reaches_the_collector_with_the_entered_trace_and_location() {
    let _alone = one_at_a_time();
    let (request, trace) = request_span();
    let record = end_to_end(|config, mut failures| async move {
        let guardian =
            escalation_telemetry::integrations::kameo::RootGuardian::spawn_with_config(&config);
        let worker = KameoWorker::spawn_link(&guardian, KameoWorker).await;
        worker
            .tell(SpannedOrder {
                number: 19,
                span: request,
            })
            .await
            .expect("the worker takes the order");
        reported(&mut failures).await;
        within(worker.wait_for_shutdown()).await;
        guardian
            .stop_gracefully()
            .await
            .expect("the guardian takes the stop");
        within(guardian.wait_for_shutdown()).await;
    });
    assert_panic_record(
        &record,
        "payment for order 19 declined",
        (file!(), KAMEO_PANIC_LINE.load(Ordering::SeqCst)),
        trace,
    );
}
