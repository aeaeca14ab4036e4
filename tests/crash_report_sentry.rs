//! The crash report in a Sentry event, through the real Sentry client (offline test
//! transport): one exception per cause then the failure with its type, value and
//! frames, `contexts.trace`, and the location in the `escalation` context.
#![cfg(feature = "sentry")]

mod support {
    pub(crate) mod crash;
}

use escalation_telemetry::integrations::sentry::{CONTEXT, SentryFailureTelemetry};
use escalation_telemetry::prelude::*;
use sentry::protocol::{Context, Event, Value};
use support::crash::{TRACE, error_failure, panic_failure};

/// A frame as the tests compare it: function, file, line, column.
type Shown<'a> = (Option<&'a str>, Option<&'a str>, Option<u64>, Option<u64>);

fn capture(info: FailureInfo) -> Event<'static> {
    let events = sentry::test::with_captured_events(|| {
        let telemetry = SentryFailureTelemetry::new();
        let mut sink = ActorSystemConfig::<StdRuntime>::new()
            .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
            .finalize()
            .root_escalation_sink::<()>();
        sink.handle(info, false).expect("handled");
    });
    let [event] = events.as_slice() else {
        panic!("one event: {events:?}");
    };
    event.clone()
}

#[test]
fn an_error_event_has_every_cause_its_type_frames_and_trace() {
    let event = capture(error_failure());
    let exceptions: Vec<(&str, Option<&str>)> = event
        .exception
        .values
        .iter()
        .map(|exception| (exception.ty.as_str(), exception.value.as_deref()))
        .collect();
    assert_eq!(
        exceptions,
        [
            ("cause", Some("no route \"to\" host")),
            ("cause", Some("os error 104")),
            ("cause", Some("connection reset")),
            ("payments::GatewayError", Some("request failed")),
        ]
    );
    let failure = event.exception.values.last().expect("the failure");
    let frames: Vec<Shown<'_>> = failure
        .stacktrace
        .as_ref()
        .expect("frames")
        .frames
        .iter()
        .map(|frame| {
            (
                frame.function.as_deref(),
                frame.filename.as_deref(),
                frame.lineno,
                frame.colno,
            )
        })
        .collect();
    // The backtrace has no `at` lines; the code location is the innermost frame.
    assert_eq!(
        frames,
        [
            (Some("payments::worker::handle"), None, None, None),
            (Some("payments::gateway::charge"), None, None, None),
            (None, Some("src/payments/gateway.rs"), Some(88), Some(17)),
        ]
    );

    let Some(Context::Trace(trace)) = event.contexts.get("trace") else {
        panic!("contexts.trace: {:?}", event.contexts);
    };
    assert_eq!(trace.trace_id, TRACE.trace_id.into());
    assert_eq!(trace.span_id, TRACE.span_id.into());

    let Some(Context::Other(fields)) = event.contexts.get(CONTEXT) else {
        panic!("the escalation context: {:?}", event.contexts);
    };
    assert_eq!(fields["kind"], Value::from("error"));
    assert_eq!(
        fields["location"],
        Value::from("src/payments/gateway.rs:88:17")
    );
    assert_eq!(fields["error_type"], Value::from("payments::GatewayError"));
    assert_eq!(
        fields["causes"],
        Value::from(vec![
            "connection reset",
            "os error 104",
            "no route \"to\" host"
        ])
    );
}

#[test]
fn a_panic_event_is_typed_panic_at_its_location() {
    let info = panic_failure();
    let at = info
        .failure
        .code_location()
        .expect("a panic has a location");
    let (file, line, column) = (at.file.to_owned(), at.line, at.column);
    let event = capture(info);
    let [failure] = event.exception.values.as_slice() else {
        panic!("one exception: {:?}", event.exception);
    };
    assert_eq!(failure.ty, "panic");
    assert_eq!(failure.value.as_deref(), Some("index out of bounds"));
    let frames = &failure.stacktrace.as_ref().expect("a frame").frames;
    let [frame] = frames.as_slice() else {
        panic!("the location only: {frames:?}");
    };
    assert_eq!(frame.filename.as_deref(), Some(file.as_str()));
    assert_eq!(frame.lineno, Some(u64::from(line)));
    assert_eq!(frame.colno, Some(u64::from(column)));
    // Without a trace of its own the event gets the Sentry scope's propagation context
    // (the client's doing), never one of ours.
}
