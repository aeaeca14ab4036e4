//! The root path as the data-flow diagram describes it: snapshot → telemetry →
//! observation → handler → listener.
#![cfg(feature = "std")]

use std::sync::{Arc, Mutex};

use escalation_telemetry::prelude::*;
use support::panics::{intentional_panic, silence_intentional_panics};

mod support {
    pub(crate) mod panics;
}

/// Records every step of the root path in order.
#[derive(Clone, Default)]
struct Journal(Arc<Mutex<Vec<String>>>);

impl Journal {
    fn push(&self, entry: String) {
        self.0.lock().expect("journal lock").push(entry);
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().expect("journal lock"))
    }
}

impl MetricsSink for Journal {
    fn record(&self, event: MetricsEvent) {
        let entry = match event {
            MetricsEvent::TelemetryLatency(_) => "metrics: TelemetryLatency".to_owned(),
            other => format!("metrics: {other:?}"),
        };
        self.push(entry);
    }
}

fn observed_config(journal: &Journal) -> ActorSystemConfig<StdRuntime, Finalized> {
    let telemetry_journal = journal.clone();
    let handler_journal = journal.clone();
    let listener_journal = journal.clone();
    ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(journal.clone()))
        .with_failure_telemetry(move |_ctx| {
            let journal = telemetry_journal.clone();
            FailureTelemetryShared::from_fn(move |snapshot| {
                journal.push(format!("telemetry: {snapshot}"))
            })
        })
        .observe()
        .capture_timing(true)
        .with_failure_event_handler(move |info| {
            handler_journal.push(format!("handler: actor {}", info.actor))
        })
        .with_failure_event_listener(move |event| match event {
            FailureEvent::RootEscalated(info) => {
                listener_journal.push(format!("listener: actor {}", info.actor))
            }
            _ => listener_journal.push("listener: other event".to_owned()),
        })
        .finalize()
}

fn worker_failure() -> FailureInfo {
    let path = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(4))
        .child(ActorId(9));
    FailureInfo::new(ActorId(9), path, ActorFailure::from_message("disk full"))
        .with_metadata(
            FailureMetadata::new()
                .with_component("storage")
                .with_tag("tenant", "acme"),
        )
        .escalate_to_parent()
        .escalate_to_parent()
}

#[test]
fn steps_run_in_the_documented_order() {
    let journal = Journal::default();
    let mut sink = observed_config(&journal).root_escalation_sink::<()>();
    sink.handle(worker_failure(), false)
        .expect("the root handles every failure");
    assert_eq!(
        journal.take(),
        [
            "metrics: TelemetryInvoked",
            r#"telemetry: path=/1/4/9 actor=9 hops=2 description="disk full" tags=[component=storage tenant=acme]"#,
            "metrics: TelemetryLatency",
            "handler: actor 9",
            "listener: actor 9",
        ]
    );
}

#[test]
fn an_already_handled_failure_skips_telemetry_but_reaches_handler_and_listener() {
    let journal = Journal::default();
    let mut sink = observed_config(&journal).root_escalation_sink::<()>();
    sink.handle(worker_failure(), true).expect("handled");
    assert_eq!(journal.take(), ["handler: actor 9", "listener: actor 9"]);
}

#[test]
fn the_switch_turns_observation_off_and_on_for_every_sink_immediately() {
    let journal = Journal::default();
    let config = observed_config(&journal);
    let switch = config.observation_switch().expect("the config is observed");
    let mut first = config.root_escalation_sink::<()>();
    let mut second = config.root_escalation_sink::<()>();

    switch.disable();
    assert!(!first.is_observing() && !second.is_observing());
    first.handle(worker_failure(), false).expect("handled");
    second.handle(worker_failure(), false).expect("handled");
    let entries = journal.take();
    assert!(
        entries.iter().all(|e| !e.starts_with("metrics:")),
        "{entries:?}"
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.starts_with("telemetry:"))
            .count(),
        2,
        "the hook still runs"
    );

    switch.enable();
    second.handle(worker_failure(), false).expect("handled");
    assert_eq!(
        journal
            .take()
            .iter()
            .filter(|e| e.starts_with("metrics:"))
            .count(),
        2
    );
}

#[test]
fn dropped_tags_are_reported_when_observed() {
    struct Small;
    impl ActorRuntime for Small {
        type Clock = StdClock;
        type Tags = BoundedTags<1>;
    }
    let journal = Journal::default();
    let config = ActorSystemConfig::<Small>::new()
        .with_metrics_sink(MetricsSinkShared::new(journal.clone()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
        .observe()
        .finalize();
    let metadata = FailureMetadata::<BoundedTags<1>>::default()
        .with_tag("a", "1")
        .with_tag("b", "2")
        .with_tag("c", "3");
    let info = FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message("x"),
    )
    .with_metadata(metadata);
    let mut sink = config.root_escalation_sink::<()>();
    sink.handle(info, false).expect("handled");
    assert_eq!(
        journal.take(),
        ["metrics: TagsDropped(2)", "metrics: TelemetryInvoked"]
    );
    assert_eq!(sink.stats().tags_dropped, 2);
}

#[test]
fn apply_builder_replaces_the_hook_of_one_sink_only() {
    let journal = Journal::default();
    let config = observed_config(&journal);
    let mut replaced = config.root_escalation_sink::<()>();
    let mut untouched = config.root_escalation_sink::<()>();

    let replacement_journal = journal.clone();
    let builder: ArcShared<FailureTelemetryBuilder> =
        ArcShared::new(move |ctx: &TelemetryContext<'_>| {
            let journal = replacement_journal.clone();
            let has_metrics = ctx.metrics.is_some();
            FailureTelemetryShared::from_fn(move |s| {
                journal.push(format!(
                    "replacement (metrics: {has_metrics}): {}",
                    s.actor()
                ))
            })
        });
    replaced.apply_builder(&config.telemetry_context(), &*builder);

    replaced.handle(worker_failure(), false).expect("handled");
    untouched.handle(worker_failure(), false).expect("handled");
    let telemetry: Vec<_> = journal
        .take()
        .into_iter()
        .filter(|e| e.starts_with("replacement") || e.starts_with("telemetry"))
        .collect();
    assert_eq!(telemetry.len(), 2);
    assert_eq!(telemetry[0], "replacement (metrics: true): 9");
    assert!(telemetry[1].starts_with("telemetry: path=/1/4/9"));
}

#[test]
fn a_panicking_hook_is_counted_and_the_handler_and_listener_still_run() {
    silence_intentional_panics();
    let journal = Journal::default();
    let handler_journal = journal.clone();
    let listener_journal = journal.clone();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::new(journal.clone()))
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_s| intentional_panic("telemetry backend down"))
        })
        .observe()
        .with_failure_event_handler(move |info| {
            handler_journal.push(format!("handler: actor {}", info.actor))
        })
        .with_failure_event_listener(move |event| {
            if let FailureEvent::RootEscalated(info) = event {
                listener_journal.push(format!("listener: actor {}", info.actor))
            }
        })
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    sink.handle(worker_failure(), false).expect("handled");
    sink.handle(worker_failure(), false).expect("handled");

    assert_eq!(
        journal.take(),
        [
            "metrics: TelemetryInvoked",
            "metrics: TelemetryPanicked",
            "handler: actor 9",
            "listener: actor 9",
            "metrics: TelemetryInvoked",
            "metrics: TelemetryPanicked",
            "handler: actor 9",
            "listener: actor 9",
        ]
    );
    assert_eq!(sink.stats().telemetry_panics, 2);
}

#[test]
fn with_ref_observed_records_into_the_given_config() {
    let journal = Journal::default();
    let telemetry = FailureTelemetryShared::from_fn(|_s| {});
    let info = worker_failure();
    let snapshot = info.snapshot();

    let off = FailureTelemetryObservationConfig::default();
    telemetry.with_ref_observed(&off, |t| t.on_failure(&snapshot));
    assert!(journal.take().is_empty());

    let counting = FailureTelemetryObservationConfig {
        metrics: Some(MetricsSinkShared::new(journal.clone())),
        capture_timing: false,
    };
    telemetry.with_ref_observed(&counting, |t| t.on_failure(&snapshot));
    assert_eq!(journal.take(), ["metrics: TelemetryInvoked"]);

    let timed = FailureTelemetryObservationConfig::builder()
        .metrics(MetricsSinkShared::new(journal.clone()))
        .capture_timing(true)
        .build();
    let returned = telemetry.with_ref_observed(&timed, |t| {
        t.on_failure(&snapshot);
        42
    });
    assert_eq!(returned, 42);
    assert_eq!(
        journal.take(),
        ["metrics: TelemetryInvoked", "metrics: TelemetryLatency"]
    );
}

#[test]
fn the_message_type_can_be_anything() {
    let journal = Journal::default();
    let config = observed_config(&journal);
    let mut unit = config.root_escalation_sink::<()>();
    let mut not_send = config.root_escalation_sink::<std::rc::Rc<String>>();
    unit.handle(worker_failure(), false).expect("handled");
    let through_unit = journal.take();
    not_send.handle(worker_failure(), false).expect("handled");
    // Whatever the message type, a sink runs every step of the root path alike.
    assert_eq!(journal.take(), through_unit);
    assert!(
        through_unit.iter().any(|e| e.starts_with("telemetry: "))
            && through_unit.contains(&"handler: actor 9".to_owned())
            && through_unit.contains(&"listener: actor 9".to_owned()),
        "{through_unit:?}"
    );
}
