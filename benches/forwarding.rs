//! A cluster node's root path: `RootEscalationSink::handle` with `ForwardingTelemetry`
//! as the hook, against the same failure with the no-op hook (feature `cluster`).
//!
//! The forwarding node has no collector to reach, so its buffer (the default 1024) is
//! full after the first iterations and every failure displaces the oldest: the hook's
//! worst case (one owned copy made, one freed). The forwarder task runs on the
//! runtime's other worker, as on a real node.

mod common;

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use common::{Observation, TagValues};
use criterion::{BatchSize, Criterion};
use escalation_telemetry::integrations::ractor::cluster::{ForwardingOptions, ForwardingTelemetry};
use escalation_telemetry::prelude::*;

fn forwarding(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let (forwarding, forwarder, server) = runtime.block_on(async {
        let server = ractor_cluster::NodeServer::new(
            0,
            "bench".into(),
            "bench".into(),
            "localhost".into(),
            None,
            None,
        )
        .with_listen_addr(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let (server, _) = ractor::Actor::spawn(None, server, ())
            .await
            .expect("the node server starts");
        let (forwarding, forwarder) =
            ForwardingTelemetry::spawn(server.clone(), ForwardingOptions::new("bench"))
                .expect("inside the runtime");
        (forwarding, forwarder, server)
    });
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let hooks = [
        ("noop", FailureTelemetryShared::noop()),
        (
            "forwarding",
            FailureTelemetryShared::new(forwarding.clone()),
        ),
    ];
    let mut group = c.benchmark_group("cluster/forwarding");
    for (name, hook) in hooks {
        let config = common::config::<DefaultTags>(hook, Observation::None);
        let mut sink = config.root_escalation_sink::<()>();
        group.bench_function(format!("{name}/handle"), |b| {
            b.iter_batched(
                || info.clone(),
                // The root sink never gives a failure back; the result is only kept
                // from being optimised away.
                |info| {
                    black_box(black_box(&mut sink).handle(black_box(info), false).is_ok());
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
    println!("forwarding after the run: {:?}", forwarding.stats());
    runtime.block_on(async {
        forwarder.stop().await;
        server.stop(None);
    });
}

fn main() {
    common::run(&[forwarding]);
}
