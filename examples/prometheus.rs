//! Failure telemetry served to Prometheus.
//!
//! Installs the Prometheus exporter (global `metrics` recorder plus its HTTP listener on
//! a free port of 127.0.0.1), sets up an observed config that records into
//! `MetricsFacadeSink`, escalates a few failures to the root guardian (one of them makes
//! the telemetry hook panic), scrapes its own `/metrics` endpoint over HTTP, prints the
//! `escalation_telemetry_*` lines and exits.
//!
//! The latency is exported as a histogram with the crate's buckets
//! (`integrations::prometheus::prometheus_builder`), so a Prometheus server can
//! aggregate it across nodes; `ops/prometheus/` has the rules and alerts to load.
//!
//! ```sh
//! cargo run --features prometheus --example prometheus
//! ```

use std::error::Error;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::panic;
use std::time::Duration;

use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
use escalation_telemetry::integrations::prometheus::prometheus_builder;
use escalation_telemetry::prelude::*;
use metrics_exporter_prometheus::BuildError;

/// The panic the telemetry hook raises on purpose, to show that it is caught and counted.
const HOOK_PANIC: &str = "the telemetry hook failed on purpose";

fn main() -> Result<(), Box<dyn Error>> {
    silence_the_planned_panic();

    // 1. The exporter first: the sink registers its instruments in the recorder that is
    //    installed when it is made.
    let address = install_exporter()?;
    println!("Prometheus exporter listening on http://{address}/metrics\n");

    // 2. The config: every telemetry call is counted and timed into the facade.
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(MetricsFacadeSink::new()))
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| {
                if snapshot.description() == "corrupt checkpoint" {
                    panic!("{HOOK_PANIC}");
                }
                println!("telemetry: {snapshot}");
            })
        })
        .observe()
        .capture_timing(true)
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    // 3. Failures reach the root from a small tree: /1 supervises /1/4 and /1/7.
    let supervisor = ActorPath::root().child(ActorId(1));
    let failures = [
        (4, "disk full", "storage"),
        (7, "upstream timed out", "billing"),
        (4, "corrupt checkpoint", "storage"),
    ];
    for (actor, description, component) in failures {
        let failure = FailureInfo::new(
            ActorId(actor),
            supervisor.child(ActorId(actor)),
            ActorFailure::from_message(description),
        )
        .with_metadata(FailureMetadata::new().with_component(component))
        .escalate_to_parent();
        root.handle(failure, false)
            .map_err(|unhandled| format!("the root did not handle: {unhandled}"))?;
    }
    println!(
        "root: {} telemetry hook panic caught and counted, the other steps ran\n",
        root.stats().telemetry_panics
    );

    // 4. Scrape ourselves, like Prometheus would.
    let exposition = scrape(address)?;
    println!("GET /metrics (escalation_telemetry_* samples):");
    for line in exposition
        .lines()
        .filter(|line| line.starts_with("escalation_telemetry_"))
    {
        println!("  {line}");
    }
    Ok(())
}

/// Keeps the default panic message for every panic but the planned one.
fn silence_the_planned_panic() {
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let planned = info
            .payload()
            .downcast_ref::<String>()
            .is_some_and(|message| message == HOOK_PANIC);
        if !planned {
            default_hook(info);
        }
    }));
}

/// Installs the exporter on a free port of 127.0.0.1. Another process may take the port
/// between our probe and the exporter's bind: that case is retried on a fresh port.
fn install_exporter() -> Result<SocketAddr, Box<dyn Error>> {
    let mut attempts = 0;
    loop {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
            .local_addr()?
            .port();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        // The latency as a histogram with buckets for telemetry calls, not a summary.
        let installed = prometheus_builder().with_http_listener(address).install();
        match installed {
            Ok(()) => return Ok(address),
            Err(BuildError::FailedToCreateHTTPListener(_)) if attempts < 5 => attempts += 1,
            Err(error) => return Err(error.into()),
        }
    }
}

/// `GET /metrics` over plain TCP; the body of a 200 response.
fn scrape(address: SocketAddr) -> Result<String, Box<dyn Error>> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .ok_or("the response has no body")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("unexpected response: {head}").into());
    }
    Ok(body.to_owned())
}
