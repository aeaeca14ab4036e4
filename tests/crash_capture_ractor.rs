//! A crash report as a user gets it from ractor: a worker panics while handling a
//! message sent inside a `tracing` span of a known trace (an OpenTelemetry SDK tracer
//! behind a `tracing-opentelemetry` layer); the failure that reaches the root
//! guardian's sink is a panic, at the panic's own file and line, with that trace id and
//! the span's id (ractor runs the handler inside the sender's span).
#![cfg(all(feature = "ractor", feature = "tracing-opentelemetry"))]

mod support {
    pub(crate) mod crash_capture;
    pub(crate) mod guardian;
    pub(crate) mod ractor_waits;
}

use std::sync::atomic::{AtomicU32, Ordering};

use escalation_telemetry::integrations::ractor::RootGuardian;
use escalation_telemetry::prelude::*;
use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use ractor::{Actor, ActorProcessingErr, ActorRef};
use support::crash_capture::{assert_panic_report, install_tracing_and_panic_hook};
use support::guardian::{next, recording_config};
use support::ractor_waits::{shut_down, stopped};
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The line of the worker's `panic!`, set by the worker just before it panics.
static PANIC_LINE: AtomicU32 = AtomicU32::new(0);

/// An order to charge.
struct Order(u32);

// ractor's `cluster` feature (on in an `--all-features` build) removes its blanket
// `Message` impl; a local message type then declares itself with an empty impl.
#[cfg(feature = "cluster")]
impl ractor::Message for Order {}

/// A worker that panics on every order.
struct Worker;

impl Actor for Worker {
    type Msg = Order;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Order>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Order>,
        Order(order): Order,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        PANIC_LINE.store(line!() + 1, Ordering::SeqCst);
        panic!("payment for order {order} declined");
    }
}

/// The trace the request belongs to, as an upstream service would have sent it.
const TRACE_ID: [u8; 16] = [
    0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_ractor_handler_reports_its_location_and_the_senders_trace() {
    install_tracing_and_panic_hook();

    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");
    let (worker, worker_handle) =
        Actor::spawn_linked(Some("payments".into()), Worker, (), guardian.get_cell())
            .await
            .expect("the worker starts");

    // A request of a known trace: its span, a child of the upstream's.
    let request = tracing::info_span!("checkout");
    let upstream = SpanContext::new(
        TraceId::from_bytes(TRACE_ID),
        SpanId::from_bytes([0x11; 8]),
        TraceFlags::SAMPLED,
        true,
        TraceState::default(),
    );
    request
        .set_parent(opentelemetry::Context::new().with_remote_span_context(upstream))
        .expect("the span is not started yet");
    let span_id = request.context().span().span_context().span_id().to_bytes();
    assert_ne!(span_id, [0x11; 8], "the request has its own span");
    request
        .in_scope(|| worker.cast(Order(17)))
        .expect("the worker takes the order");

    let failure = next(&mut recorded.failures).await;
    stopped(worker_handle).await;
    assert_panic_report(
        &failure.failure,
        "payment for order 17 declined",
        (file!(), PANIC_LINE.load(Ordering::SeqCst)),
        TraceContext {
            trace_id: TRACE_ID,
            span_id,
            sampled: true,
        },
    );
    shut_down(guardian, guardian_handle).await;
}
