//! `spawn_linked_reported`: a ractor child whose `pre_start` fails (an error or a panic)
//! is reported to the root guardian as that child's failure, directly and through an
//! escalating supervisor; a child that starts behaves exactly as `Actor::spawn_linked`'s.
#![cfg(feature = "ractor")]

mod support {
    pub(crate) mod guardian;
    pub(crate) mod ractor_escalator;
    pub(crate) mod ractor_waits;
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use escalation_telemetry::integrations::ractor::{
    GuardianMessage, RootGuardian, TaggedFailure, spawn_linked_reported,
};
use escalation_telemetry::prelude::*;
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorProcessingErr, ActorRef, SpawnErr};
use support::guardian::{WAIT, assert_failure, next, recording_config};
use support::ractor_escalator::Escalator;
use support::ractor_waits::{shut_down, stopped};

/// How a [`Starter`]'s `pre_start` ends.
#[derive(Clone, Copy)]
enum Start {
    Succeed,
    Fail,
    Panic,
}

/// What a started [`Starter`] is told to do.
enum Command {
    Echo(ractor::RpcReplyPort<usize>),
    Fail,
}

#[cfg(feature = "cluster")]
impl ractor::Message for Command {}

/// A worker whose start is scripted, counting its lifecycle calls.
struct Starter {
    start: Start,
    post_starts: Arc<AtomicUsize>,
    post_stops: Arc<AtomicUsize>,
}

impl Actor for Starter {
    type Msg = Command;
    type State = usize;
    type Arguments = usize;

    async fn pre_start(
        &self,
        _: ActorRef<Command>,
        initial: usize,
    ) -> Result<usize, ActorProcessingErr> {
        match self.start {
            Start::Succeed => Ok(initial),
            Start::Fail => Err(TaggedFailure::new("config missing")
                .with_tag("file", "app.toml")
                .into()),
            Start::Panic => panic!("cannot open socket"),
        }
    }

    async fn post_start(
        &self,
        _: ActorRef<Command>,
        _: &mut usize,
    ) -> Result<(), ActorProcessingErr> {
        self.post_starts.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn post_stop(
        &self,
        _: ActorRef<Command>,
        _: &mut usize,
    ) -> Result<(), ActorProcessingErr> {
        self.post_stops.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    async fn handle(
        &self,
        _: ActorRef<Command>,
        command: Command,
        state: &mut usize,
    ) -> Result<(), ActorProcessingErr> {
        match command {
            Command::Echo(reply) => {
                *state += 1;
                let _ = reply.send(*state);
                Ok(())
            }
            Command::Fail => Err("gave up".into()),
        }
    }
}

impl Starter {
    fn new(start: Start) -> Self {
        Self {
            start,
            post_starts: Arc::new(AtomicUsize::new(0)),
            post_stops: Arc::new(AtomicUsize::new(0)),
        }
    }
}

fn startup_error(result: Result<(ActorRef<Command>, JoinHandle<()>), SpawnErr>) -> String {
    match result {
        Err(SpawnErr::StartupFailed(error)) => error.to_string(),
        Err(other) => panic!("expected a startup failure, got {other}"),
        Ok(_) => panic!("expected a startup failure, the child started"),
    }
}

#[tokio::test]
async fn a_failed_start_under_a_supervisor_reaches_the_guardian_as_the_childs_failure() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");
    let (supervisor, supervisor_handle) =
        Actor::spawn_linked(None, Escalator { tag: None }, (), guardian.get_cell())
            .await
            .expect("the supervisor starts");

    let starter = Starter::new(Start::Fail);
    let post_stops = Arc::clone(&starter.post_stops);
    let result = spawn_linked_reported(
        Some("start-fails".into()),
        starter,
        0,
        supervisor.get_cell(),
    )
    .await;
    assert_eq!(startup_error(result), "config missing");

    let failure = next(&mut recorded.failures).await;
    let supervisor_id = ActorId::from(supervisor.get_id());
    assert_failure(
        &failure,
        failure.actor,
        &[supervisor_id, failure.actor],
        1,
        "config missing",
    );
    assert_ne!(
        failure.actor, supervisor_id,
        "the child, not its supervisor"
    );
    assert_eq!(
        next(&mut recorded.lines).await,
        format!(
            "path=/{supervisor_id}/{} actor={} hops=1 description=\"config missing\" \
             tags=[file=app.toml actor_name=start-fails]",
            failure.actor, failure.actor
        )
    );
    // The supervisor escalated, so it stopped; the child never ran its `post_stop`.
    stopped(supervisor_handle).await;
    assert_eq!(post_stops.load(Ordering::SeqCst), 0);

    let stats = ractor::call_t!(guardian, GuardianMessage::Stats, 10_000).expect("stats");
    assert_eq!(stats.failures, 1);
    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn a_panic_in_pre_start_is_reported_with_its_message() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");

    let result =
        spawn_linked_reported(None, Starter::new(Start::Panic), 0, guardian.get_cell()).await;
    assert_eq!(startup_error(result), "cannot open socket");

    let failure = next(&mut recorded.failures).await;
    assert_failure(
        &failure,
        failure.actor,
        &[failure.actor],
        0,
        "cannot open socket",
    );
    assert!(
        failure.metadata.tags().is_empty(),
        "an anonymous child has no name tag"
    );
    // The guardian keeps running.
    let stats = ractor::call_t!(guardian, GuardianMessage::Stats, 10_000).expect("stats");
    assert_eq!(stats.failures, 1);
    shut_down(guardian, guardian_handle).await;
}

#[tokio::test]
async fn a_child_that_starts_is_the_actor_itself() {
    let (config, mut recorded) = recording_config();
    let (guardian, guardian_handle) = RootGuardian::spawn_with_config(None, &config)
        .await
        .expect("the guardian starts");

    let starter = Starter::new(Start::Succeed);
    let (post_starts, post_stops) = (
        Arc::clone(&starter.post_starts),
        Arc::clone(&starter.post_stops),
    );
    let (child, child_handle) = spawn_linked_reported(None, starter, 41, guardian.get_cell())
        .await
        .expect("the child starts");
    assert_eq!(
        child.get_cell().try_get_supervisor().map(|s| s.get_id()),
        Some(guardian.get_id()),
        "linked to the supervisor"
    );

    // Messages reach the actor's own handler and state.
    let answer = ractor::call_t!(child, Command::Echo, 10_000).expect("the child answers");
    assert_eq!(answer, 42);
    assert_eq!(
        post_starts.load(Ordering::SeqCst),
        1,
        "`post_start` ran before the first message"
    );

    // A later failure is reported as usual, under the id the caller was given.
    child
        .cast(Command::Fail)
        .expect("the child takes the command");
    let failure = next(&mut recorded.failures).await;
    let child_id = ActorId::from(child.get_id());
    assert_failure(&failure, child_id, &[child_id], 0, "gave up");
    stopped(child_handle).await;
    assert_eq!(
        post_stops.load(Ordering::SeqCst),
        0,
        "a failed actor is not stopped normally"
    );

    // A child stopped normally runs its `post_stop` and reports nothing.
    let starter = Starter::new(Start::Succeed);
    let post_stops = Arc::clone(&starter.post_stops);
    let (child, child_handle) = spawn_linked_reported(None, starter, 0, guardian.get_cell())
        .await
        .expect("the second child starts");
    child
        .stop_and_wait(None, Some(WAIT))
        .await
        .expect("the child stops");
    stopped(child_handle).await;
    assert_eq!(post_stops.load(Ordering::SeqCst), 1);
    let stats = ractor::call_t!(guardian, GuardianMessage::Stats, 10_000).expect("stats");
    assert_eq!(stats.failures, 1, "a normal stop is not a failure");
    shut_down(guardian, guardian_handle).await;
}
