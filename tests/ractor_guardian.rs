//! The ractor root guardian, driven through a real ractor supervision tree: what reaches
//! the sink for panics and errors, direct and escalated, and a guardian that outlives
//! panicking telemetry, handler and listener.
#![cfg(feature = "ractor")]

mod support {
    pub(crate) mod guardian;
    pub(crate) mod ractor_escalator;
    pub(crate) mod ractor_waits;
}

use std::sync::atomic::{AtomicUsize, Ordering};

use escalation_telemetry::integrations::ractor::{
    GuardianMessage, GuardianStats, RootGuardian, TaggedFailure,
};
use escalation_telemetry::prelude::*;
use ractor::{Actor, ActorProcessingErr, ActorRef, ActorStatus};
use support::guardian::{assert_failure, next, recording_config};
use support::ractor_escalator::Escalator;
use support::ractor_waits::{shut_down, stopped};
use tokio::sync::mpsc::unbounded_channel;

// ---------------------------------------------------------------- actors under test

/// What a worker is told to do.
enum Command {
    Panic(&'static str),
    Fail(Box<TaggedFailure>),
    FailPlain(&'static str),
    FailHostile(Hostile),
}

/// An error whose `Display`, `source()` or `Drop` panics, as hostile user code may.
#[derive(Debug)]
struct Hostile {
    display: bool,
    source: bool,
    drop: bool,
}

impl std::fmt::Display for Hostile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.display {
            panic!("Display is broken");
        }
        f.write_str("hostile but printable")
    }
}

impl std::error::Error for Hostile {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        if self.source {
            panic!("source() is broken");
        }
        None
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        if self.drop {
            panic!("Drop is broken");
        }
    }
}

// With the `cluster` feature ractor has no blanket `Message` impl: a local-only message
// type says so with an empty impl, as every ractor_cluster user's types must.
#[cfg(feature = "cluster")]
impl ractor::Message for Command {}

/// A leaf actor that fails on command.
struct Worker;

impl Actor for Worker {
    type Msg = Command;
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<Command>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Command>,
        command: Command,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match command {
            Command::Panic(message) => panic!("{message}"),
            Command::Fail(failure) => Err(failure as ActorProcessingErr),
            Command::FailPlain(message) => Err(message.into()),
            Command::FailHostile(error) => Err(Box::new(error)),
        }
    }
}

// ---------------------------------------------------------------- helpers

async fn guardian_stats(guardian: &ActorRef<GuardianMessage>) -> GuardianStats {
    ractor::call_t!(guardian, GuardianMessage::Stats, 10_000).expect("the guardian answers")
}

fn id(actor: &ActorRef<impl ractor::Message>) -> ActorId {
    ActorId::from(actor.get_id())
}

fn tags(info: &FailureInfo) -> Vec<(String, String)> {
    info.metadata
        .tags()
        .iter()
        .map(|tag| (tag.key.to_string(), tag.value.to_string()))
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn an_escalated_panic_and_a_direct_error_reach_the_sink_as_they_happened() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");

    let (child, child_handle) = Actor::spawn_linked(
        Some("tree-child".into()),
        Escalator {
            tag: Some(("escalated_by", "tree-child")),
        },
        (),
        guardian.get_cell(),
    )
    .await
    .expect("the child supervisor starts");
    let (grandchild, grandchild_handle) =
        Actor::spawn_linked(Some("tree-grandchild".into()), Worker, (), child.get_cell())
            .await
            .expect("the grandchild starts");
    let (sibling, sibling_handle) =
        Actor::spawn_linked(Some("tree-sibling".into()), Worker, (), guardian.get_cell())
            .await
            .expect("the failing child starts");
    let (anonymous, anonymous_handle) = Actor::spawn_linked(None, Worker, (), guardian.get_cell())
        .await
        .expect("the anonymous child starts");

    // The grandchild panics; its supervisor escalates; the guardian reports the grandchild.
    grandchild
        .cast(Command::Panic("grandchild exploded"))
        .expect("the grandchild takes the command");
    let failure = next(&mut recorded.failures).await;
    assert_eq!(failure.actor, id(&grandchild));
    assert_eq!(
        failure.path,
        ActorPath::root().child(id(&child)).child(id(&grandchild))
    );
    assert_eq!(failure.stage, FailureEscalationStage::Escalated { hops: 1 });
    assert_eq!(failure.failure.description(), "grandchild exploded");
    assert_eq!(
        tags(&failure),
        pairs(&[
            ("actor_name", "tree-grandchild"),
            ("escalated_by", "tree-child")
        ])
    );
    // The line up to the tags; the crash report (kind, location) follows them.
    let line = next(&mut recorded.lines).await;
    let expected = format!(
        "path=/{}/{} actor={} hops=1 description=\"grandchild exploded\" \
         tags=[actor_name=tree-grandchild escalated_by=tree-child] kind=",
        id(&child),
        id(&grandchild),
        id(&grandchild)
    );
    assert!(line.starts_with(&expected), "{line}");
    // Escalating is failing: the child supervisor stopped along with the grandchild.
    stopped(grandchild_handle).await;
    stopped(child_handle).await;

    // A direct child returns a tagged error: no hop, its own path, its tags then its name.
    sibling
        .cast(Command::Fail(Box::new(
            TaggedFailure::new("quota exceeded").with_tag("tenant", "acme"),
        )))
        .expect("the sibling takes the command");
    let failure = next(&mut recorded.failures).await;
    assert_eq!(failure.actor, id(&sibling));
    assert_eq!(failure.path, ActorPath::root().child(id(&sibling)));
    assert_eq!(failure.stage, FailureEscalationStage::Initial);
    assert_eq!(failure.failure.description(), "quota exceeded");
    assert_eq!(
        tags(&failure),
        pairs(&[("tenant", "acme"), ("actor_name", "tree-sibling")])
    );
    assert_eq!(
        next(&mut recorded.lines).await,
        format!(
            "path=/{0} actor={0} hops=0 description=\"quota exceeded\" \
             tags=[tenant=acme actor_name=tree-sibling]",
            id(&sibling)
        )
    );
    stopped(sibling_handle).await;

    // A plain error from an actor without a name: its Display, and no tags at all.
    anonymous
        .cast(Command::FailPlain("connection reset"))
        .expect("the anonymous child takes the command");
    let failure = next(&mut recorded.failures).await;
    assert_eq!(failure.actor, id(&anonymous));
    assert_eq!(failure.path, ActorPath::root().child(id(&anonymous)));
    assert_eq!(failure.stage.hops(), 0);
    assert_eq!(failure.failure.description(), "connection reset");
    assert!(tags(&failure).is_empty());
    // An error returned by the handler: kind error, at the guardian's location.
    let line = next(&mut recorded.lines).await;
    let expected = format!(
        "path=/{0} actor={0} hops=0 description=\"connection reset\" tags=[] kind=error at=",
        id(&anonymous)
    );
    assert!(line.starts_with(&expected), "{line}");
    stopped(anonymous_handle).await;

    let stats = guardian_stats(&guardian).await;
    assert_eq!(stats.failures, 3);
    assert_eq!(stats.escalation, EscalationStats::default());
    assert!(
        recorded.failures.try_recv().is_err(),
        "nothing else reached the sink"
    );
    assert!(
        recorded.lines.try_recv().is_err(),
        "nothing else reached the hook"
    );

    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn each_supervisor_on_the_way_adds_a_hop_and_a_path_segment() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");
    let (upper, upper_handle) =
        Actor::spawn_linked(None, Escalator { tag: None }, (), guardian.get_cell())
            .await
            .expect("the upper supervisor starts");
    let (lower, lower_handle) =
        Actor::spawn_linked(None, Escalator { tag: None }, (), upper.get_cell())
            .await
            .expect("the lower supervisor starts");
    let (worker, worker_handle) =
        Actor::spawn_linked(Some("deep-worker".into()), Worker, (), lower.get_cell())
            .await
            .expect("the worker starts");

    worker
        .cast(Command::Panic("deep failure"))
        .expect("the worker takes the command");
    let failure = next(&mut recorded.failures).await;
    let path = [id(&upper), id(&lower), id(&worker)];
    assert_failure(&failure, id(&worker), &path, 2, "deep failure");
    assert_eq!(tags(&failure), pairs(&[("actor_name", "deep-worker")]));
    for handle in [worker_handle, lower_handle, upper_handle] {
        stopped(handle).await;
    }

    assert_eq!(guardian_stats(&guardian).await.failures, 1);
    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn the_guardian_survives_a_panicking_hook_handler_and_listener() {
    let handled = AtomicUsize::new(0);
    let (event_tx, mut events) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|_snapshot| panic!("the telemetry hook is broken"))
        })
        .finalize()
        .with_failure_event_handler(move |_info| {
            if handled.fetch_add(1, Ordering::SeqCst) == 0 {
                panic!("the handler is broken the first time");
            }
        })
        .with_failure_event_listener(move |event| {
            let description = event.info().failure.description().to_owned();
            let _ = event_tx.send(description.clone());
            if description == "second" {
                panic!("the listener is broken the second time");
            }
        });
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");

    for (round, description) in ["first", "second", "third"].into_iter().enumerate() {
        let (worker, worker_handle) = Actor::spawn_linked(None, Worker, (), guardian.get_cell())
            .await
            .expect("the worker starts");
        worker
            .cast(Command::FailPlain(description))
            .expect("the worker takes the command");
        assert_eq!(next(&mut events).await, description);
        stopped(worker_handle).await;

        assert_eq!(guardian.get_status(), ActorStatus::Running);
        let stats = guardian_stats(&guardian).await;
        assert_eq!(stats.failures, round as u64 + 1);
        assert_eq!(stats.escalation.telemetry_panics, round as u64 + 1);
    }

    let stats = guardian_stats(&guardian).await;
    assert_eq!(stats.escalation.handler_panics, 1);
    assert_eq!(stats.escalation.listener_panics, 1);
    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn a_guardian_on_a_bounded_runtime_keeps_what_fits_and_counts_the_rest() {
    let (failure_tx, mut failures) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime<BoundedTags<1>>>::new()
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = failure_tx.send(info.clone());
        });
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");
    let (worker, worker_handle) = Actor::spawn_linked(
        Some("bounded-worker".into()),
        Worker,
        (),
        guardian.get_cell(),
    )
    .await
    .expect("the worker starts");

    worker
        .cast(Command::Fail(Box::new(
            TaggedFailure::new("too many tags").with_tag("tenant", "acme"),
        )))
        .expect("the worker takes the command");
    let failure: FailureInfo<BoundedTags<1>> = next(&mut failures).await;
    assert_eq!(failure.metadata.get("tenant"), Some("acme"));
    assert_eq!(failure.metadata.tags().len(), 1);
    assert_eq!(failure.metadata.dropped_tags(), 1, "actor_name did not fit");
    stopped(worker_handle).await;

    assert_eq!(guardian_stats(&guardian).await.escalation.tags_dropped, 1);
    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn an_error_whose_display_source_or_drop_panics_is_reported_and_the_guardian_lives() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");
    // A sibling that must outlive the hostile errors: the guardian stopping would stop it.
    let (sibling, sibling_handle) = Actor::spawn_linked(None, Worker, (), guardian.get_cell())
        .await
        .expect("the sibling starts");

    // `source()` runs inside the same guard as `Display` (the error's text and cause
    // chain are made in one guarded call), so a case of its own would add nothing.
    let cases = [
        (true, false, false, UNPRINTABLE),
        (false, false, true, "hostile but printable"),
        (true, true, true, UNPRINTABLE),
    ];
    for (round, (display, source, drop, description)) in cases.into_iter().enumerate() {
        let (worker, worker_handle) = Actor::spawn_linked(None, Worker, (), guardian.get_cell())
            .await
            .expect("the worker starts");
        worker
            .cast(Command::FailHostile(Hostile {
                display,
                source,
                drop,
            }))
            .expect("the worker takes the command");
        let failure = next(&mut recorded.failures).await;
        assert_failure(&failure, id(&worker), &[id(&worker)], 0, description);
        stopped(worker_handle).await;
        assert_eq!(guardian.get_status(), ActorStatus::Running, "round {round}");
        assert_eq!(sibling.get_status(), ActorStatus::Running, "round {round}");
    }
    // Through a supervisor that escalates: its guards catch the panics, and their
    // counts travel up with the failure to the guardian's stats.
    let (escalator, escalator_handle) =
        Actor::spawn_linked(None, Escalator { tag: None }, (), guardian.get_cell())
            .await
            .expect("the supervisor starts");
    let (worker, worker_handle) = Actor::spawn_linked(None, Worker, (), escalator.get_cell())
        .await
        .expect("the worker starts");
    worker
        .cast(Command::FailHostile(Hostile {
            display: true,
            source: false,
            drop: true,
        }))
        .expect("the worker takes the command");
    let failure = next(&mut recorded.failures).await;
    assert_failure(
        &failure,
        id(&worker),
        &[id(&escalator), id(&worker)],
        1,
        UNPRINTABLE,
    );
    stopped(worker_handle).await;
    stopped(escalator_handle).await;

    let stats = guardian_stats(&guardian).await;
    assert_eq!(stats.failures, 4);
    // Display in three rounds, Drop in three: each panic counted once.
    assert_eq!(stats.user_code_panics, 6);
    assert_eq!(stats.user_code_payloads_leaked, 0);

    sibling.stop(None);
    stopped(sibling_handle).await;
    shut_down(guardian, guardian_handle).await;
}

/// What the guardian says of an error whose text could not be made.
const UNPRINTABLE: &str = escalation_telemetry::integrations::ractor::UNPRINTABLE_ERROR;
