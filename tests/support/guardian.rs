//! What the actor-framework guardian tests (ractor, kameo) share: a config whose sink
//! records what reaches it, and bounded waits on what was recorded. Each test includes
//! it as `mod support { pub(crate) mod guardian; }`.
#![allow(
    dead_code,
    reason = "each test binary uses a different part of these helpers"
)]

use std::time::Duration;

use escalation_telemetry::prelude::*;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

/// How long any single wait may take before the test fails (never reached when the
/// code works: every wait is on a channel, a join handle or an actor's shutdown).
pub(crate) const WAIT: Duration = Duration::from_secs(10);

/// What reached the sink: the telemetry hook's lines and the handler's failures.
pub(crate) struct Recorded {
    pub(crate) lines: UnboundedReceiver<String>,
    pub(crate) failures: UnboundedReceiver<FailureInfo>,
}

/// A finalized config whose telemetry hook sends each snapshot's line, and whose
/// failure event handler sends each failure, to the returned receivers.
pub(crate) fn recording_config() -> (ActorSystemConfig<StdRuntime, Finalized>, Recorded) {
    let (line_tx, lines) = unbounded_channel();
    let (failure_tx, failures) = unbounded_channel();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(move |_ctx| {
            let line_tx = line_tx.clone();
            FailureTelemetryShared::from_fn(move |snapshot| {
                let _ = line_tx.send(snapshot.to_string());
            })
        })
        .finalize()
        .with_failure_event_handler(move |info| {
            let _ = failure_tx.send(info.clone());
        });
    (config, Recorded { lines, failures })
}

/// The next recorded item, within [`WAIT`].
pub(crate) async fn next<T>(receiver: &mut UnboundedReceiver<T>) -> T {
    tokio::time::timeout(WAIT, receiver.recv())
        .await
        .expect("the guardian reports within the wait")
        .expect("the recording channel stays open")
}

/// Asserts who failed, where, after how many hops, and why.
#[track_caller]
pub(crate) fn assert_failure(
    failure: &FailureInfo,
    actor: ActorId,
    path: &[ActorId],
    hops: u8,
    description: &str,
) {
    assert_eq!(failure.actor, actor, "the failing actor");
    assert_eq!(failure.path.segments(), path, "the path below the guardian");
    assert_eq!(failure.stage.hops(), hops, "the hops");
    assert_eq!(
        failure.failure.description(),
        description,
        "the description"
    );
}
