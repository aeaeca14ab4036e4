//! The serialized form of a failure (feature `serde`): what a snapshot serializes to, and
//! how an owned snapshot reads it back.
#![cfg(feature = "serde")]

mod support {
    pub(crate) mod failures;
}

use escalation_telemetry::LOCATION_FILTERS;
use escalation_telemetry::prelude::*;
use support::failures::{path, storage_failure_with};

fn storage_failure() -> FailureInfo<SpillingTags<4>> {
    storage_failure_with(
        FailureMetadata::<SpillingTags<4>>::default()
            .with_component("storage")
            .with_tag("tenant", "acme corp"),
    )
    .escalate_to_parent()
    .escalate_to_parent()
}

fn hostile_failure() -> FailureInfo<BoundedTags<2>> {
    FailureInfo::new(
        ActorId(u64::MAX),
        ActorPath::root(),
        ActorFailure::from_message("quote\" back\\slash\nnewline\u{0}nul\u{1b}[31m 日本語 🦀"),
    )
    .with_metadata(
        FailureMetadata::<BoundedTags<2>>::default()
            .with_tag("empty", "")
            .with_tag("key \"q\"", "line\nbreak")
            .with_tag("dropped", "over capacity"),
    )
}

#[test]
fn snapshot_serializes_to_the_documented_object() {
    let info = storage_failure();
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_json_snapshot!(info.snapshot());
    });
}

#[test]
fn field_order_and_compact_form_are_stable() {
    let json = serde_json::to_string(&storage_failure().snapshot()).expect("serializes");
    // The location is the `from_message` call in tests/support/failures.rs: its line
    // moves with that file, so only the file is pinned.
    let (start, rest) = json
        .split_once(r#""line":"#)
        .expect("the location has a line");
    assert_eq!(
        start,
        r#"{"actor":9,"path":"/1/4/9","hops":2,"description":"disk full","tags":[{"key":"component","value":"storage"},{"key":"tenant","value":"acme corp"}],"dropped_tags":0,"suppressed":0,"kind":"message","error_type":null,"location":{"file":"tests/support/failures.rs","#
    );
    assert!(
        rest.ends_with(
            r#"},"causes":[],"dropped_causes":0,"trace_id":null,"span_id":null,"trace_flags":null,"backtrace":null}"#
        ),
        "{rest}"
    );
}

#[test]
fn hostile_input_serializes_as_raw_strings() {
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_json_snapshot!(hostile_failure().snapshot());
    });
}

#[test]
fn owned_snapshot_serializes_like_the_borrowed_one_and_reads_back() {
    fn round_trip<T: escalation_telemetry::TagStorage>(info: &FailureInfo<T>) {
        let snapshot = info.snapshot();
        let owned = snapshot.into_owned();
        let json = serde_json::to_string(&snapshot).expect("serializes");
        assert_eq!(serde_json::to_string(&owned).expect("serializes"), json);
        let read: OwnedFailureSnapshot = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(read, owned);
        assert_eq!(read.to_string(), info.to_string());
    }
    round_trip(&storage_failure());
    round_trip(&hostile_failure());
    round_trip(&FailureInfo::new(
        ActorId(2),
        path(&[2]),
        ActorFailure::from_message(
            "direction controls \u{202e}\u{2066}\u{200f} and separators \u{2028}\u{85}",
        ),
    ));
}

#[test]
fn a_batch_of_owned_snapshots_serializes_as_a_list() {
    let batch: Vec<OwnedFailureSnapshot> = vec![
        OwnedFailureSnapshot::from(&storage_failure()),
        OwnedFailureSnapshot::from(&hostile_failure()),
    ];
    let json = serde_json::to_string(&batch).expect("serializes");
    let read: Vec<OwnedFailureSnapshot> = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(read, batch);
}

#[test]
fn optional_fields_default_and_unknown_fields_are_ignored() {
    let read: OwnedFailureSnapshot = serde_json::from_str(
        r#"{"actor":4,"path":"/1/4","hops":1,"description":"boom","shard":"abc"}"#,
    )
    .expect("deserializes");
    assert_eq!(read.tags(), &[]);
    assert_eq!(read.dropped_tags(), 0);
    assert_eq!(read.stage(), FailureEscalationStage::Escalated { hops: 1 });
    assert_eq!(
        read.to_string(),
        r#"path=/1/4 actor=4 hops=1 description="boom" tags=[]"#
    );
}

#[test]
fn actor_path_is_a_string_in_both_directions() {
    let path = path(&[1, 4, 9]);
    assert_eq!(
        serde_json::to_string(&path).expect("serializes"),
        r#""/1/4/9""#
    );
    let read: ActorPath = serde_json::from_str(r#""/""#).expect("deserializes");
    assert!(read.is_root());
}

/// Every malformed input is an error that says what is wrong, never a panic.
#[test]
fn malformed_input_is_a_clear_error() {
    let cases = [
        (
            "a display line instead of an object",
            r#""path=/1 actor=1""#,
        ),
        ("positional form with a bad path", r#"[1, 2, 0, "x"]"#),
        ("missing path", r#"{"actor":1,"hops":0,"description":"x"}"#),
        (
            "path without leading slash",
            r#"{"actor":1,"path":"1/2","hops":0,"description":"x"}"#,
        ),
        (
            "path with empty segment",
            r#"{"actor":1,"path":"/1//2","hops":0,"description":"x"}"#,
        ),
        (
            "path with a name",
            r#"{"actor":1,"path":"/1/worker","hops":0,"description":"x"}"#,
        ),
        (
            "path overflow",
            r#"{"actor":1,"path":"/99999999999999999999","hops":0,"description":"x"}"#,
        ),
        (
            "path as a number",
            r#"{"actor":1,"path":42,"hops":0,"description":"x"}"#,
        ),
        (
            "negative actor",
            r#"{"actor":-1,"path":"/1","hops":0,"description":"x"}"#,
        ),
        (
            "hops beyond 255",
            r#"{"actor":1,"path":"/1","hops":256,"description":"x"}"#,
        ),
        (
            "tag without value",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","tags":[{"key":"a"}]}"#,
        ),
        (
            "tag with empty key",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","tags":[{"key":"a","value":"1"},{"key":"","value":"2"}]}"#,
        ),
        (
            "repeated tag key",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","tags":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}"#,
        ),
        (
            "unknown kind",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","kind":"oops"}"#,
        ),
        (
            "trace id too short",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","trace_id":"abc","span_id":"00f067aa0ba902b7"}"#,
        ),
        (
            "span id not hex",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"zzf067aa0ba902b7"}"#,
        ),
        (
            "trace id without span id",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}"#,
        ),
        (
            "location without line",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","location":{"file":"a.rs","column":1}}"#,
        ),
        (
            "dropped_tags negative",
            r#"{"actor":1,"path":"/1","hops":0,"description":"x","dropped_tags":-3}"#,
        ),
    ];
    let report: Vec<String> = cases
        .iter()
        .map(
            |(name, json)| match serde_json::from_str::<OwnedFailureSnapshot>(json) {
                Ok(read) => panic!("{name}: accepted as {read}"),
                Err(error) => format!("{name}: {error}"),
            },
        )
        .collect();
    insta::assert_snapshot!(report.join("\n"));
}
