//! Two ractor_cluster nodes in one process: node B's failures reach node A's collector.
//!
//! Node A runs a `ClusterRoot` (its telemetry prints each failure); node B runs a
//! `RootGuardian` whose telemetry hook is a `ForwardingTelemetry`. A worker on B fails
//! under a supervisor that escalates; the example prints what the collector saw, its
//! counters, and exits.
//!
//! Run with `cargo run --example cluster --features cluster`.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use escalation_telemetry::integrations::ractor::cluster::{
    ClusterRoot, ClusterRootMessage, ClusterRootOptions, ForwardingOptions, ForwardingTelemetry,
    NodeListener,
};
use escalation_telemetry::integrations::ractor::{RootGuardian, TaggedFailure, escalate};
use escalation_telemetry::prelude::*;
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};
use ractor_cluster::{NodeServer, NodeServerMessage};

/// Fails when told to.
struct Worker;

/// Asks a worker to fail.
struct ChargeCard;

// With ractor's `cluster` feature a local message type declares itself.
impl ractor::Message for ChargeCard {}

impl Actor for Worker {
    type Msg = ChargeCard;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<ChargeCard>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<ChargeCard>,
        _: ChargeCard,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        Err(TaggedFailure::new("card declined")
            .with_tag("tenant", "acme")
            .into())
    }
}

/// Escalates every failure of its children.
struct Payments;

impl Actor for Payments {
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
        escalate(event)
    }
}

/// A node server whose listeners bind loopback only.
async fn node(name: &str) -> Result<ActorRef<NodeServerMessage>, Box<dyn std::error::Error>> {
    let server = NodeServer::new(
        0,
        "example-cookie".into(),
        name.into(),
        "localhost".into(),
        None,
        None,
    )
    .with_listen_addr(IpAddr::V4(Ipv4Addr::LOCALHOST));
    Ok(Actor::spawn(None, server, ()).await?.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Node A: the collector, with a telemetry hook that prints and a handler that
    // tells main what arrived.
    let server_a = node("node-a").await?;
    let listener_a = NodeListener::bind(server_a.clone(), (Ipv4Addr::LOCALHOST, 0)).await?;
    let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
    let config_a = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| println!("collector telemetry: {snapshot}"))
        })
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = seen_tx.send(info.clone());
        });
    let (collector, collector_done) = ClusterRoot::spawn_with_config(
        None,
        &config_a,
        ClusterRootOptions::new().with_node_server(server_a.clone()),
    )
    .await?;

    // Node B: a guardian whose hook forwards to the collector.
    let server_b = node("node-b").await?;
    let (forwarding, forwarder) =
        ForwardingTelemetry::spawn(server_b.clone(), ForwardingOptions::new("node-b"))?;
    let hook = forwarding.clone();
    let config_b = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .finalize();
    let (guardian_b, guardian_b_done) = RootGuardian::spawn_with_config(None, &config_b).await?;
    ractor_cluster::client_connect(&server_b, listener_a.local_addr()).await?;

    // A failure on B, escalated by its supervisor to B's root, forwarded to A.
    let (payments, _) = Actor::spawn_linked(None, Payments, (), guardian_b.get_cell()).await?;
    let (worker, _) = Actor::spawn_linked(None, Worker, (), payments.get_cell()).await?;
    worker.cast(ChargeCard)?;

    let failure = tokio::time::timeout(Duration::from_secs(10), seen.recv())
        .await?
        .ok_or("the collector stopped")?;
    println!("collector saw: {failure}");
    println!(
        "from node {:?}, {} hop(s), at path {} on that node",
        failure.metadata.get("node").unwrap_or("?"),
        failure.stage.hops(),
        failure.path
    );
    let stats = ractor::call_t!(collector, ClusterRootMessage::Stats, 5_000)?;
    println!(
        "collector: {} remote failure(s), {} rejected, {} refused session(s)",
        stats.remote_failures, stats.rejected, stats.refused_sessions
    );

    forwarder.stop().await;
    guardian_b.stop(None);
    guardian_b_done.await?;
    collector.stop(None);
    collector_done.await?;
    listener_a.stop();
    server_b.stop(None);
    server_a.stop(None);
    Ok(())
}
