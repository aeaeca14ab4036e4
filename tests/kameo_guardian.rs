//! The kameo root guardian, driven through a real kameo tree of linked actors: what
//! reaches the sink for a grandchild's panic and a child's error, deliberate stops that
//! are not failures, and a guardian that outlives a panicking telemetry hook.
#![cfg(feature = "kameo")]

mod support {
    pub(crate) mod guardian;
}

use escalation_telemetry::integrations::kameo::{GetStats, GuardianStats, RootGuardian};
use escalation_telemetry::prelude::*;
use kameo::actor::{Actor, ActorRef, Spawn};
use kameo::error::Infallible;
use kameo::message::{Context, Message};
use support::guardian::{WAIT, assert_failure, next, recording_config};
use tokio::sync::mpsc::unbounded_channel;

// ---------------------------------------------------------------- actors under test

/// A plain actor: as a parent it keeps kameo's default `on_link_died`, so it stops with
/// `LinkDied` when a linked child fails.
struct Node;

impl Actor for Node {
    type Args = Self;
    type Error = Infallible;

    async fn on_start(node: Self, _: ActorRef<Self>) -> Result<Self, Infallible> {
        Ok(node)
    }
}

/// Panics with this text.
struct Panic(&'static str);

/// Returns this error from a handler.
struct Fail(&'static str);

/// Returns an error that is not a string.
struct FailWith(DiskFull);

#[derive(Debug)]
struct DiskFull {
    #[allow(dead_code, reason = "read through Debug, as kameo reports it")]
    free_bytes: u64,
}

impl Message<Panic> for Node {
    type Reply = ();

    async fn handle(&mut self, Panic(text): Panic, _: &mut Context<Self, ()>) {
        panic!("{text}");
    }
}

impl Message<Fail> for Node {
    type Reply = Result<(), String>;

    async fn handle(
        &mut self,
        Fail(text): Fail,
        _: &mut Context<Self, Self::Reply>,
    ) -> Self::Reply {
        Err(text.to_owned())
    }
}

impl Message<FailWith> for Node {
    type Reply = Result<(), DiskFull>;

    async fn handle(
        &mut self,
        FailWith(error): FailWith,
        _: &mut Context<Self, Self::Reply>,
    ) -> Self::Reply {
        Err(error)
    }
}

/// Returns an error whose `Debug` panics with a payload whose drop panics twice in a
/// row, so it has to be leaked. (Its own drop is not made to panic: kameo keeps other
/// references to the error and drops the last one in its own code; the guardian drops
/// its reference under a guard.)
struct FailHostile;

struct HostileDebug;

impl std::fmt::Debug for HostileDebug {
    fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::panic::panic_any(PanicsOnDrop(2))
    }
}

/// A panic payload whose drop panics again, `.0` times in a row.
struct PanicsOnDrop(u32);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        if self.0 > 0 {
            std::panic::panic_any(PanicsOnDrop(self.0 - 1));
        }
    }
}

impl Message<FailHostile> for Node {
    type Reply = Result<(), HostileDebug>;

    async fn handle(&mut self, _: FailHostile, _: &mut Context<Self, Self::Reply>) -> Self::Reply {
        Err(HostileDebug)
    }
}

/// An actor whose start fails.
struct Unstartable;

impl Actor for Unstartable {
    type Args = Self;
    type Error = String;

    async fn on_start(_: Self, _: ActorRef<Self>) -> Result<Self, String> {
        Err("no configuration found".to_owned())
    }
}

// ---------------------------------------------------------------- helpers

async fn stopped<A: Actor>(actor: &ActorRef<A>) {
    tokio::time::timeout(WAIT, actor.wait_for_shutdown())
        .await
        .expect("the actor stops within the wait");
}

async fn stats<R: ActorRuntime>(guardian: &ActorRef<RootGuardian<R>>) -> GuardianStats {
    tokio::time::timeout(WAIT, guardian.ask(GetStats).send())
        .await
        .expect("the guardian answers within the wait")
        .expect("the guardian answers")
}

async fn shut_down<R: ActorRuntime>(guardian: ActorRef<RootGuardian<R>>) {
    guardian
        .stop_gracefully()
        .await
        .expect("the guardian takes the stop");
    stopped(&guardian).await;
}

fn id<A: Actor>(actor: &ActorRef<A>) -> ActorId {
    ActorId::from(actor.id())
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn a_grandchild_panic_reaches_the_root_with_its_path_and_one_hop() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let child = Node::spawn_link(&guardian, Node).await;
    let grandchild = Node::spawn_link(&child, Node).await;

    grandchild
        .tell(Panic("grandchild exploded"))
        .await
        .expect("the grandchild takes the message");

    let failure = next(&mut recorded.failures).await;
    let path = [id(&child), id(&grandchild)];
    assert_failure(&failure, id(&grandchild), &path, 1, "grandchild exploded");
    assert_eq!(
        next(&mut recorded.lines).await,
        format!(
            "path=/{}/{} actor={} hops=1 description=\"grandchild exploded\" \
             tags=[kameo_reason=handler_panic]",
            id(&child),
            id(&grandchild),
            id(&grandchild)
        )
    );
    // kameo's default: the child stopped because its linked grandchild died.
    stopped(&grandchild).await;
    stopped(&child).await;

    let stats = stats(&guardian).await;
    assert_eq!(stats.failures, 1);
    assert_eq!(stats.escalation, EscalationStats::default());
    assert!(
        recorded.failures.try_recv().is_err(),
        "one failure, reported once"
    );
    shut_down(guardian).await;
}

#[tokio::test]
async fn a_child_error_is_the_child_itself_with_the_error_text() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let child = Node::spawn_link(&guardian, Node).await;
    let other = Node::spawn_link(&guardian, Node).await;

    // A handler's `Err` on a `tell` stops the actor (reason `on_message`).
    child
        .tell(Fail("quota exceeded"))
        .await
        .expect("the child takes the message");
    let failure = next(&mut recorded.failures).await;
    assert_failure(&failure, id(&child), &[id(&child)], 0, "quota exceeded");
    assert_eq!(failure.metadata.get("kameo_reason"), Some("on_message"));
    stopped(&child).await;

    // An error that is not a string is described by its Debug form.
    other
        .tell(FailWith(DiskFull { free_bytes: 0 }))
        .await
        .expect("the other child takes the message");
    let failure = next(&mut recorded.failures).await;
    assert_eq!(failure.actor, id(&other));
    assert_eq!(failure.failure.description(), "DiskFull { free_bytes: 0 }");
    stopped(&other).await;

    assert_eq!(stats(&guardian).await.failures, 2);
    assert!(guardian.is_alive(), "the guardian outlives its children");
    shut_down(guardian).await;
}

#[tokio::test]
async fn a_child_that_fails_to_start_is_reported_with_its_error() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let child = Unstartable::spawn_link(&guardian, Unstartable).await;

    let failure = next(&mut recorded.failures).await;
    assert_failure(
        &failure,
        id(&child),
        &[id(&child)],
        0,
        "no configuration found",
    );
    assert_eq!(failure.metadata.get("kameo_reason"), Some("on_start"));
    stopped(&child).await;
    shut_down(guardian).await;
}

#[tokio::test]
async fn every_link_on_the_way_is_a_hop_and_a_path_segment() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let upper = Node::spawn_link(&guardian, Node).await;
    let lower = Node::spawn_link(&upper, Node).await;
    let worker = Node::spawn_link(&lower, Node).await;

    worker
        .tell(Panic("deep failure"))
        .await
        .expect("the worker takes the message");
    let failure = next(&mut recorded.failures).await;
    let path = [id(&upper), id(&lower), id(&worker)];
    assert_failure(&failure, id(&worker), &path, 2, "deep failure");
    for actor in [&worker, &lower, &upper] {
        stopped(actor).await;
    }
    shut_down(guardian).await;
}

#[tokio::test]
async fn stopping_or_killing_a_child_on_purpose_is_not_a_failure() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let stopped_child = Node::spawn_link(&guardian, Node).await;
    let killed_child = Node::spawn_link(&guardian, Node).await;

    stopped_child
        .stop_gracefully()
        .await
        .expect("the child takes the stop");
    stopped(&stopped_child).await;
    killed_child.kill();
    stopped(&killed_child).await;

    // The guardian handles its mailbox in order: once it answers, both deaths were seen.
    let stats = stats(&guardian).await;
    assert_eq!(stats.failures, 0);
    assert!(
        recorded.failures.try_recv().is_err(),
        "nothing reached the sink"
    );
    shut_down(guardian).await;
}

#[tokio::test]
async fn the_guardian_survives_a_panicking_telemetry_hook() {
    let (failure_tx, mut failures) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::from_fn(|snapshot| {
                if snapshot.description() == "first" {
                    panic!("the telemetry hook is broken");
                }
            })
        })
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = failure_tx.send(info.failure.description().to_owned());
        });
    let guardian = RootGuardian::spawn_with_config(&config);

    for (round, text) in ["first", "second"].into_iter().enumerate() {
        let child = Node::spawn_link(&guardian, Node).await;
        child
            .tell(Panic(text))
            .await
            .expect("the child takes the message");
        // The handler runs after the hook, whether or not the hook panicked.
        assert_eq!(next(&mut failures).await, text);
        stopped(&child).await;

        assert!(guardian.is_alive());
        let stats = stats(&guardian).await;
        assert_eq!(stats.failures, round as u64 + 1);
        assert_eq!(stats.escalation.telemetry_panics, 1);
    }
    shut_down(guardian).await;
}

#[tokio::test]
async fn a_guardian_on_a_bounded_runtime_builds_failures_in_its_storage() {
    let (failure_tx, mut failures) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime<BoundedTags<1>>>::new()
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = failure_tx.send(info.clone());
        });
    let guardian = RootGuardian::spawn_with_config(&config);
    let child = Node::spawn_link(&guardian, Node).await;

    child
        .tell(Panic("bounded"))
        .await
        .expect("the child takes the message");
    let failure: FailureInfo<BoundedTags<1>> = next(&mut failures).await;
    assert_eq!(failure.metadata.get("kameo_reason"), Some("handler_panic"));
    assert_eq!(failure.metadata.dropped_tags(), 0);
    stopped(&child).await;
    shut_down(guardian).await;
}

#[tokio::test]
async fn an_error_whose_debug_panics_with_a_hostile_payload_is_reported_and_counted() {
    let (config, mut recorded) = recording_config();
    let guardian = RootGuardian::spawn_with_config(&config);
    let child = Node::spawn_link(&guardian, Node).await;

    child
        .tell(FailHostile)
        .await
        .expect("the child takes the message");
    let failure = next(&mut recorded.failures).await;
    assert_failure(
        &failure,
        id(&child),
        &[id(&child)],
        0,
        escalation_telemetry::integrations::kameo::UNPRINTABLE_ERROR,
    );
    stopped(&child).await;

    let stats = stats(&guardian).await;
    assert_eq!(stats.failures, 1);
    // The Debug panic, counted once, its payload leaked.
    assert_eq!(
        (stats.user_code_panics, stats.user_code_payloads_leaked),
        (1, 1)
    );
    assert!(
        guardian.is_alive(),
        "the guardian outlives the hostile error"
    );
    shut_down(guardian).await;
}
