//! What a failure carries for a crash report (DESIGN §9.1): kind, location, error type,
//! causes and trace context, each optional; the snapshot borrows them.

use std::error::Error;
use std::fmt;

use escalation_telemetry::prelude::*;

/// A three-level error: `request failed` ← `connection reset` ← `os error 104`.
#[derive(Debug)]
struct Layer {
    text: &'static str,
    source: Option<Box<Layer>>,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

impl Error for Layer {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|layer| layer as &(dyn Error + 'static))
    }
}

fn three_levels() -> Layer {
    Layer {
        text: "request failed",
        source: Some(Box::new(Layer {
            text: "connection reset",
            source: Some(Box::new(Layer {
                text: "os error 104",
                source: None,
            })),
        })),
    }
}

const TRACE: TraceContext = TraceContext {
    trace_id: [0xab; 16],
    span_id: [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08],
    sampled: true,
};

#[test]
fn an_error_records_its_kind_type_location_and_causes_outermost_first() {
    let error = three_levels();
    let line = line!() + 1;
    let failure = ActorFailure::from_error(&error);

    assert_eq!(failure.kind(), FailureKind::Error);
    assert_eq!(failure.description(), "request failed");
    assert_eq!(
        failure.causes().collect::<Vec<_>>(),
        ["connection reset", "os error 104"]
    );
    assert_eq!(failure.dropped_causes(), 0);
    assert_eq!(failure.error_type(), Some(std::any::type_name::<Layer>()));
    let location = failure.location().expect("from_error records its caller");
    assert_eq!((location.file(), location.line()), (file!(), line));
    assert_eq!(failure.trace(), None);
}

#[test]
fn a_trait_object_error_has_no_type_until_one_is_set() {
    let error: Box<dyn Error + Send + Sync> = Box::new(three_levels());
    let failure = ActorFailure::from_error(&*error);
    assert_eq!(failure.error_type(), None);
    assert_eq!(failure.causes().len(), 2);

    let typed = failure.with_error_type("http::Reset");
    assert_eq!(typed.error_type(), Some("http::Reset"));
}

#[test]
fn messages_and_panics_have_their_kind_and_no_other_parts() {
    let message = ActorFailure::from_message("disk full");
    assert_eq!(message.kind(), FailureKind::Message);
    assert_eq!(message.error_type(), None);
    assert_eq!(message.causes().count(), 0);
    assert_eq!(message.location().map(|at| at.file()), Some(file!()));

    let payload: Box<dyn std::any::Any + Send> = Box::new(String::from("index out of bounds"));
    let panic = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(panic.kind(), FailureKind::Panic);
    assert_eq!(panic.description(), "index out of bounds");
}

#[test]
fn a_trace_is_kept_by_clones_and_prints_as_traceparent() {
    let failure = ActorFailure::from_message("timeout").with_trace(TRACE);
    let clone = failure.clone();
    assert_eq!(clone.trace(), Some(TRACE));
    assert_eq!(
        TRACE.to_string(),
        "00-abababababababababababababababab-0102030405060708-01"
    );
    // Setting a part on a clone leaves the original as it was.
    let retyped = clone.with_error_type("Timeout");
    assert_eq!(failure.error_type(), None);
    assert_eq!(retyped.error_type(), Some("Timeout"));
}

#[test]
fn equality_ignores_the_location_and_compares_everything_else() {
    let here = ActorFailure::from_message("disk full");
    let there = ActorFailure::from_message("disk full");
    assert_ne!(here.location(), there.location());
    assert_eq!(here, there);
    assert_ne!(here.clone(), there.clone().with_trace(TRACE));
    assert_ne!(
        here,
        ActorFailure::from_message("disk full").with_error_type("Io")
    );
    let error = three_levels();
    assert_ne!(
        ActorFailure::from_error(&error),
        ActorFailure::from_message("request failed")
    );
}

#[test]
fn the_snapshot_borrows_the_same_five_parts_and_the_line_shows_them() {
    let error = three_levels();
    let info = FailureInfo::new(
        ActorId(4),
        ActorPath::root().child(ActorId(4)),
        ActorFailure::from_error(&error).with_trace(TRACE),
    );
    let snapshot = info.snapshot();
    assert_eq!(snapshot.kind(), FailureKind::Error);
    assert_eq!(snapshot.error_type(), info.failure.error_type());
    assert_eq!(snapshot.location(), info.failure.location());
    assert!(snapshot.causes().eq(info.failure.causes()));
    assert_eq!(snapshot.trace(), Some(TRACE));
    let at = snapshot
        .code_location()
        .expect("from_error records its caller");
    assert_eq!(
        snapshot.to_string(),
        format!(
            r#"path=/4 actor=4 hops=0 description="request failed" tags=[] kind=error error_type=crash_report_model::Layer at={at} causes=["connection reset" "os error 104"] trace={TRACE}"#
        )
    );

    // An owned copy keeps them.
    let owned = snapshot.into_owned();
    assert_eq!(owned.as_snapshot(), snapshot);
    assert_eq!(owned.as_snapshot().trace(), Some(TRACE));
    assert_eq!(owned.as_snapshot().causes().count(), 2);
}

/// An error whose source is itself: an endless chain.
#[derive(Debug)]
struct Endless;

impl fmt::Display for Endless {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("again")
    }
}

impl Error for Endless {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self)
    }
}

#[test]
fn an_endless_chain_keeps_exactly_the_documented_number_of_causes() {
    let failure = ActorFailure::from_error(&Endless);
    assert_eq!(
        failure.causes().len(),
        escalation_telemetry::MAX_FAILURE_CAUSES
    );
    assert!(failure.causes().all(|cause| cause == "again"));
    assert!(
        failure.dropped_causes() > 0,
        "the rest of the chain is counted"
    );
}
