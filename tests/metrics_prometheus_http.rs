//! `MetricsFacadeSink` behind the Prometheus exporter's own HTTP listener, the way an
//! operator runs it: the recorder is installed globally (so this file is its own test
//! binary, with one test), the listener serves on 127.0.0.1, and a plain HTTP GET
//! scrapes the exact counts of the failures escalated through a real
//! `RootEscalationSink`.
#![cfg(feature = "metrics")]

mod support {
    pub(crate) mod exposition;
    pub(crate) mod scenario;
}

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
use escalation_telemetry::prelude::*;
use metrics_exporter_prometheus::{BuildError, PrometheusBuilder};
use support::exposition::{assert_counts, help};
use support::scenario::{EXPECTED, escalate_failures};

/// A port nobody listened on a moment ago.
fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// Installs the exporter (global recorder plus HTTP listener on its own thread) on a
/// free port of 127.0.0.1. Another process may take the port between `free_port` and
/// the exporter's bind: that bind error is retried on a fresh port.
fn install_exporter() -> SocketAddr {
    let mut last_error = None;
    for _ in 0..5 {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port().expect("a free port")));
        match PrometheusBuilder::new()
            .with_http_listener(address)
            .install()
        {
            Ok(()) => return address,
            Err(error @ BuildError::FailedToCreateHTTPListener(_)) => last_error = Some(error),
            Err(error) => panic!("installing the Prometheus exporter: {error}"),
        }
    }
    panic!("no free port for the exporter: {last_error:?}");
}

/// `GET /metrics` over a plain TCP connection; returns the body of a 200 response.
fn scrape(address: SocketAddr) -> String {
    let mut stream = TcpStream::connect(address).expect("the exporter listens once installed");
    // A safety net against a hung exporter, not a timing assertion.
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("a read timeout can be set");
    write!(
        stream,
        "GET /metrics HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("the request is sent");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("the exporter answers and closes");
    let (head, body) = response
        .split_once("\r\n\r\n")
        .expect("an HTTP response has a head and a body");
    assert!(
        head.starts_with("HTTP/1.1 200"),
        "unexpected response head:\n{head}"
    );
    body.to_owned()
}

#[test]
fn a_scrape_over_http_counts_every_escalated_failure() {
    let address = install_exporter();
    // After the install: the sink registers its handles in the installed recorder.
    let sink = MetricsFacadeSink::new();

    escalate_failures(MetricsSinkShared::new(sink));

    let exposition = scrape(address);
    assert_counts(&exposition, &EXPECTED);
    assert_eq!(
        help(&exposition, "escalation_telemetry_panics_total"),
        Some("Telemetry hook panics caught at the root guardian.")
    );
}
