//! `MetricsFacadeSink` recording into a Prometheus recorder that is never installed
//! globally (`MetricsFacadeSink::new_in`): the rendered exposition holds the exact
//! counts of the failures escalated through a real `RootEscalationSink`. With the
//! `prometheus` feature, `prometheus_builder` and `with_latency_histogram` turn the
//! latency into a histogram with the crate's buckets (the exporter's default is a
//! summary, shown too).
#![cfg(feature = "metrics")]

mod support {
    pub(crate) mod exposition;
    pub(crate) mod scenario;
}

use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
use escalation_telemetry::prelude::*;
use metrics_exporter_prometheus::PrometheusBuilder;
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
        "escalation_telemetry_forward_dropped_total",
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
        "escalation_telemetry_forward_dropped_total",
    ] {
        assert_eq!(
            sample(&exposition, name),
            Some(0.0),
            "{name} in:\n{exposition}"
        );
    }
}

/// Renders the scenario through a recorder made by `builder`.
fn render_scenario(builder: PrometheusBuilder) -> String {
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    escalate_failures(MetricsSinkShared::new(MetricsFacadeSink::new_in(&recorder)));
    handle.render()
}

#[cfg(feature = "prometheus")]
#[test]
fn prometheus_builder_exports_the_latency_as_a_histogram_with_our_buckets() {
    use escalation_telemetry::integrations::instruments::LATENCY_BUCKETS_SECONDS;
    use escalation_telemetry::integrations::prometheus::prometheus_builder;

    let exposition = render_scenario(prometheus_builder());

    assert_counts(&exposition, &EXPECTED);
    // Buckets are cumulative: +Inf holds every sample, whatever the latencies were.
    assert_eq!(
        sample(
            &exposition,
            "escalation_telemetry_latency_seconds_bucket{le=\"+Inf\"}"
        ),
        Some(EXPECTED.latency_samples as f64)
    );
    // One bucket per bound, in order, then +Inf; no summary quantiles.
    let bounds: Vec<f64> = exposition
        .lines()
        .filter_map(|line| {
            let le = line.strip_prefix("escalation_telemetry_latency_seconds_bucket{le=\"")?;
            le.split_once('"')?.0.parse().ok()
        })
        .filter(|bound: &f64| bound.is_finite())
        .collect();
    assert_eq!(bounds, LATENCY_BUCKETS_SECONDS);
    assert!(!exposition.contains("quantile="), "{exposition}");
}

#[cfg(feature = "prometheus")]
#[test]
fn with_latency_histogram_keeps_the_builders_other_settings() {
    use escalation_telemetry::integrations::prometheus::with_latency_histogram;

    let builder = PrometheusBuilder::new().add_global_label("node", "node-a");
    let exposition = render_scenario(with_latency_histogram(builder).expect("our buckets"));

    assert_eq!(
        sample(
            &exposition,
            "escalation_telemetry_latency_seconds_bucket{node=\"node-a\",le=\"+Inf\"}"
        ),
        Some(EXPECTED.latency_samples as f64),
        "{exposition}"
    );
    assert_eq!(
        sample(
            &exposition,
            "escalation_telemetry_invocations_total{node=\"node-a\"}"
        ),
        Some(EXPECTED.invocations as f64)
    );
}

#[test]
fn without_buckets_the_exporter_renders_a_summary() {
    let exposition = render_scenario(PrometheusBuilder::new());
    // Why `integrations::prometheus` exists: quantiles per process cannot be summed.
    assert!(
        exposition.contains("escalation_telemetry_latency_seconds{quantile=\"0.99\"}"),
        "{exposition}"
    );
    assert!(
        !exposition.contains("escalation_telemetry_latency_seconds_bucket"),
        "{exposition}"
    );
}
