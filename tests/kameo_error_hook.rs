//! kameo's process-wide actor error hook, bridged to a root guardian: an actor whose
//! `on_stop` fails is reported, the last guardian installed receives the reports, and a
//! report with no live guardian is counted. One test, because the hook is one per
//! process (a test binary is a process of its own).
#![cfg(feature = "kameo")]

mod support {
    pub(crate) mod guardian;
}

use escalation_telemetry::integrations::kameo::{
    GetStats, RootGuardian, UNKNOWN_ACTOR, error_hook_reports_dropped, install_error_hook,
};
use escalation_telemetry::prelude::*;
use kameo::actor::{Actor, ActorRef, Spawn, WeakActorRef};
use kameo::error::ActorStopReason;
use support::guardian::{WAIT, next};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// An actor whose cleanup fails: kameo reports that error only through its hook.
struct FailingCleanup;

impl Actor for FailingCleanup {
    type Args = Self;
    type Error = String;

    async fn on_start(actor: Self, _: ActorRef<Self>) -> Result<Self, String> {
        Ok(actor)
    }

    async fn on_stop(&mut self, _: WeakActorRef<Self>, _: ActorStopReason) -> Result<(), String> {
        Err("could not flush the journal".to_owned())
    }
}

fn guardian_reporting_to(
    name: &'static str,
) -> (
    ActorRef<RootGuardian>,
    UnboundedReceiver<(&'static str, FailureInfo)>,
) {
    let (tx, rx) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = tx.send((name, info.clone()));
        });
    (RootGuardian::spawn_with_config(&config), rx)
}

/// Starts an actor and stops it, so that its failing `on_stop` calls the hook.
async fn run_a_failing_cleanup() {
    let actor = FailingCleanup::spawn(FailingCleanup);
    actor
        .stop_gracefully()
        .await
        .expect("the actor takes the stop");
    tokio::time::timeout(WAIT, actor.wait_for_shutdown())
        .await
        .expect("the actor stops within the wait");
}

#[tokio::test]
async fn the_error_hook_reports_to_the_last_guardian_installed() {
    let (first, mut first_reports) = guardian_reporting_to("first");
    let (second, mut second_reports) = guardian_reporting_to("second");

    install_error_hook(&first);
    run_a_failing_cleanup().await;
    let (to, failure) = next(&mut first_reports).await;
    assert_eq!(to, "first");
    assert_eq!(failure.actor, UNKNOWN_ACTOR);
    assert_eq!(failure.path, ActorPath::root());
    assert_eq!(failure.failure.description(), "could not flush the journal");
    assert_eq!(failure.metadata.get("kameo_reason"), Some("on_stop"));
    let stats = first.ask(GetStats).await.expect("the guardian answers");
    assert_eq!((stats.failures, stats.error_hook_reports), (0, 1));

    // A second system installs its guardian: from now on it receives every report.
    install_error_hook(&second);
    run_a_failing_cleanup().await;
    let (to, failure) = next(&mut second_reports).await;
    assert_eq!(to, "second");
    assert_eq!(failure.failure.description(), "could not flush the journal");
    assert!(
        first_reports.try_recv().is_err(),
        "the first guardian no longer receives"
    );

    // The registered guardian stops: its registration goes with it, and a report that
    // finds no guardian is counted, not lost silently.
    second
        .stop_gracefully()
        .await
        .expect("the guardian takes the stop");
    tokio::time::timeout(WAIT, second.wait_for_shutdown())
        .await
        .expect("the guardian stops");
    let dropped_before = error_hook_reports_dropped();
    run_a_failing_cleanup().await;
    assert_eq!(error_hook_reports_dropped(), dropped_before + 1);

    first
        .stop_gracefully()
        .await
        .expect("the guardian takes the stop");
    first.wait_for_shutdown().await;
}
