//! A kameo tree under a `RootGuardian`: a worker panics, the team it is linked to stops
//! with it, and the guardian reports the worker's failure through the telemetry hook;
//! an actor whose cleanup fails is reported through kameo's actor error hook.
//!
//! ```text
//! guardian (/)
//! ├── orders            a plain actor: kameo's default stops it when a link dies
//! │   └── payments      panics
//! ├── inventory         returns an error from a handler
//! └── (journal)         not linked; its on_stop fails, seen through the error hook
//! ```
//!
//! Run with `cargo run --features kameo --example kameo`. It prints one telemetry line
//! per failure (the panic's own message also appears on stderr, as every panic does),
//! then the guardian's counts, and exits.

use std::error::Error;
use std::time::Duration;

use escalation_telemetry::integrations::kameo::{GetStats, RootGuardian, install_error_hook};
use escalation_telemetry::prelude::*;
use kameo::actor::{Actor, ActorRef, Spawn, WeakActorRef};
use kameo::error::{ActorStopReason, Infallible};
use kameo::message::{Context, Message};

/// A plain actor of the tree.
struct Node;

impl Actor for Node {
    type Args = Self;
    type Error = Infallible;

    async fn on_start(node: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
        Ok(node)
    }
}

/// Work that fails the way it says.
enum Work {
    ChargeCard,
    ReserveStock,
}

impl Message<Work> for Node {
    type Reply = Result<(), String>;

    async fn handle(&mut self, work: Work, _: &mut Context<Self, Self::Reply>) -> Self::Reply {
        match work {
            Work::ChargeCard => panic!("card processor unreachable"),
            Work::ReserveStock => Err("warehouse out of stock".to_owned()),
        }
    }
}

/// An actor whose cleanup fails: kameo reports that only through its error hook.
struct Journal;

impl Actor for Journal {
    type Args = Self;
    type Error = String;

    async fn on_start(journal: Self, _: ActorRef<Self>) -> Result<Self, String> {
        Ok(journal)
    }

    async fn on_stop(&mut self, _: WeakActorRef<Self>, _: ActorStopReason) -> Result<(), String> {
        Err("journal not flushed".to_owned())
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let (reported_tx, mut reported) = tokio::sync::mpsc::unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| println!("telemetry: {snapshot}"))
        })
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = reported_tx.send(info.actor);
        });

    let guardian = RootGuardian::spawn_with_config(&config);
    install_error_hook(&guardian);
    let orders = Node::spawn_link(&guardian, Node).await;
    let payments = Node::spawn_link(&orders, Node).await;
    let inventory = Node::spawn_link(&guardian, Node).await;
    let (o, p, i) = (
        orders.id().sequence_id(),
        payments.id().sequence_id(),
        inventory.id().sequence_id(),
    );
    println!("tree: orders=/{o} payments=/{o}/{p} inventory=/{i}");

    // One failure at a time, so the lines come out in a stable order.
    for (worker, work) in [
        (&payments, Work::ChargeCard),
        (&inventory, Work::ReserveStock),
    ] {
        worker.tell(work).await?;
        tokio::time::timeout(Duration::from_secs(10), reported.recv())
            .await?
            .ok_or("the guardian stopped before reporting")?;
    }
    let journal = Journal::spawn(Journal);
    journal.stop_gracefully().await?;
    tokio::time::timeout(Duration::from_secs(10), reported.recv())
        .await?
        .ok_or("the guardian stopped before reporting")?;

    let stats = guardian.ask(GetStats).await?;
    println!(
        "guardian: {} linked failures, {} error hook reports, {} telemetry panics",
        stats.failures, stats.error_hook_reports, stats.escalation.telemetry_panics
    );

    guardian.stop_gracefully().await?;
    tokio::time::timeout(Duration::from_secs(10), guardian.wait_for_shutdown()).await?;
    Ok(())
}
