//! A crash report as a user gets it from kameo: a linked actor panics in a handler
//! that entered the request's `tracing` span (carried in the message: kameo does not
//! run a handler in the sender's span, see `docs/integrations.md`); the failure that
//! reaches the root guardian's sink is a panic, at the panic's own file and line, with
//! that span's trace and span ids.
#![cfg(all(feature = "kameo", feature = "tracing-opentelemetry"))]

mod support {
    pub(crate) mod crash_capture;
    pub(crate) mod guardian;
}

use std::sync::atomic::{AtomicU32, Ordering};

use escalation_telemetry::integrations::kameo::RootGuardian;
use escalation_telemetry::prelude::*;
use kameo::actor::{Actor, ActorRef, Spawn};
use kameo::error::Infallible;
use kameo::message::{Context, Message};
use opentelemetry::trace::TraceContextExt;
use support::crash_capture::{assert_panic_report, install_tracing_and_panic_hook};
use support::guardian::{WAIT, next, recording_config};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The line of the worker's `panic!`, set by the worker just before it panics.
static PANIC_LINE: AtomicU32 = AtomicU32::new(0);

struct Worker;

impl Actor for Worker {
    type Args = Self;
    type Error = Infallible;

    async fn on_start(worker: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
        Ok(worker)
    }
}

/// An order, with the span of the request it belongs to.
struct Order {
    number: u32,
    span: tracing::Span,
}

impl Message<Order> for Worker {
    type Reply = ();

    async fn handle(&mut self, order: Order, _: &mut Context<Self, ()>) {
        let _request = order.span.enter();
        PANIC_LINE.store(line!() + 1, Ordering::SeqCst);
        panic!("payment for order {} declined", order.number);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_kameo_handler_reports_its_location_and_the_entered_trace() {
    install_tracing_and_panic_hook();

    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let worker = Worker::spawn_link(&guardian, Worker).await;

    let request = tracing::info_span!("checkout");
    let expected = request.context().span().span_context().clone();
    assert!(
        expected.is_valid(),
        "the SDK tracer gives the span real ids"
    );
    worker
        .tell(Order {
            number: 17,
            span: request,
        })
        .await
        .expect("the worker takes the order");

    let failure = next(&mut recorded.failures).await;
    assert_panic_report(
        &failure.failure,
        "payment for order 17 declined",
        (file!(), PANIC_LINE.load(Ordering::SeqCst)),
        TraceContext {
            trace_id: expected.trace_id().to_bytes(),
            span_id: expected.span_id().to_bytes(),
            sampled: expected.is_sampled(),
        },
    );
    tokio::time::timeout(WAIT, worker.wait_for_shutdown())
        .await
        .expect("the worker stops");
    guardian
        .stop_gracefully()
        .await
        .expect("the guardian takes the stop");
    tokio::time::timeout(WAIT, guardian.wait_for_shutdown())
        .await
        .expect("the guardian stops");
}
