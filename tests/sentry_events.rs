//! `SentryFailureTelemetry` through the real Sentry client, offline: the `sentry`
//! crate's test transport captures the events a root sink's failures produce.
#![cfg(feature = "sentry")]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use escalation_telemetry::integrations::sentry::{CONTEXT, SentryFailureTelemetry};
use escalation_telemetry::prelude::*;
use sentry::Hub;
use sentry::protocol::{Context, Event, Level, Value};

fn sentry_config(telemetry: SentryFailureTelemetry) -> ActorSystemConfig<StdRuntime, Finalized> {
    ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(telemetry.clone()))
        .finalize()
}

fn failure(path: &str, description: &'static str, metadata: FailureMetadata) -> FailureInfo {
    let path: ActorPath = path.parse().expect("a valid path");
    let actor = path.leaf().expect("not the root");
    FailureInfo::new(actor, path, ActorFailure::from_message(description)).with_metadata(metadata)
}

/// The fingerprint the events of `signature` must carry for this failure.
fn expected_fingerprint(signature: &StormSignature, info: &FailureInfo) -> Vec<String> {
    vec![
        "escalation_telemetry".to_owned(),
        format!("{:016x}", signature.fingerprint(&info.snapshot())),
    ]
}

fn fingerprint(event: &Event<'static>) -> Vec<String> {
    event
        .fingerprint
        .iter()
        .map(|part| part.to_string())
        .collect()
}

fn context<'e>(event: &'e Event<'static>) -> &'e sentry::protocol::Map<String, Value> {
    match event.contexts.get(CONTEXT) {
        Some(Context::Other(fields)) => fields,
        other => panic!("the escalation context is a map of fields, got {other:?}"),
    }
}

#[test]
fn each_failure_is_one_error_event_with_its_tags_context_and_fingerprint() {
    let events = sentry::test::with_captured_events(|| {
        let mut sink = sentry_config(SentryFailureTelemetry::new()).root_escalation_sink::<()>();
        let metadata = FailureMetadata::new()
            .with_component("payments")
            .with_tag("tenant", "acme");
        sink.handle(
            failure("/1/4/9", "card declined", metadata)
                .escalate_to_parent()
                .escalate_to_parent(),
            false,
        )
        .expect("the root handles every failure");
        sink.handle(failure("/2", "disk full", FailureMetadata::new()), false)
            .expect("the root handles every failure");
        // Already handled below: the hook is skipped, so Sentry hears nothing.
        sink.handle(failure("/3", "handled", FailureMetadata::new()), true)
            .expect("the root handles every failure");
    });

    assert_eq!(
        events.len(),
        2,
        "one event per failure that reached the hook"
    );
    let event = &events[0];
    assert_eq!(event.level, Level::Error);
    assert_eq!(event.message.as_deref(), Some("card declined"));
    assert_eq!(event.logger.as_deref(), Some("escalation_telemetry"));
    assert_eq!(
        event.tags.get("component").map(String::as_str),
        Some("payments")
    );
    assert_eq!(event.tags.get("tenant").map(String::as_str), Some("acme"));
    assert_eq!(event.tags.len(), 2);
    let default = StormSignature::default();
    let first = failure("/1/4/9", "card declined", FailureMetadata::new());
    assert_eq!(fingerprint(event), expected_fingerprint(&default, &first));
    let fields = context(event);
    assert_eq!(fields.get("actor"), Some(&Value::from(9)));
    assert_eq!(fields.get("path"), Some(&Value::from("/1/4/9")));
    assert_eq!(fields.get("hops"), Some(&Value::from(2)));
    assert_eq!(fields.get("dropped_tags"), Some(&Value::from(0)));
    assert_eq!(fields.get("suppressed"), Some(&Value::from(0)));
    assert_eq!(fields.get("rejected_tags"), None);

    let event = &events[1];
    assert_eq!(event.message.as_deref(), Some("disk full"));
    assert!(event.tags.is_empty());
    let second = failure("/2", "disk full", FailureMetadata::new());
    assert_eq!(fingerprint(event), expected_fingerprint(&default, &second));
}

#[test]
fn a_crash_loop_shares_one_fingerprint_and_a_new_failure_does_not() {
    let events = sentry::test::with_captured_events(|| {
        let mut sink = sentry_config(SentryFailureTelemetry::new()).root_escalation_sink::<()>();
        for _ in 0..3 {
            sink.handle(
                failure("/7/8", "connection refused", FailureMetadata::new()),
                false,
            )
            .expect("the root handles every failure");
        }
        sink.handle(failure("/7/8", "timeout", FailureMetadata::new()), false)
            .expect("the root handles every failure");
        sink.handle(
            failure("/7/9", "connection refused", FailureMetadata::new()),
            false,
        )
        .expect("the root handles every failure");
    });

    let fingerprints: Vec<Vec<String>> = events.iter().map(fingerprint).collect();
    assert_eq!(fingerprints.len(), 5);
    assert!(
        fingerprints[..3].iter().all(|f| f == &fingerprints[0]),
        "one issue for the loop"
    );
    assert_ne!(
        fingerprints[3], fingerprints[0],
        "another description is another issue"
    );
    assert_ne!(
        fingerprints[4], fingerprints[0],
        "another actor position is another issue"
    );
}

#[test]
fn events_group_by_the_signature_they_are_given() {
    let by_path = StormSignature::Path;
    let events = sentry::test::with_captured_events(|| {
        let telemetry = SentryFailureTelemetry::new().with_signature(by_path.clone());
        let mut sink = sentry_config(telemetry).root_escalation_sink::<()>();
        for description in ["connection refused", "timeout"] {
            sink.handle(failure("/7/8", description, FailureMetadata::new()), false)
                .expect("the root handles every failure");
        }
    });

    let expected = expected_fingerprint(&by_path, &failure("/7/8", "any", FailureMetadata::new()));
    assert_eq!(fingerprint(&events[0]), expected);
    assert_eq!(
        fingerprint(&events[1]),
        expected,
        "one actor, one issue, whatever the text"
    );
}

/// A clock the storm test moves by hand.
static NOW_NANOS: AtomicU64 = AtomicU64::new(0);

#[derive(Debug, Default)]
struct HandClock;

impl MonotonicClock for HandClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(NOW_NANOS.load(Ordering::SeqCst))
    }
}

struct HandRuntime;

impl ActorRuntime for HandRuntime {
    type Clock = HandClock;
    type Tags = DefaultTags;
}

#[test]
fn a_storm_is_one_issue_and_the_next_event_says_how_many_were_suppressed() {
    const WINDOW: Duration = Duration::from_secs(1);
    let events = sentry::test::with_captured_events(|| {
        let config = ActorSystemConfig::<HandRuntime>::new()
            .with_failure_telemetry(|_ctx| {
                FailureTelemetryShared::new(SentryFailureTelemetry::new())
            })
            .limit_storms(StormPolicy::new(2, WINDOW))
            .finalize();
        let mut sink = config.root_escalation_sink::<()>();
        NOW_NANOS.store(0, Ordering::SeqCst);
        for _ in 0..10 {
            sink.handle(failure("/3/4", "crash loop", FailureMetadata::new()), false)
                .expect("the root handles every failure");
        }
        NOW_NANOS.store(2 * WINDOW.as_nanos() as u64, Ordering::SeqCst);
        sink.handle(failure("/3/4", "crash loop", FailureMetadata::new()), false)
            .expect("the root handles every failure");
    });

    // Two in the first window, eight suppressed, then one that carries the count.
    let suppressed: Vec<_> = events
        .iter()
        .map(|event| context(event).get("suppressed").cloned())
        .collect();
    assert_eq!(
        suppressed,
        [
            Some(Value::from(0)),
            Some(Value::from(0)),
            Some(Value::from(8))
        ]
    );
    assert!(
        events
            .iter()
            .all(|event| fingerprint(event) == fingerprint(&events[0]))
    );
}

#[test]
fn tags_sentry_would_drop_are_kept_in_the_context() {
    let long_value = "v".repeat(201);
    let events = sentry::test::with_captured_events(|| {
        let mut sink = sentry_config(SentryFailureTelemetry::new()).root_escalation_sink::<()>();
        let metadata = FailureMetadata::new()
            .with_tag("tenant", "acme")
            .with_tag("user name", "zoë")
            .with_tag("trace", long_value.clone())
            .with_tag("note", "two\nlines");
        sink.handle(failure("/1", "bad input", metadata), false)
            .expect("the root handles every failure");
    });

    let event = &events[0];
    assert_eq!(event.tags.keys().collect::<Vec<_>>(), ["tenant"]);
    let rejected = match context(event).get("rejected_tags") {
        Some(Value::Object(rejected)) => rejected,
        other => panic!("rejected tags are an object, got {other:?}"),
    };
    assert_eq!(rejected.get("user name"), Some(&Value::from("zoë")));
    assert_eq!(
        rejected.get("trace"),
        Some(&Value::from(long_value.as_str()))
    );
    assert_eq!(rejected.get("note"), Some(&Value::from("two\nlines")));
}

#[test]
fn dropped_tags_are_counted_in_the_context() {
    let events = sentry::test::with_captured_events(|| {
        let mut sink = sentry_config(SentryFailureTelemetry::new()).root_escalation_sink::<()>();
        let metadata = FailureMetadata::new().with_tag("", "empty keys are rejected");
        sink.handle(failure("/1", "boom", metadata), false)
            .expect("the root handles every failure");
    });
    assert_eq!(
        context(&events[0]).get("dropped_tags"),
        Some(&Value::from(1))
    );
}

/// The hub is per thread: from a tokio worker thread, `new()` captures on that thread's
/// hub (made from the process's main hub, which has no client here), while `with_hub`
/// captures on the hub it was given.
#[test]
fn from_tokio_tasks_only_a_pinned_hub_reaches_the_client() {
    let events = sentry::test::with_captured_events(|| {
        let pinned = sentry_config(SentryFailureTelemetry::new().with_hub(Hub::current()));
        let per_thread = sentry_config(SentryFailureTelemetry::new());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async {
            let task = tokio::spawn(async move {
                let mut sink = pinned.root_escalation_sink::<()>();
                sink.handle(
                    failure("/1", "from a task, pinned hub", FailureMetadata::new()),
                    false,
                )
                .expect("the root handles every failure");
                let mut sink = per_thread.root_escalation_sink::<()>();
                sink.handle(
                    failure("/2", "from a task, thread's hub", FailureMetadata::new()),
                    false,
                )
                .expect("the root handles every failure");
            });
            task.await.expect("the task ends");
        });
    });

    let messages: Vec<_> = events
        .iter()
        .filter_map(|event| event.message.as_deref())
        .collect();
    assert_eq!(messages, ["from a task, pinned hub"]);
}

#[test]
fn a_hub_of_its_own_keeps_its_scope_apart() {
    let events = sentry::test::with_captured_events(|| {
        let hub = Arc::new(Hub::new_from_top(Hub::current()));
        hub.configure_scope(|scope| scope.set_tag("subsystem", "root-guardian"));
        let mut sink =
            sentry_config(SentryFailureTelemetry::new().with_hub(hub)).root_escalation_sink::<()>();
        sink.handle(failure("/1", "boom", FailureMetadata::new()), false)
            .expect("the root handles every failure");
        sentry::capture_message("an unrelated message", sentry::Level::Info);
    });

    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].tags.get("subsystem").map(String::as_str),
        Some("root-guardian")
    );
    assert_eq!(events[1].tags.get("subsystem"), None);
}

#[test]
fn system_tags_follow_the_failure_tags_and_a_failure_tag_wins() {
    let events = sentry::test::with_captured_events(|| {
        let config = ActorSystemConfig::<StdRuntime>::new()
            .with_system_tag("service", "orders")
            .with_system_tag("region", "eu-west-1")
            .with_failure_telemetry(|_ctx| {
                FailureTelemetryShared::new(SentryFailureTelemetry::new())
            })
            .finalize();
        let mut sink = config.root_escalation_sink::<()>();
        sink.handle(failure("/1", "boom", FailureMetadata::new()), false)
            .expect("the root handles every failure");
        let own_region = FailureMetadata::new().with_tag("region", "us-east-1");
        sink.handle(failure("/2", "boom", own_region), false)
            .expect("the root handles every failure");
    });

    let tags = |event: &Event<'static>| -> Vec<(String, String)> {
        event
            .tags
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    assert_eq!(
        tags(&events[0]),
        pairs(&[("region", "eu-west-1"), ("service", "orders")])
    );
    assert_eq!(
        tags(&events[1]),
        pairs(&[("region", "us-east-1"), ("service", "orders")])
    );
}

#[test]
fn a_repeated_tag_key_keeps_its_first_value_and_is_counted() {
    use escalation_telemetry::integrations::sentry::failure_event;

    let info = failure(
        "/1",
        "boom",
        FailureMetadata::new().with_tag("user name", "zoë"),
    );
    // A list with repeated keys (built by hand, or read back from JSON).
    let system = [
        TelemetryTag::new("service", "orders"),
        TelemetryTag::new("service", "billing"),
        TelemetryTag::new("user name", "other"),
    ];
    let event = failure_event(
        &info.snapshot().with_system_tags(&system),
        &StormSignature::default(),
    );
    assert_eq!(
        event.tags.get("service").map(String::as_str),
        Some("orders")
    );
    let Some(Value::Object(rejected)) = context(&event).get("rejected_tags") else {
        panic!("rejected tags are an object: {:?}", context(&event));
    };
    assert_eq!(rejected.get("user name"), Some(&Value::from("zoë")));
    // The second `service`; the system `user name` is overridden by the failure's own
    // (`all_tags` leaves it out, as in every backend), so it is not counted here.
    assert_eq!(context(&event).get("omitted_tags"), Some(&Value::from(1)));
}
