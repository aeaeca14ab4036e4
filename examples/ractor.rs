//! A ractor supervision tree under a `RootGuardian`: a worker fails, its supervisor
//! escalates the failure, and the guardian reports it through the telemetry hook.
//!
//! ```text
//! guardian (/)
//! ├── orders            escalates its children's failures, tagging them supervisor=orders
//! │   └── payments      panics
//! └── inventory         returns a tagged error
//! ```
//!
//! Run with `cargo run --features ractor --example ractor`. It prints one telemetry line
//! per failure (the panic's own message also appears on stderr, as every panic does),
//! then the guardian's and the metrics sink's counts, and exits.

use std::error::Error;
use std::time::Duration;

use escalation_telemetry::integrations::ractor::{
    EscalatedFailure, GuardianMessage, RootGuardian, TaggedFailure,
};
use escalation_telemetry::prelude::*;
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};

/// A worker that fails the way it is told to.
enum Work {
    ChargeCard,
    ReserveStock,
}

// ractor's `cluster` feature (on in an `--all-features` build) removes its blanket
// `Message` impl; a local message type then declares itself with an empty impl.
#[cfg(feature = "cluster")]
impl ractor::Message for Work {}

struct Worker;

impl Actor for Worker {
    type Msg = Work;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Work>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Work>,
        work: Work,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match work {
            Work::ChargeCard => panic!("card processor unreachable"),
            Work::ReserveStock => Err(TaggedFailure::new("warehouse out of stock")
                .with_component("inventory")
                .with_tag(key!("sku"), "B-7731")
                .into()),
        }
    }
}

/// A supervisor that handles nothing itself: it escalates every failure to the guardian.
struct Orders;

impl Actor for Orders {
    type Msg = ();
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _: ActorRef<()>,
        event: SupervisionEvent,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match event {
            SupervisionEvent::ActorFailed(child, error) => {
                Err(EscalatedFailure::from_child(&child, error)
                    .with_tag(key!("supervisor"), "orders")
                    .into())
            }
            _ => Ok(()),
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let (reported_tx, mut reported) = tokio::sync::mpsc::unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| println!("telemetry: {snapshot}"))
        })
        .observe()
        .capture_timing(true)
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = reported_tx.send(info.actor);
        });

    let (guardian, guardian_done) =
        RootGuardian::spawn_with_config(Some("guardian".into()), &config).await?;
    let (orders, _) =
        Actor::spawn_linked(Some("orders".into()), Orders, (), guardian.get_cell()).await?;
    let (payments, _) =
        Actor::spawn_linked(Some("payments".into()), Worker, (), orders.get_cell()).await?;
    let (inventory, _) =
        Actor::spawn_linked(Some("inventory".into()), Worker, (), guardian.get_cell()).await?;
    let (o, p, i) = (
        orders.get_id().pid(),
        payments.get_id().pid(),
        inventory.get_id().pid(),
    );
    println!("tree: orders=/{o} payments=/{o}/{p} inventory=/{i}");

    // One failure at a time, so the lines come out in a stable order.
    for (worker, work) in [
        (&payments, Work::ChargeCard),
        (&inventory, Work::ReserveStock),
    ] {
        worker.cast(work)?;
        tokio::time::timeout(Duration::from_secs(10), reported.recv())
            .await?
            .ok_or("the guardian stopped before reporting")?;
    }

    let stats = ractor::call_t!(guardian, GuardianMessage::Stats, 10_000)?;
    let totals = metrics.totals();
    println!(
        "guardian: {} failures reported, {} telemetry panics",
        stats.failures, stats.escalation.telemetry_panics
    );
    println!(
        "metrics: {} telemetry calls, {} timed, {:?} in total",
        totals.invocations, totals.latency_samples, totals.latency_total
    );

    // Stopping the guardian stops whatever is left of the tree.
    guardian
        .stop_and_wait(None, Some(Duration::from_secs(10)))
        .await?;
    guardian_done.await?;
    Ok(())
}
