//! A crash report from a panicking ractor worker: where in the code (the panic's own
//! file and line), what kind (a panic), and which request (the trace id of the
//! `tracing` span the message was sent in, bridged to OpenTelemetry by
//! `tracing-opentelemetry`).
//!
//! The application's part is three calls: `install_panic_hook()`, a trace source
//! (`set_trace_source`), and its usual `tracing` + OpenTelemetry setup.
//!
//! Run with `cargo run --features ractor,tracing-opentelemetry --example crash_report`.
//! It prints the failure's kind, location and `traceparent` (the panic's own message
//! also appears on stderr, as every panic does), and exits.

use std::error::Error;
use std::time::Duration;

use escalation_telemetry::failure::set_trace_source;
use escalation_telemetry::integrations::ractor::RootGuardian;
use escalation_telemetry::integrations::tracing_opentelemetry::current_trace;
use escalation_telemetry::prelude::*;
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_sdk::trace::SdkTracerProvider;
use ractor::{Actor, ActorProcessingErr, ActorRef};
use tokio::sync::mpsc::unbounded_channel;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

/// An order to charge.
struct Charge(u32);

// ractor's `cluster` feature (on in an `--all-features` build) removes its blanket
// `Message` impl; a local message type then declares itself with an empty impl.
#[cfg(feature = "cluster")]
impl ractor::Message for Charge {}

/// A worker whose card processor is down.
struct Payments;

impl Actor for Payments {
    type Msg = Charge;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Charge>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Charge>,
        Charge(order): Charge,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        panic!("card processor unreachable for order {order}")
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    // The application's tracing, bridged to OpenTelemetry (an SDK tracer; a real
    // application adds its exporter).
    let provider = SdkTracerProvider::builder().build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("shop")));
    tracing::subscriber::set_global_default(subscriber)?;

    // The crash-report capture: the chained panic hook and where the trace comes from.
    install_panic_hook();
    set_trace_source(Some(current_trace));

    let (failures_tx, mut failures) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = failures_tx.send(info.failure.clone());
        });
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config).await?;
    let (payments, _) =
        Actor::spawn_linked(Some("payments".into()), Payments, (), guardian.get_cell()).await?;

    // A request: its span is current when the message is sent; ractor runs the handler
    // inside it.
    let request = tracing::info_span!("checkout");
    let trace_id = request.context().span().span_context().trace_id();
    request.in_scope(|| payments.cast(Charge(1042)))?;

    let failure = tokio::time::timeout(Duration::from_secs(10), failures.recv())
        .await?
        .ok_or("the guardian stopped")?;
    println!("request trace id: {trace_id}");
    println!("kind:        {:?}", failure.kind());
    println!("description: {}", failure.description());
    if let Some(at) = failure.code_location() {
        println!("location:    {at}");
    }
    if let Some(trace) = failure.trace() {
        println!("traceparent: {trace}");
    }

    guardian.stop(None);
    guardian_handle.await?;
    Ok(())
}
