//! `OpenTelemetryMetricsSink` on a meter of the real OpenTelemetry SDK: after a flush,
//! the in-memory exporter holds the exact counts of the failures escalated through a
//! real `RootEscalationSink`, the latency as a histogram in seconds.
#![cfg(feature = "opentelemetry")]

mod support {
    pub(crate) mod scenario;
}

use escalation_telemetry::integrations::instruments::LATENCY_BUCKETS_SECONDS;
use opentelemetry_sdk::metrics::data::{AggregatedMetrics, Metric, MetricData, ResourceMetrics};
use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};
use support::scenario::{EXPECTED, escalate_into_meter_provider};

/// The one exported metric called `name`.
fn metric<'a>(exported: &'a [ResourceMetrics], name: &str) -> &'a Metric {
    let mut found = exported
        .iter()
        .flat_map(ResourceMetrics::scope_metrics)
        .flat_map(|scope| scope.metrics())
        .filter(|metric| metric.name() == name);
    let metric = found
        .next()
        .unwrap_or_else(|| panic!("`{name}` was not exported"));
    assert!(found.next().is_none(), "`{name}` was exported twice");
    metric
}

/// The value of a counter with a single data point.
fn counter(exported: &[ResourceMetrics], name: &str) -> u64 {
    match metric(exported, name).data() {
        AggregatedMetrics::U64(MetricData::Sum(sum)) => {
            assert!(sum.is_monotonic(), "`{name}` is a counter");
            let points: Vec<u64> = sum.data_points().map(|point| point.value()).collect();
            assert_eq!(
                points.len(),
                1,
                "`{name}` has one data point, no attributes"
            );
            points[0]
        }
        other => panic!("`{name}` is not a u64 counter: {other:?}"),
    }
}

#[test]
fn exported_instruments_count_every_escalated_failure() {
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    escalate_into_meter_provider(&provider);
    let exported = exporter
        .get_finished_metrics()
        .expect("the in-memory exporter hands back what it got");

    for (name, value) in EXPECTED.counters() {
        assert_eq!(counter(&exported, name), value, "{name}");
    }

    let latency = metric(&exported, "escalation_telemetry_latency_seconds");
    assert_eq!(latency.unit(), "s");
    assert_eq!(
        latency.description(),
        "Duration of observed telemetry hook calls, in seconds."
    );
    match latency.data() {
        AggregatedMetrics::F64(MetricData::Histogram(histogram)) => {
            let points: Vec<_> = histogram.data_points().collect();
            assert_eq!(points.len(), 1, "one data point, no attributes");
            assert_eq!(points[0].count(), EXPECTED.latency_samples);
            assert_eq!(
                points[0].bounds().collect::<Vec<_>>(),
                LATENCY_BUCKETS_SECONDS
            );
            assert_eq!(
                points[0].bucket_counts().sum::<u64>(),
                EXPECTED.latency_samples
            );
        }
        other => panic!("the latency is not an f64 histogram: {other:?}"),
    }

    provider.shutdown().expect("the SDK shuts down");
}

/// A cluster node's forwarding drops (`MetricsEvent::ForwardDropped`, recorded by the
/// forwarding hook) add up in their own counter, with its description.
#[test]
fn forward_drops_are_exported_as_their_own_counter() {
    use escalation_telemetry::integrations::opentelemetry::OpenTelemetryMetricsSink;
    use escalation_telemetry::prelude::*;
    use opentelemetry::metrics::MeterProvider;

    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    let sink = OpenTelemetryMetricsSink::new(&provider.meter("forwarding"));
    sink.record(MetricsEvent::ForwardDropped(1));
    sink.record(MetricsEvent::ForwardDropped(2));
    provider.force_flush().expect("the SDK flushes");
    let exported = exporter
        .get_finished_metrics()
        .expect("the in-memory exporter hands back what it got");

    assert_eq!(
        counter(&exported, "escalation_telemetry_forward_dropped_total"),
        3
    );
    assert_eq!(
        metric(&exported, "escalation_telemetry_forward_dropped_total").description(),
        "Failures this node's cluster forwarding dropped (buffer full, collector unreachable)."
    );
    provider.shutdown().expect("the SDK shuts down");
}
