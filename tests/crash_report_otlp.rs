//! The crash report as an OpenTelemetry log record over OTLP/HTTP: the top-level trace
//! id, span id and flags, `exception.*`, `code.*`, every cause of a three-level chain.
#![cfg(feature = "opentelemetry-logs")]

mod support {
    pub(crate) mod crash;
    pub(crate) mod crash_otlp;
    pub(crate) mod otlp_receiver;
}

use std::time::Duration;

use support::crash_otlp::{assert_crash_record, only_record, send_error_failure};
use support::otlp_receiver::OtlpReceiver;

#[test]
fn the_crash_report_arrives_with_trace_exception_code_and_causes() {
    let receiver = OtlpReceiver::start();
    send_error_failure(&receiver.logs_url());
    let export = receiver.next_logs(Duration::from_secs(30));
    assert_crash_record(only_record(&export));
}
