//! The one-line `Display` form of a failure, pinned with insta snapshots.
//!
//! The tags use explicitly named storages, so the lines are the same with and without
//! the `std` feature.

mod support {
    pub(crate) mod failures;
}

use escalation_telemetry::TagStorage;
use escalation_telemetry::prelude::*;
use escalation_telemetry::tags::keys;
use proptest::prelude::*;
use support::failures::{path, storage_failure_with};

fn storage_failure() -> FailureInfo<SpillingTags<4>> {
    storage_failure_with(
        FailureMetadata::<SpillingTags<4>>::default()
            .with_component("storage")
            .with_endpoint("/v1/orders")
            .with_transport("tcp"),
    )
}

/// The snapshot, the info and the owned copy print the same line; returns it.
fn line<T: TagStorage>(info: &FailureInfo<T>) -> String {
    let from_snapshot = info.snapshot().to_string();
    assert_eq!(
        info.to_string(),
        from_snapshot,
        "FailureInfo prints the snapshot line"
    );
    assert_eq!(
        info.snapshot().into_owned().to_string(),
        from_snapshot,
        "OwnedFailureSnapshot prints the snapshot line"
    );
    from_snapshot
}

#[test]
fn initial_failure() {
    insta::assert_snapshot!(line(&storage_failure()));
}

#[test]
fn escalated_failure() {
    let info = storage_failure().escalate_to_parent().escalate_to_parent();
    insta::assert_snapshot!(line(&info));
}

#[test]
fn failure_at_the_root_without_tags() {
    let info = FailureInfo::new(
        ActorId(0),
        ActorPath::root(),
        ActorFailure::from_message("guardian restart loop"),
    );
    insta::assert_snapshot!(line(&info));
}

#[test]
fn many_tags_keep_their_insertion_order() {
    let mut metadata = FailureMetadata::<SpillingTags<4>>::default()
        .with_component("payments")
        .with_endpoint("https://psp.example:8443/v2/charge")
        .with_transport("grpc");
    metadata.extend((1..=9).map(|i| (format!("attempt.{i}"), format!("{}ms", i * 100))));
    // Setting a present key replaces its value in place: it stays third.
    let metadata = metadata
        .with_transport("http2")
        .with_tag("tenant", "acme")
        .with_tag("user@host", "a+b:c/d_e-f.g");
    let info = FailureInfo::new(
        ActorId(77),
        path(&[1, 2, 3, 5, 8, 13, 21, 34, 55, 77]),
        ActorFailure::from_message("charge declined"),
    )
    .with_metadata(metadata)
    .escalate_to_parent();
    assert_eq!(info.metadata.tags().len(), 14);
    insta::assert_snapshot!(line(&info));
}

#[test]
fn dropped_tags_are_counted_at_the_end() {
    let metadata = FailureMetadata::<BoundedTags<2>>::default()
        .with_component("cache")
        .with_tag("", "rejected: empty key")
        .with_tag("region", "eu-west-1")
        .with_tag("overflow-1", "x")
        .with_tag("overflow-2", "y");
    let info = FailureInfo::new(
        ActorId(3),
        path(&[3]),
        ActorFailure::from_message("evicted"),
    )
    .with_metadata(metadata)
    .escalate_to_parent();
    assert_eq!(info.snapshot().dropped_tags(), 3);
    insta::assert_snapshot!(line(&info));
}

#[test]
fn hostile_input_stays_on_one_line() {
    let description = "line one\nline two\r\n\ttabbed \"quoted\" back\\slash \
                       nul\0 esc\x1b[31mred\x1b[0m del\x7f nel\u{85} ls\u{2028}ps\u{2029} \
                       rlo\u{202e}olleh\u{202c} isolate\u{2066}x\u{2069} \
                       日本語 émoji 🦀 zero\u{200b}width";
    let metadata = FailureMetadata::<SpillingTags<4>>::default()
        .with_component("")
        .with_tag("key with space", "value with space")
        .with_tag("k=v", "a=b")
        .with_tag("[bracket]", "]")
        .with_tag("quote\"key", "\"")
        .with_tag("newline\nkey", "cr\rvalue")
        .with_tag("ключ", "значение")
        .with_tag("bare_key-1.0:x/y@z+w", "bare_value-1.0:x/y@z+w");
    let info = FailureInfo::new(
        ActorId(u64::MAX),
        path(&[1, u64::MAX]),
        ActorFailure::from_message(description),
    )
    .with_metadata(metadata)
    .escalate_to_parent();
    let line = line(&info);
    assert!(!line.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{202e}']));
    insta::assert_snapshot!(line);
}

#[test]
fn hops_saturate_at_255() {
    let mut info = storage_failure();
    for _ in 0..300 {
        info = info.escalate_to_parent();
    }
    assert!(line(&info).contains(" hops=255 "));
}

/// Characters that would break the line or reorder how it displays.
const LINE_BREAKERS: [char; 11] = [
    '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}', '\u{202e}', '\u{2067}',
    '\u{200f}', '\u{1b}',
];

proptest! {
    #[test]
    fn no_input_breaks_the_line(
        description in any::<String>(),
        tags in proptest::collection::vec((any::<String>(), any::<String>()), 0..6),
        hops in 0_u8..=255,
    ) {
        let mut metadata = FailureMetadata::<SpillingTags<4>>::default();
        metadata.extend(tags);
        let info = FailureInfo::new(ActorId(1), path(&[1]), ActorFailure::from_message(description))
            .with_metadata(metadata)
            .with_stage(FailureEscalationStage::Escalated { hops });
        let line = line(&info);
        prop_assert!(!line.contains(LINE_BREAKERS), "{line:?}");
        prop_assert!(!line.chars().any(char::is_control), "{line:?}");
        let hops_field = format!(" hops={hops} ");
        prop_assert!(line.starts_with("path=/1 actor=1 "));
        prop_assert!(line.contains(&hops_field));
    }

    #[test]
    fn well_known_keys_print_bare(value in "[A-Za-z0-9_.:/@+-]{1,20}") {
        let info = FailureInfo::new(ActorId(1), path(&[1]), ActorFailure::from_message("x"))
            .with_metadata(FailureMetadata::<SpillingTags<4>>::default().with_tag(keys::COMPONENT, value.clone()));
        let expected = format!("tags=[component={value}]");
        prop_assert!(line(&info).ends_with(&expected));
    }
}
