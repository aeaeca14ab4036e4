//! What the ractor guardian tests share: an escalating supervisor and bounded waits on
//! actors stopping. Included as `mod support { pub(crate) mod guardian; pub(crate) mod
//! ractor_tree; }` (it uses `guardian::WAIT`).
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use escalation_telemetry::integrations::ractor::{EscalatedFailure, GuardianMessage, escalate};
use ractor::concurrency::JoinHandle;
use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};

use super::guardian::WAIT;

/// An intermediate supervisor that escalates every child failure, optionally adding a
/// tag on the way.
pub(crate) struct Escalator {
    pub(crate) tag: Option<(&'static str, &'static str)>,
}

impl Actor for Escalator {
    type Msg = ();
    type State = ();
    type Arguments = ();

    async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _: ActorRef<()>,
        event: SupervisionEvent,
        _: &mut (),
    ) -> Result<(), ActorProcessingErr> {
        match (self.tag, event) {
            (Some((key, value)), SupervisionEvent::ActorFailed(child, error)) => {
                Err(EscalatedFailure::from_child(&child, error)
                    .with_tag(key, value)
                    .into())
            }
            (_, event) => escalate(event),
        }
    }
}

/// Waits, within [`WAIT`], for an actor's task to end cleanly.
pub(crate) async fn stopped(handle: JoinHandle<()>) {
    tokio::time::timeout(WAIT, handle)
        .await
        .expect("the actor stops within the wait")
        .expect("the actor task ends cleanly");
}

/// Stops the guardian (and so its tree) and waits for it.
pub(crate) async fn shut_down(guardian: ActorRef<GuardianMessage>, handle: JoinHandle<()>) {
    guardian
        .stop_and_wait(None, Some(WAIT))
        .await
        .expect("the guardian stops");
    stopped(handle).await;
}
