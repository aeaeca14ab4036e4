//! The crash report in the one-line form and JSON: kind, error type, location, every
//! cause, the trace; JSON carries the backtrace too and reads back whole. Locations are
//! redacted with `LOCATION_FILTERS`, as docs/snapshot-testing.md tells users to.

mod support {
    pub(crate) mod crash;
}

use escalation_telemetry::LOCATION_FILTERS;
use escalation_telemetry::prelude::*;
use support::crash::{TRACE, error_failure, panic_failure};

#[test]
fn an_error_line_shows_kind_type_location_every_cause_and_the_trace() {
    let info = error_failure();
    let line = info.to_string();
    assert_eq!(info.snapshot().into_owned().to_string(), line);
    assert_eq!(
        line,
        r#"path=/1/4/9 actor=9 hops=0 description="request failed" tags=[component=payments] kind=error error_type=payments::GatewayError at=src/payments/gateway.rs:88:17 causes=["connection reset" "os error 104" "no route \"to\" host"] trace=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"#
    );
}

#[test]
fn a_panic_line_shows_its_location_redacted_in_the_snapshot() {
    let info = panic_failure();
    let line = info.to_string();
    assert!(line.contains(" at=tests/support/crash.rs:"), "{line}");
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!(line, @r#"path=/7/12 actor=12 hops=0 description="index out of bounds" tags=[] kind=panic at=tests/support/crash.rs:[line]:[column]"#);
    });
}

#[test]
fn a_message_line_does_not_show_its_location() {
    let info = FailureInfo::new(
        ActorId(3),
        ActorPath::root().child(ActorId(3)),
        ActorFailure::from_message("queue full").with_trace(TRACE),
    );
    assert_eq!(
        info.to_string(),
        r#"path=/3 actor=3 hops=0 description="queue full" tags=[] trace=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"#
    );
}

#[test]
fn hostile_error_type_cause_and_file_stay_on_one_line_quoted() {
    let failure = ActorFailure::from_panic_payload(&"boom")
        .with_error_type("Vec<T> \"x\"\n")
        .with_code_location("my dir/\u{202e}evil.rs", 1, 2);
    let info = FailureInfo::new(ActorId(1), ActorPath::root(), failure);
    assert_eq!(
        info.to_string(),
        r#"path=/ actor=1 hops=0 description="boom" tags=[] kind=panic error_type="Vec<T> \"x\"\n" at="my dir/\u{202e}evil.rs":1:2"#
    );
}

#[test]
fn the_location_filter_keeps_the_file_of_quoted_and_bare_locations() {
    let lines = [
        r#"x kind=panic at=src/a.rs:10:5 trace=00-aa"#,
        r#"x kind=panic at="my dir/a.rs":10:5"#,
    ];
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!(lines.join("\n"), @r#"
        x kind=panic at=src/a.rs:[line]:[column] trace=00-aa
        x kind=panic at="my dir/a.rs":[line]:[column]
        "#);
    });
}

#[cfg(feature = "serde")]
mod json {
    use super::*;

    #[test]
    fn json_carries_every_field_and_the_backtrace() {
        insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
            insta::assert_json_snapshot!(error_failure().snapshot());
        });
    }

    #[test]
    fn json_reads_back_every_crash_field() {
        for info in [error_failure(), panic_failure()] {
            let snapshot = info.snapshot();
            let json = serde_json::to_string(&snapshot).expect("serializes");
            let read: OwnedFailureSnapshot = serde_json::from_str(&json).expect("reads back");
            let back = read.as_snapshot();
            assert_eq!(back.kind(), snapshot.kind());
            assert_eq!(back.error_type(), snapshot.error_type());
            assert_eq!(back.code_location(), snapshot.code_location());
            assert!(back.causes().eq(snapshot.causes()));
            assert_eq!(back.dropped_causes(), snapshot.dropped_causes());
            assert_eq!(back.trace(), snapshot.trace());
            assert_eq!(back.backtrace(), snapshot.backtrace());
            assert_eq!(read, snapshot.into_owned());
            assert_eq!(read.to_string(), info.to_string());
            assert_eq!(serde_json::to_string(&read).expect("serializes"), json);
        }
    }

    #[test]
    fn an_older_producer_reads_back_as_a_message_without_crash_fields() {
        let read: OwnedFailureSnapshot =
            serde_json::from_str(r#"{"actor":4,"path":"/1/4","hops":1,"description":"boom"}"#)
                .expect("reads back");
        let back = read.as_snapshot();
        assert_eq!(back.kind(), FailureKind::Message);
        assert_eq!(back.code_location(), None);
        assert_eq!(back.trace(), None);
        assert_eq!(back.causes().len(), 0);
    }
}
