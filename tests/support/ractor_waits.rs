//! Bounded waits on ractor actors stopping, shared by the ractor guardian tests. Each
//! includes it as `mod support { pub(crate) mod guardian; pub(crate) mod ractor_waits; }`
//! (it uses `guardian::WAIT`).
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use escalation_telemetry::integrations::ractor::GuardianMessage;
use ractor::ActorRef;
use ractor::concurrency::JoinHandle;

use super::guardian::WAIT;

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
