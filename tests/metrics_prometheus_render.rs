//! `MetricsFacadeSink` recording into a Prometheus recorder that is never installed
//! globally (`MetricsFacadeSink::new_in`): the rendered exposition holds the exact
//! counts of the failures escalated through a real `RootEscalationSink`.
#![cfg(feature = "metrics")]

mod support {
    pub(crate) mod exposition;
    pub(crate) mod scenario;
}

use escalation_telemetry::integrations::instruments::{LATENCY_BUCKETS_SECONDS, LATENCY_SECONDS};
use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
use escalation_telemetry::prelude::*;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use support::exposition::{assert_counts, help, sample};
use support::scenario::{EXPECTED, escalate_failures};

#[test]
fn the_rendered_exposition_counts_every_escalated_failure() {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();

    let sink = MetricsFacadeSink::new_in(&recorder);
    let stats = escalate_failures(MetricsSinkShared::new(sink));

    let exposition = handle.render();
    assert_counts(&exposition, &EXPECTED);
    // The sink's own counters agree with what the backend exported.
    assert_eq!(stats.telemetry_panics, EXPECTED.panics);
    assert_eq!(stats.handler_panics, EXPECTED.handler_panics);
    assert_eq!(stats.listener_panics, EXPECTED.listener_panics);
    assert_eq!(stats.tags_dropped, EXPECTED.tags_dropped);
    assert_eq!(stats.clock_panics, EXPECTED.clock_panics);
    assert_eq!(stats.builder_panics, EXPECTED.builder_panics);
    assert_eq!(stats.telemetry_suppressed, EXPECTED.suppressed);
    // Every instrument is described.
    assert_eq!(
        help(&exposition, "escalation_telemetry_invocations_total"),
        Some("Telemetry hook calls observed at the root guardian.")
    );
    assert_eq!(
        help(&exposition, "escalation_telemetry_latency_seconds"),
        Some("Duration of observed telemetry hook calls, in seconds.")
    );
    for name in [
        "escalation_telemetry_panics_total",
        "escalation_telemetry_tags_dropped_total",
        "escalation_telemetry_handler_panics_total",
        "escalation_telemetry_listener_panics_total",
        "escalation_telemetry_clock_panics_total",
        "escalation_telemetry_builder_panics_total",
        "escalation_telemetry_suppressed_total",
    ] {
        assert!(
            help(&exposition, name).is_some(),
            "no HELP for {name} in:\n{exposition}"
        );
    }
}

#[test]
fn instruments_are_exported_at_zero_before_any_failure() {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();

    let _sink = MetricsFacadeSink::new_in(&recorder);

    let exposition = handle.render();
    for name in [
        "escalation_telemetry_invocations_total",
        "escalation_telemetry_panics_total",
        "escalation_telemetry_tags_dropped_total",
        "escalation_telemetry_handler_panics_total",
        "escalation_telemetry_listener_panics_total",
        "escalation_telemetry_clock_panics_total",
        "escalation_telemetry_builder_panics_total",
        "escalation_telemetry_suppressed_total",
    ] {
        assert_eq!(
            sample(&exposition, name),
            Some(0.0),
            "{name} in:\n{exposition}"
        );
    }
}

#[test]
fn the_recommended_buckets_turn_latency_into_a_histogram() {
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(LATENCY_SECONDS.to_owned()),
            LATENCY_BUCKETS_SECONDS,
        )
        .expect("the bucket list is not empty")
        .build_recorder();
    let handle = recorder.handle();

    escalate_failures(MetricsSinkShared::new(MetricsFacadeSink::new_in(&recorder)));

    let exposition = handle.render();
    assert_counts(&exposition, &EXPECTED);
    // Buckets are cumulative: +Inf holds every sample, whatever the latencies were.
    assert_eq!(
        sample(
            &exposition,
            "escalation_telemetry_latency_seconds_bucket{le=\"+Inf\"}"
        ),
        Some(4.0)
    );
    assert!(
        exposition.contains("escalation_telemetry_latency_seconds_bucket{le=\"0.000001\"}"),
        "{exposition}"
    );
}
