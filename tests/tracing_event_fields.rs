//! `TracingFailureTelemetry` emits one ERROR event per failure that reaches the root,
//! with the fields `actor`, `path`, `hops`, `description`, `tags` (and `dropped_tags`
//! when tags were lost; system tags after the failure's own in `tags`) and the crash
//! report (`kind`, `exception.type`, `code.*`, `causes`, `trace_id`, `span_id`,
//! `trace_flags`, `exception.stacktrace`), seen by a real `tracing-subscriber` registry.
#![cfg(feature = "tracing")]

mod support {
    pub(crate) mod crash;
}

use std::fmt::{self, Write as _};
use std::sync::{Arc, Mutex};

use escalation_telemetry::LOCATION_FILTERS;
use escalation_telemetry::TagStorage;
use escalation_telemetry::integrations::tracing::{TARGET, TracingFailureTelemetry};
use escalation_telemetry::prelude::*;
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// Every event the subscriber sees, rendered as `level target` then one
/// `name (kind): value` line per field, in recording order.
#[derive(Clone, Default)]
struct CapturedEvents(Arc<Mutex<Vec<String>>>);

impl CapturedEvents {
    fn take(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .expect("no test thread panicked holding the lock"),
        )
    }
}

struct FieldLines(String);

impl FieldLines {
    fn line(&mut self, field: &Field, kind: &str, value: &dyn fmt::Display) {
        writeln!(self.0, "{} ({kind}): {value}", field.name()).expect("writing to a String");
    }
}

impl Visit for FieldLines {
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.line(field, "u64", &value);
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.line(field, "str", &format_args!("{value:?}"));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.line(field, "fmt", &format_args!("{value:?}"));
    }
}

impl<S: Subscriber> Layer<S> for CapturedEvents {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let mut fields = FieldLines(format!("{} {}\n", metadata.level(), metadata.target()));
        event.record(&mut fields);
        self.0
            .lock()
            .expect("no test thread panicked holding the lock")
            .push(fields.0);
    }
}

fn tracing_config<T: TagStorage>() -> ActorSystemConfig<StdRuntime<T>, Finalized> {
    ActorSystemConfig::<StdRuntime<T>>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(TracingFailureTelemetry::new()))
        .finalize()
}

fn worker_path() -> ActorPath {
    ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(4))
        .child(ActorId(9))
}

#[test]
fn each_failure_at_the_root_is_one_error_event_with_its_fields() {
    let events = CapturedEvents::default();
    let _subscriber = tracing_subscriber::registry()
        .with(events.clone())
        .set_default();
    let mut root = tracing_config::<DefaultTags>().root_escalation_sink::<()>();

    let disk_full = FailureInfo::new(
        ActorId(9),
        worker_path(),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_component("storage")
            .with_tag("tenant", "acme corp"),
    )
    .escalate_to_parent()
    .escalate_to_parent();
    root.handle(disk_full, false)
        .expect("the root handles every failure");
    let untagged = FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message("said \"no\"\nthen stopped"),
    );
    root.handle(untagged, false)
        .expect("the root handles every failure");

    let events = events.take();
    assert_eq!(events.len(), 2, "one event per failure: {events:#?}");
    assert!(
        events
            .iter()
            .all(|event| event.starts_with(&format!("ERROR {TARGET}\n")))
    );
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!("tagged_failure", events[0]);
    });
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!("untagged_failure", events[1]);
    });
}

#[test]
fn tags_lost_to_a_bounded_storage_show_up_as_dropped_tags() {
    let events = CapturedEvents::default();
    let _subscriber = tracing_subscriber::registry()
        .with(events.clone())
        .set_default();
    let mut root = tracing_config::<BoundedTags<2>>().root_escalation_sink::<()>();

    let metadata = FailureMetadata::<BoundedTags<2>>::default()
        .with_component("db")
        .with_endpoint("/v1/orders")
        .with_transport("tcp")
        .with_tag("tenant", "acme");
    let failure = FailureInfo::new(
        ActorId(9),
        worker_path(),
        ActorFailure::from_message("timeout"),
    )
    .with_metadata(metadata)
    .escalate_to_parent();
    root.handle(failure, false)
        .expect("the root handles every failure");

    let events = events.take();
    assert_eq!(events.len(), 1, "one event per failure: {events:#?}");
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!("dropped_tags", events[0]);
    });
}

#[test]
fn system_tags_follow_the_failures_own_tags_in_the_tags_field() {
    let events = CapturedEvents::default();
    let _subscriber = tracing_subscriber::registry()
        .with(events.clone())
        .set_default();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_system_tag(key!("service"), "orders")
        .with_system_tag(key!("region"), "eu-west-1")
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(TracingFailureTelemetry::new()))
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    // The failure's own `region` wins over the system's.
    let failure = FailureInfo::new(
        ActorId(9),
        worker_path(),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_component("storage")
            .with_tag(key!("region"), "us-east-1"),
    );
    root.handle(failure, false)
        .expect("the root handles every failure");

    let events = events.take();
    assert_eq!(events.len(), 1, "one event per failure: {events:#?}");
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!("system_tags", events[0]);
    });
}

#[test]
fn an_already_handled_failure_emits_nothing() {
    let events = CapturedEvents::default();
    let _subscriber = tracing_subscriber::registry()
        .with(events.clone())
        .set_default();
    let mut root = tracing_config::<DefaultTags>().root_escalation_sink::<()>();

    let failure = FailureInfo::new(
        ActorId(9),
        worker_path(),
        ActorFailure::from_message("handled"),
    );
    root.handle(failure, true)
        .expect("the root handles every failure");

    assert_eq!(events.take(), Vec::<String>::new());
}

#[test]
fn a_crash_report_adds_kind_type_location_every_cause_trace_and_backtrace() {
    let events = CapturedEvents::default();
    let _guard = tracing_subscriber::registry()
        .with(events.clone())
        .set_default();
    let mut root = tracing_config::<DefaultTags>().root_escalation_sink::<()>();
    root.handle(support::crash::error_failure(), false)
        .expect("the root handles every failure");
    let events = events.take();
    let [event] = events.as_slice() else {
        panic!("one event: {events:#?}");
    };
    insta::assert_snapshot!("crash_report", event);
}
