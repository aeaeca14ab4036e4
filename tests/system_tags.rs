//! System tags (`ActorSystemConfig::with_system_tag`) reach every output of every
//! failure of the system, after the failure's own tags, and a failure's own tag with
//! the same key wins. Driven through a real `RootEscalationSink`, as a user sets it up.
#![cfg(feature = "std")]

use escalation_telemetry::prelude::*;

/// A system that names its service, region and node, recording what reaches the root.
fn orders_system() -> (ActorSystemConfig<StdRuntime, Finalized>, RecordingTelemetry) {
    let recorded = RecordingTelemetry::new();
    let hook = recorded.clone();
    let node = format!("node-{}", 7); // a run-time value, as a cluster node's name is
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(key!("service"), "orders")
        .with_system_tag(key!("region"), "eu-west-1")
        .with_system_tag(key!("node"), node)
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
        .finalize();
    (config, recorded)
}

fn worker_path() -> ActorPath {
    ActorPath::root().child(ActorId(1)).child(ActorId(4))
}

/// A failure tagged with a tenant and its own region (which overrides the system's).
fn tagged_failure() -> FailureInfo {
    FailureInfo::new(
        ActorId(4),
        worker_path(),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_component("storage")
            .with_tag(key!("region"), "us-east-1")
            .with_tag(key!("tenant"), "acme corp"),
    )
    .escalate_to_parent()
}

fn untagged_failure() -> FailureInfo {
    FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message("boom"),
    )
}

/// Escalates both failures through a sink of [`orders_system`]; what the hook saw.
fn escalate_both() -> Vec<OwnedFailureSnapshot> {
    let (config, recorded) = orders_system();
    let mut root = config.root_escalation_sink::<()>();
    root.handle(tagged_failure(), false)
        .expect("the root handles every failure");
    root.handle(untagged_failure(), false)
        .expect("the root handles every failure");
    recorded.snapshots()
}

#[test]
fn system_tags_follow_the_failures_own_tags_in_the_line() {
    let lines: Vec<String> = escalate_both().iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn accessors_keep_own_and_system_tags_apart() {
    let snapshots = escalate_both();
    let tagged = &snapshots[0];
    assert_eq!(tagged.tags().len(), 3, "tags() is the failure's own");
    assert_eq!(
        tagged.system_tags().len(),
        3,
        "system_tags() is the system's, all of them"
    );
    let shown: Vec<(&str, &str)> = tagged
        .all_tags()
        .map(|tag| (&*tag.key, &*tag.value))
        .collect();
    assert_eq!(
        shown,
        [
            ("component", "storage"),
            ("region", "us-east-1"),
            ("tenant", "acme corp"),
            ("service", "orders"),
            ("node", "node-7"),
        ]
    );
    assert_eq!(tagged.tag("region"), Some("us-east-1"), "own tag wins");
    assert_eq!(tagged.tag("node"), Some("node-7"));
    assert_eq!(tagged.as_snapshot().system_tags()[1].value, "eu-west-1");

    let untagged = &snapshots[1];
    assert!(untagged.tags().is_empty());
    assert_eq!(untagged.all_tags().len(), 3);
    assert_eq!(untagged.tag("region"), Some("eu-west-1"));
}

#[test]
fn sinks_and_clones_of_one_config_share_its_system_tags() {
    let (config, recorded) = orders_system();
    let mut first = config.root_escalation_sink::<()>();
    let mut second = first.clone();
    assert_eq!(first.system_tags(), config.system_tags());
    first
        .handle(untagged_failure(), false)
        .expect("the root handles every failure");
    second
        .handle(untagged_failure(), false)
        .expect("the root handles every failure");
    let snapshots = recorded.snapshots();
    assert_eq!(snapshots.len(), 2);
    assert_eq!(snapshots[0], snapshots[1]);
    assert_eq!(snapshots[0].tag("service"), Some("orders"));
}

#[test]
fn setting_a_system_tag_again_replaces_it_and_an_empty_key_is_refused() {
    let mut config = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(key!("region"), "eu")
        .with_system_tag(key!("node"), "a")
        .with_system_tag("", "refused");
    assert_eq!(
        config.insert_system_tag(key!("region"), "us"),
        Ok(Some("eu".into()))
    );
    assert_eq!(config.insert_system_tag("", "x"), Err(TagError::EmptyKey));
    assert_eq!(config.dropped_system_tags(), 2, "both empty keys counted");
    let config = config.finalize();
    let keys: Vec<(&str, &str)> = config
        .system_tags()
        .iter()
        .map(|tag| (&*tag.key, &*tag.value))
        .collect();
    assert_eq!(
        keys,
        [("region", "us"), ("node", "a")],
        "first-set order kept"
    );
    assert_eq!(config.system_tag("node"), Some("a"));
}

#[test]
fn a_system_without_system_tags_prints_as_before() {
    let config = ActorSystemConfig::<StdRuntime>::new().finalize();
    assert!(config.system_tags().is_empty());
    let info = tagged_failure();
    let recorded = RecordingTelemetry::new();
    let mut root = config.root_escalation_sink::<()>();
    root.apply_builder(&config.telemetry_context(), &{
        let recorded = recorded.clone();
        move |_ctx: &TelemetryContext<'_>| FailureTelemetryShared::new(recorded.clone())
    });
    root.handle(info.clone(), false)
        .expect("the root handles every failure");
    assert_eq!(recorded.snapshots()[0].to_string(), info.to_string());
}

/// System tags from outside (a config file, the environment) stay bounded like a
/// failure's spilling tags: at most `SPILLING_TAG_LIMIT`, the rest refused and counted,
/// inserts linear. A key already set is still replaced past the limit.
#[test]
fn system_tags_beyond_the_limit_are_refused_and_counted() {
    use escalation_telemetry::tags::SPILLING_TAG_LIMIT;

    let mut setup = ActorSystemConfig::<StdRuntime>::new();
    for index in 0..100_000 {
        setup = setup.with_system_tag(format!("k{index}"), "v");
    }
    assert_eq!(setup.system_tags().len(), SPILLING_TAG_LIMIT);
    assert_eq!(
        setup.dropped_system_tags(),
        u32::try_from(100_000 - SPILLING_TAG_LIMIT).expect("fits")
    );
    assert_eq!(
        setup.insert_system_tag(key!("one_more"), "v"),
        Err(TagError::CapacityExceeded {
            capacity: SPILLING_TAG_LIMIT
        })
    );
    assert_eq!(
        setup.insert_system_tag("k0", "replaced"),
        Ok(Some("v".into()))
    );
    let config = setup.finalize();
    assert_eq!(config.system_tag("k0"), Some("replaced"));
    assert_eq!(config.system_tag("k200"), None);
}

/// Run-time keys are not held to the label-name rule: they are stored and printed as
/// given (quoted where the line needs it); only `key!`/`tag!` literals are checked.
#[test]
fn run_time_keys_that_are_not_label_names_pass_through() {
    let header = String::from("x-request id");
    let info = untagged_failure().with_metadata(FailureMetadata::new().with_tag(header, "r1"));
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(String::from("k8s.pod"), "api-0")
        .finalize();
    let recorded = RecordingTelemetry::new();
    let mut root = config.root_escalation_sink::<()>();
    root.apply_builder(&config.telemetry_context(), &{
        let recorded = recorded.clone();
        move |_ctx: &TelemetryContext<'_>| FailureTelemetryShared::new(recorded.clone())
    });
    root.handle(info, false)
        .expect("the root handles every failure");
    assert_eq!(
        recorded.snapshots()[0].to_string(),
        r#"path=/1 actor=1 hops=0 description="boom" tags=["x-request id"=r1 k8s.pod=api-0]"#
    );
}

#[cfg(feature = "serde")]
#[test]
fn system_tags_are_in_the_json_tags_and_read_back_as_the_failures_own() {
    let snapshots = escalate_both();
    insta::with_settings!({ filters => escalation_telemetry::LOCATION_FILTERS.to_vec() }, {
        insta::assert_json_snapshot!(snapshots);
    });

    let json = serde_json::to_string(&snapshots[0]).expect("serializes");
    let read: OwnedFailureSnapshot = serde_json::from_str(&json).expect("reads back");
    assert_eq!(read.to_string(), snapshots[0].to_string(), "same line");
    assert_eq!(
        read.tags().len(),
        5,
        "every tag shown is now the failure's own"
    );
    assert!(read.system_tags().is_empty());
}

#[cfg(feature = "opentelemetry")]
#[test]
fn system_tags_become_opentelemetry_attributes_after_the_failures_own() {
    use escalation_telemetry::integrations::opentelemetry::tag_attributes;
    use opentelemetry::KeyValue;

    let snapshots = escalate_both();
    let attributes: Vec<KeyValue> = tag_attributes(snapshots[0].all_tags()).collect();
    assert_eq!(
        attributes,
        [
            KeyValue::new("component", "storage"),
            KeyValue::new("region", "us-east-1"),
            KeyValue::new("tenant", "acme corp"),
            KeyValue::new("service", "orders"),
            KeyValue::new("node", "node-7"),
        ]
    );
}

/// The config's system tags identify the deployment on the OpenTelemetry resource: the
/// exported metrics carry them, while the instruments themselves stay label-free.
#[cfg(feature = "opentelemetry")]
#[test]
fn system_tags_on_the_opentelemetry_resource_reach_the_exported_metrics() {
    use escalation_telemetry::integrations::opentelemetry::{
        OpenTelemetryMetricsSink, tag_attributes,
    };
    use opentelemetry::metrics::MeterProvider as _;
    use opentelemetry::{Key, Value};
    use opentelemetry_sdk::Resource;
    use opentelemetry_sdk::metrics::{InMemoryMetricExporter, PeriodicReader, SdkMeterProvider};

    let setup = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(key!("service"), "orders")
        .with_system_tag(key!("region"), "eu-west-1");
    let exporter = InMemoryMetricExporter::default();
    let provider = SdkMeterProvider::builder()
        .with_resource(
            Resource::builder_empty()
                .with_attributes(tag_attributes(setup.system_tags()))
                .build(),
        )
        .with_reader(PeriodicReader::builder(exporter.clone()).build())
        .build();
    let meter = provider.meter("system-tags-test");
    let config = setup
        .with_metrics_sink(MetricsSinkShared::new(OpenTelemetryMetricsSink::new(
            &meter,
        )))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe()
        .finalize();
    config
        .root_escalation_sink::<()>()
        .handle(untagged_failure(), false)
        .expect("the root handles every failure");

    provider.force_flush().expect("the SDK flushes");
    let exported = exporter
        .get_finished_metrics()
        .expect("the in-memory exporter hands back what it got");
    let resource = exported
        .last()
        .expect("one export after the flush")
        .resource();
    assert_eq!(
        resource.get(&Key::from_static_str("service")),
        Some(Value::from("orders"))
    );
    assert_eq!(
        resource.get(&Key::from_static_str("region")),
        Some(Value::from("eu-west-1"))
    );
}

mod properties {
    //! For any own and system tags: the outputs show every own tag in order, then each
    //! system tag exactly when the failure does not set its key; `tag(key)` agrees; the
    //! line stays one line; and what the sink hands its hook is exactly that.
    use escalation_telemetry::prelude::*;
    use proptest::prelude::*;

    /// A few keys, so own and system keys collide often; values of any text.
    fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
        proptest::collection::vec(("[a-d]{1,2}", any::<String>()), 0..6)
    }

    proptest! {
        #[test]
        fn own_tags_then_system_tags_not_overridden(own in pairs(), system in pairs()) {
            let recorded = RecordingTelemetry::new();
            let hook = recorded.clone();
            let mut setup = ActorSystemConfig::<StdRuntime>::new();
            for (key, value) in &system {
                setup = setup.with_system_tag(key.clone(), value.clone());
            }
            let config = setup
                .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(hook.clone()))
                .finalize();
            let metadata: FailureMetadata = own.iter().cloned().collect();
            let info = FailureInfo::new(ActorId(1), ActorPath::root().child(ActorId(1)), ActorFailure::from_message("x"))
                .with_metadata(metadata.clone());
            config.root_escalation_sink::<()>().handle(info, false).expect("handled");
            let seen = recorded.snapshots().remove(0);

            let mut expected: Vec<(&str, &str)> =
                metadata.tags().iter().map(|tag| (&*tag.key, &*tag.value)).collect();
            for tag in config.system_tags() {
                if metadata.get(&tag.key).is_none() {
                    expected.push((&tag.key, &tag.value));
                }
            }
            let shown: Vec<(&str, &str)> =
                seen.all_tags().map(|tag| (&*tag.key, &*tag.value)).collect();
            prop_assert_eq!(&shown, &expected);
            prop_assert_eq!(seen.all_tags().len(), expected.len());
            for (key, value) in &expected {
                prop_assert_eq!(seen.tag(key), Some(*value));
            }
            prop_assert_eq!(seen.tags(), metadata.tags());
            prop_assert_eq!(seen.system_tags(), config.system_tags());
            let line = seen.to_string();
            prop_assert!(!line.contains('\n') && !line.contains('\r'), "{}", line);
        }
    }
}
