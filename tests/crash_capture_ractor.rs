//! A crash report as a user gets it from ractor: a worker panics while handling a
//! message sent inside a `tracing` span of a known trace (an OpenTelemetry SDK tracer
//! behind a `tracing-opentelemetry` layer); the failure that reaches the root
//! guardian's sink is a panic, at the panic's own file and line, with that trace id and
//! the span's id (ractor runs the handler inside the sender's span).
#![cfg(all(feature = "ractor", feature = "tracing-opentelemetry"))]

mod support {
    pub(crate) mod crash_capture;
    pub(crate) mod crash_ractor;
    pub(crate) mod guardian;
    pub(crate) mod ractor_waits;
}

use escalation_telemetry::integrations::ractor::RootGuardian;
use ractor::Actor;
use support::crash_capture::{assert_panic_report, install_tracing_and_panic_hook, request_span};
use support::crash_ractor::{Order, Worker, panic_at};
use support::guardian::{next, recording_config};
use support::ractor_waits::{shut_down, stopped};

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
    let (request, trace) = request_span();
    request
        .in_scope(|| worker.cast(Order(17)))
        .expect("the worker takes the order");

    let failure = next(&mut recorded.failures).await;
    stopped(worker_handle).await;
    assert_panic_report(
        &failure.failure,
        "payment for order 17 declined",
        panic_at(),
        trace,
    );
    shut_down(guardian, guardian_handle).await;
}
