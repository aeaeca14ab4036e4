//! `OpenTelemetryLogTelemetry` on the real log SDK's in-memory exporter: one attribute
//! per key, and no tag overrides the crate's own `escalation.*` attributes. A tag whose
//! key is reserved (starts with `escalation.`) or already used by an earlier tag is
//! left out and counted in `escalation.omitted_tags`.
#![cfg(feature = "opentelemetry-logs")]

use std::collections::HashMap;

use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
use escalation_telemetry::integrations::opentelemetry::logs::{
    ACTOR_ATTRIBUTE, HOPS_ATTRIBUTE, OMITTED_TAGS_ATTRIBUTE, PATH_ATTRIBUTE,
};
use escalation_telemetry::prelude::*;
use opentelemetry::logs::AnyValue;
use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider};

/// The attributes of the one record emitted for `snapshot`, in order, duplicates kept.
fn attributes(snapshot: &FailureSnapshot<'_>) -> Vec<(String, AnyValue)> {
    let exporter = InMemoryLogExporter::default();
    let provider = SdkLoggerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    OpenTelemetryLogTelemetry::from_provider(&provider).on_failure(snapshot);
    let logs = exporter
        .get_emitted_logs()
        .expect("the exporter has the record");
    let [log] = logs.as_slice() else {
        panic!("one record: {logs:?}");
    };
    log.record
        .attributes_iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

/// The attributes by key, after checking that no key appears twice.
fn unique(attributes: &[(String, AnyValue)]) -> HashMap<&str, &AnyValue> {
    let mut by_key = HashMap::new();
    for (key, value) in attributes {
        assert!(
            by_key.insert(key.as_str(), value).is_none(),
            "`{key}` appears twice: {attributes:?}"
        );
    }
    by_key
}

fn text(value: &str) -> AnyValue {
    AnyValue::String(value.to_owned().into())
}

#[test]
fn tags_never_override_our_attributes_and_each_key_appears_once() -> Result<(), ParseActorPathError>
{
    let info = FailureInfo::new(
        ActorId(9),
        "/1/9".parse()?,
        ActorFailure::from_message("boom"),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_tag("escalation.path", "/forged")
            .with_tag("escalation.actor", "0")
            .with_tag("region", "us"),
    );
    // System tags: one overridden by the failure's own tag (as everywhere), one that
    // takes a reserved key, and one repeated.
    let system = [
        tag!("region", "eu"),
        TelemetryTag::new("escalation.hops", "99"),
        tag!("service", "orders"),
        tag!("service", "billing"),
    ];
    let emitted = attributes(&info.snapshot().with_system_tags(&system));
    let by_key = unique(&emitted);

    assert_eq!(by_key[PATH_ATTRIBUTE], &text("/1/9"));
    assert_eq!(by_key[ACTOR_ATTRIBUTE], &AnyValue::Int(9));
    assert_eq!(by_key[HOPS_ATTRIBUTE], &AnyValue::Int(0));
    assert_eq!(by_key["region"], &text("us"));
    assert_eq!(by_key["service"], &text("orders"));
    // Left out: `escalation.path`, `escalation.actor`, `escalation.hops`, the second
    // `service` (the system `region` is overridden before, as in every backend).
    assert_eq!(by_key[OMITTED_TAGS_ATTRIBUTE], &AnyValue::Int(4));
    Ok(())
}

#[test]
fn without_collisions_there_is_no_omitted_count() -> Result<(), ParseActorPathError> {
    let info = FailureInfo::new(
        ActorId(2),
        "/2".parse()?,
        ActorFailure::from_message("boom"),
    )
    .with_metadata(FailureMetadata::new().with_tag(key!("escalation_level"), "page"));
    let emitted = attributes(&info.snapshot());
    let by_key = unique(&emitted);
    assert_eq!(by_key["escalation_level"], &text("page"));
    assert!(!by_key.contains_key(OMITTED_TAGS_ATTRIBUTE), "{emitted:?}");
    Ok(())
}
