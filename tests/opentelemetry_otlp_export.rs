//! The `opentelemetry` integrations exported the way an operator runs them: the SDK with
//! the official OTLP exporter (HTTP/protobuf) sends to a receiver on 127.0.0.1 that
//! decodes the official OTLP protobuf definitions. The failures go through a real
//! `RootEscalationSink`; the test reads what arrived on the wire.
#![cfg(feature = "opentelemetry-logs")]

mod support {
    pub(crate) mod otlp_receiver;
    pub(crate) mod scenario;
}

use std::time::Duration;

use escalation_telemetry::integrations::instruments::LATENCY_BUCKETS_SECONDS;
use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
use escalation_telemetry::prelude::*;
use opentelemetry_otlp::{LogExporter, MetricExporter, Protocol, WithExportConfig};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, SeverityNumber};
use opentelemetry_proto::tonic::metrics::v1::metric::Data;
use opentelemetry_proto::tonic::metrics::v1::number_data_point;
use opentelemetry_proto::tonic::metrics::v1::{AggregationTemporality, Metric};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::logs::SdkLoggerProvider;
use opentelemetry_sdk::metrics::SdkMeterProvider;
use support::otlp_receiver::OtlpReceiver;
use support::scenario::{EXPECTED, escalate_into_meter_provider};

/// How long the receiver waits for an export the SDK has already flushed: a safety net
/// against a hung exporter, not a timing assertion.
const ARRIVAL: Duration = Duration::from_secs(30);

fn resource() -> Resource {
    Resource::builder_empty()
        .with_service_name("orders-service")
        .build()
}

/// A string value of the OTLP `AnyValue` union.
fn string(value: Option<&AnyValue>) -> Option<&str> {
    match value?.value.as_ref()? {
        Value::StringValue(text) => Some(text),
        _ => None,
    }
}

/// The value of attribute `key`; panics when it is absent or repeated.
fn attribute<'a>(attributes: &'a [KeyValue], key: &str) -> &'a Value {
    let mut found = attributes.iter().filter(|kv| kv.key == key);
    let value = found
        .next()
        .and_then(|kv| kv.value.as_ref()?.value.as_ref())
        .unwrap_or_else(|| panic!("no attribute `{key}` in {attributes:?}"));
    assert!(found.next().is_none(), "attribute `{key}` is repeated");
    value
}

/// The one metric called `name` in the export.
fn metric<'a>(export: &'a ExportMetricsServiceRequest, name: &str) -> &'a Metric {
    let mut found = export
        .resource_metrics
        .iter()
        .flat_map(|resource| &resource.scope_metrics)
        .flat_map(|scope| &scope.metrics)
        .filter(|metric| metric.name == name);
    let metric = found
        .next()
        .unwrap_or_else(|| panic!("`{name}` was not exported: {export:#?}"));
    assert!(found.next().is_none(), "`{name}` was exported twice");
    metric
}

/// The value of a cumulative monotonic integer sum with one data point and no
/// attributes: an OpenTelemetry counter as it travels in OTLP.
fn counter(export: &ExportMetricsServiceRequest, name: &str) -> i64 {
    let Some(Data::Sum(sum)) = &metric(export, name).data else {
        panic!("`{name}` is not a sum");
    };
    assert!(sum.is_monotonic, "`{name}` is monotonic");
    assert_eq!(
        sum.aggregation_temporality,
        AggregationTemporality::Cumulative as i32
    );
    let [point] = sum.data_points.as_slice() else {
        panic!("`{name}` has one data point: {:?}", sum.data_points);
    };
    assert!(
        point.attributes.is_empty(),
        "`{name}` carries no attributes"
    );
    match point.value {
        Some(number_data_point::Value::AsInt(value)) => value,
        other => panic!("`{name}` is not an integer sum: {other:?}"),
    }
}

#[test]
fn metrics_arrive_over_otlp_http_with_the_exact_counts() {
    let receiver = OtlpReceiver::start();
    let exporter = MetricExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(receiver.metrics_url())
        .build()
        .expect("the OTLP metric exporter builds");
    let provider = SdkMeterProvider::builder()
        .with_resource(resource())
        .with_periodic_exporter(exporter)
        .build();
    escalate_into_meter_provider(&provider);
    let export = receiver.next_metrics(ARRIVAL);

    let [resource_metrics] = export.resource_metrics.as_slice() else {
        panic!("one resource: {export:#?}");
    };
    let service = resource_metrics
        .resource
        .as_ref()
        .map(|resource| attribute(&resource.attributes, "service.name"));
    assert_eq!(
        service,
        Some(&Value::StringValue("orders-service".to_owned()))
    );
    // Every counter of the crate, with the scenario's exact count.
    for (name, value) in EXPECTED.counters() {
        let value = i64::try_from(value).expect("small counts");
        assert_eq!(counter(&export, name), value, "{name}");
    }

    let latency = metric(&export, "escalation_telemetry_latency_seconds");
    assert_eq!(latency.unit, "s");
    assert_eq!(
        latency.description,
        "Duration of observed telemetry hook calls, in seconds."
    );
    let Some(Data::Histogram(histogram)) = &latency.data else {
        panic!("the latency is not a histogram: {latency:?}");
    };
    let [point] = histogram.data_points.as_slice() else {
        panic!("one latency data point: {histogram:?}");
    };
    assert_eq!(point.count, EXPECTED.latency_samples);
    assert_eq!(point.explicit_bounds, LATENCY_BUCKETS_SECONDS);
    // One count per bound, plus the overflow bucket above the last bound.
    assert_eq!(point.bucket_counts.len(), LATENCY_BUCKETS_SECONDS.len() + 1);
    assert_eq!(
        point.bucket_counts.iter().sum::<u64>(),
        EXPECTED.latency_samples
    );
    // The sum agrees with the buckets: each sample lies in its bucket's range
    // (`(previous bound, bound]`, the last one unbounded above), so the sum lies
    // between the bucket counts times their lower and upper bounds; the mean between
    // the minimum and the maximum, which are above zero (a timed call takes time).
    let sum = point.sum.expect("the SDK exports the sum");
    let lower: f64 = point
        .bucket_counts
        .iter()
        .zip(std::iter::once(0.0).chain(point.explicit_bounds.iter().copied()))
        .map(|(&count, low)| count as f64 * low)
        .sum();
    let upper: f64 = point
        .bucket_counts
        .iter()
        .zip(point.explicit_bounds.iter().copied().chain([f64::INFINITY]))
        .filter(|&(&count, _)| count > 0)
        .map(|(&count, high)| count as f64 * high)
        .sum();
    assert!(
        sum > 0.0 && sum >= lower && sum <= upper,
        "sum {sum} outside [{lower}, {upper}]: {point:?}"
    );
    let (min, max) = (point.min.expect("min"), point.max.expect("max"));
    let mean = sum / point.count as f64;
    assert!(
        0.0 < min && min <= mean && mean <= max,
        "min {min}, mean {mean}, max {max}: {point:?}"
    );

    provider.shutdown().expect("the SDK shuts down");
}

/// Two tags fit; the third of a failure is dropped and counted.
type Runtime = StdRuntime<BoundedTags<2>>;

#[test]
fn each_failure_arrives_as_one_otlp_log_record() {
    let receiver = OtlpReceiver::start();
    let exporter = LogExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(receiver.logs_url())
        .build()
        .expect("the OTLP log exporter builds");
    // The batch processor: records are exported on its own thread, off the root path.
    let provider = SdkLoggerProvider::builder()
        .with_resource(resource())
        .with_batch_exporter(exporter)
        .build();
    let telemetry = OpenTelemetryLogTelemetry::from_provider(&provider);
    // System tags follow a failure's own tags; a failure's own `tenant` wins.
    let config = ActorSystemConfig::<Runtime>::new()
        .with_system_tag("service", "orders")
        .with_system_tag("tenant", "default")
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    let storage = ActorPath::root().child(ActorId(1)).child(ActorId(4));
    let disk_full = FailureInfo::<BoundedTags<2>>::new_in(
        ActorId(4),
        storage,
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(
        FailureMetadata::<BoundedTags<2>>::default()
            .with_tag("component", "storage")
            .with_tag("tenant", "acme corp")
            .with_tag("region", "eu-1"),
    )
    .escalate_to_parent()
    .escalate_to_parent();
    let timeout = FailureInfo::<BoundedTags<2>>::new_in(
        ActorId(7),
        ActorPath::root().child(ActorId(7)),
        ActorFailure::from_message("upstream \"billing\" timed out"),
    );
    root.handle(disk_full, false).expect("handled");
    root.handle(timeout, false).expect("handled");
    // Already handled below the root: no telemetry, so no record.
    let handled = FailureInfo::<BoundedTags<2>>::new_in(
        ActorId(9),
        ActorPath::root().child(ActorId(9)),
        ActorFailure::from_message("handled by its supervisor"),
    );
    root.handle(handled, true).expect("handled");

    provider
        .force_flush()
        .expect("the SDK exports to the receiver");
    let export = receiver.next_logs(ARRIVAL);

    let [resource_logs] = export.resource_logs.as_slice() else {
        panic!("one resource: {export:#?}");
    };
    let [scope_logs] = resource_logs.scope_logs.as_slice() else {
        panic!("one scope: {resource_logs:#?}");
    };
    assert_eq!(
        scope_logs.scope.as_ref().map(|scope| scope.name.as_str()),
        Some("escalation_telemetry")
    );
    let [first, second] = scope_logs.log_records.as_slice() else {
        panic!("one record per unhandled failure: {scope_logs:#?}");
    };
    for record in [first, second] {
        assert_error_record(record);
    }

    assert_eq!(
        string(first.body.as_ref()),
        Some(
            r#"path=/1/4 actor=4 hops=2 description="disk full" tags=[component=storage tenant="acme corp" service=orders] dropped_tags=1"#
        )
    );
    let text = |value: &str| Value::StringValue(value.to_owned());
    assert_attributes(
        &first.attributes,
        &[
            ("escalation.actor", Value::IntValue(4)),
            ("escalation.path", text("/1/4")),
            ("escalation.hops", Value::IntValue(2)),
            ("escalation.description", text("disk full")),
            ("escalation.dropped_tags", Value::IntValue(1)),
            ("component", text("storage")),
            ("tenant", text("acme corp")),
            ("service", text("orders")),
        ],
    );

    assert_eq!(
        string(second.body.as_ref()),
        Some(
            r#"path=/7 actor=7 hops=0 description="upstream \"billing\" timed out" tags=[service=orders tenant=default]"#
        )
    );
    // No tags of its own, nothing dropped: the four attributes every record has, then
    // the system tags.
    assert_attributes(
        &second.attributes,
        &[
            ("escalation.actor", Value::IntValue(7)),
            ("escalation.path", text("/7")),
            ("escalation.hops", Value::IntValue(0)),
            (
                "escalation.description",
                text("upstream \"billing\" timed out"),
            ),
            ("service", text("orders")),
            ("tenant", text("default")),
        ],
    );

    provider.shutdown().expect("the SDK shuts down");
}

/// The record has exactly these attributes, each once, in this order.
fn assert_attributes(attributes: &[KeyValue], expected: &[(&str, Value)]) {
    for (key, value) in expected {
        assert_eq!(attribute(attributes, key), value, "attribute `{key}`");
    }
    let keys: Vec<&str> = attributes.iter().map(|kv| kv.key.as_str()).collect();
    let expected_keys: Vec<&str> = expected.iter().map(|(key, _)| *key).collect();
    assert_eq!(keys, expected_keys);
}

/// Severity, event name and timestamp, the same for every failure.
fn assert_error_record(record: &LogRecord) {
    assert_eq!(record.severity_number, SeverityNumber::Error as i32);
    assert_eq!(record.severity_text, "ERROR");
    assert_eq!(record.event_name, "escalation_telemetry.failure");
    assert!(record.time_unix_nano > 0, "the failure's time is set");
}
