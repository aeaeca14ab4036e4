//! The crash report of `support::crash::error_failure` sent as an OpenTelemetry log
//! record with the official OTLP/HTTP exporter, and the check of what arrives.
//! Needs `mod support { pub(crate) mod crash; pub(crate) mod crash_otlp; }`.
#![allow(dead_code, reason = "each test uses a part")]

use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
use escalation_telemetry::prelude::*;
use opentelemetry_otlp::{LogExporter, Protocol, WithExportConfig};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};
use opentelemetry_proto::tonic::logs::v1::{LogRecord, SeverityNumber};
use opentelemetry_sdk::logs::SdkLoggerProvider;

use super::crash::{TRACE, error_failure};

/// Sends the error failure (three causes, a trace, a backtrace) through a real root
/// guardian to `logs_url` (OTLP/HTTP, protobuf), and flushes.
pub(crate) fn send_error_failure(logs_url: &str) {
    let provider = otlp_logs(logs_url);
    let telemetry = OpenTelemetryLogTelemetry::from_provider(&provider);
    let mut root = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize()
        .root_escalation_sink::<()>();
    root.handle(error_failure(), false).expect("handled");
    provider.force_flush().expect("the SDK exports");
    provider.shutdown().expect("the SDK shuts down");
}

/// A logger provider exporting in batches with the official OTLP/HTTP exporter
/// (protobuf) to `logs_url`; `force_flush` sends what was emitted.
pub(crate) fn otlp_logs(logs_url: &str) -> SdkLoggerProvider {
    let exporter = LogExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(logs_url)
        .build()
        .expect("the OTLP log exporter builds");
    SdkLoggerProvider::builder()
        .with_batch_exporter(exporter)
        .build()
}

/// The one log record of an export.
pub(crate) fn only_record(export: &ExportLogsServiceRequest) -> &LogRecord {
    let records: Vec<&LogRecord> = export
        .resource_logs
        .iter()
        .flat_map(|resource| &resource.scope_logs)
        .flat_map(|scope| &scope.log_records)
        .collect();
    let [record] = records.as_slice() else {
        panic!("one record: {export:#?}");
    };
    record
}

/// The value of the attribute `key`, which must be there once.
pub(crate) fn value<'a>(attributes: &'a [KeyValue], key: &str) -> &'a Value {
    let mut found = attributes.iter().filter(|kv| kv.key == key);
    let value = found
        .next()
        .and_then(|kv| kv.value.as_ref()?.value.as_ref())
        .unwrap_or_else(|| panic!("no attribute `{key}` in {attributes:?}"));
    assert!(found.next().is_none(), "attribute `{key}` is repeated");
    value
}

/// A string attribute value.
pub(crate) fn text(value: &str) -> Value {
    Value::StringValue(value.to_owned())
}

/// The record carries the trace at the top level, the exception and code attributes
/// and every cause.
pub(crate) fn assert_crash_record(record: &LogRecord) {
    assert_eq!(record.severity_number, SeverityNumber::Error as i32);
    assert_eq!(record.severity_text, "ERROR");
    assert_eq!(record.event_name, "escalation_telemetry.failure");
    assert_eq!(record.trace_id, TRACE.trace_id.to_vec());
    assert_eq!(record.span_id, TRACE.span_id.to_vec());
    assert_eq!(record.flags & 0xff, 1, "sampled");
    let attributes = &record.attributes;
    assert_eq!(value(attributes, "escalation.kind"), &text("error"));
    assert_eq!(
        value(attributes, "exception.type"),
        &text("payments::GatewayError")
    );
    assert_eq!(
        value(attributes, "exception.message"),
        &text("request failed")
    );
    assert_eq!(
        value(attributes, "exception.stacktrace"),
        &text("0: payments::gateway::charge\n1: payments::worker::handle")
    );
    assert_eq!(
        value(attributes, "code.file.path"),
        &text("src/payments/gateway.rs")
    );
    assert_eq!(value(attributes, "code.line.number"), &Value::IntValue(88));
    assert_eq!(
        value(attributes, "code.column.number"),
        &Value::IntValue(17)
    );
    let Value::ArrayValue(causes) = value(attributes, "escalation.causes") else {
        panic!("causes are a list: {attributes:?}");
    };
    let causes: Vec<Option<&Value>> = causes
        .values
        .iter()
        .map(|cause: &AnyValue| cause.value.as_ref())
        .collect();
    assert_eq!(
        causes,
        [
            Some(&text("connection reset")),
            Some(&text("os error 104")),
            Some(&text("no route \"to\" host")),
        ]
    );
}

/// The record is the panic raised at `file:line`, in `trace`: the trace at the top
/// level, kind and exception type `panic`, the code location, severity ERROR.
#[track_caller]
pub(crate) fn assert_panic_record(
    record: &LogRecord,
    description: &str,
    (file, line): (&str, u32),
    trace: TraceContext,
) {
    assert_eq!(record.severity_number, SeverityNumber::Error as i32);
    assert_eq!(record.severity_text, "ERROR");
    assert_eq!(record.event_name, "escalation_telemetry.failure");
    assert_eq!(record.trace_id, trace.trace_id.to_vec(), "the trace id");
    assert_eq!(record.span_id, trace.span_id.to_vec(), "the span id");
    assert_eq!(record.flags & 0xff, u32::from(trace.sampled), "the flags");
    let attributes = &record.attributes;
    assert_eq!(value(attributes, "escalation.kind"), &text("panic"));
    assert_eq!(value(attributes, "exception.type"), &text("panic"));
    assert_eq!(value(attributes, "exception.message"), &text(description));
    assert_eq!(value(attributes, "code.file.path"), &text(file));
    assert_eq!(
        value(attributes, "code.line.number"),
        &Value::IntValue(i64::from(line))
    );
}
