//! The task that does the network work of a forwarding node.

use alloc::vec::Vec;

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use ::ractor::rpc::CallResult;
use ::ractor::{ActorCell, ActorRef};
use ractor_cluster::NodeServerMessage;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::outbox::ForwardingShared;
use super::wire::Ack;
use super::{
    ClusterRootMessage, ForwardedFailure, ForwardingError, ForwardingOptions, ForwardingStats,
    MAX_PAYLOAD_BYTES, NODE_TAG,
};
use crate::tags::TelemetryTag;

/// The running forwarder task of a [`ForwardingTelemetry`](super::ForwardingTelemetry).
///
/// It runs until [`stop`](Self::stop), until it is dropped, or until the runtime shuts
/// down: keep it as long as the node forwards. Failures still waiting when it stops
/// are not sent.
#[derive(Debug)]
#[must_use = "dropping the Forwarder stops forwarding"]
pub struct Forwarder {
    shared: Arc<ForwardingShared>,
    shutdown: Arc<Notify>,
    task: Option<JoinHandle<()>>,
}

impl Forwarder {
    /// The forwarding counters (the same as the hook's).
    #[must_use]
    pub fn stats(&self) -> ForwardingStats {
        self.shared.stats()
    }

    /// Stops the task: an attempt in progress is abandoned, and the task has ended when
    /// this returns.
    pub async fn stop(mut self) {
        self.shutdown.notify_one();
        if let Some(task) = self.task.take() {
            // The task only ends by returning; a join error would be its panic, which
            // its code does not raise, or a cancelled runtime, with nothing left to do.
            let _ = task.await;
        }
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

impl core::fmt::Debug for ForwardingShared {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.stats(), f)
    }
}

pub(crate) fn spawn(
    shared: Arc<ForwardingShared>,
    node_server: ActorRef<NodeServerMessage>,
    options: ForwardingOptions,
) -> Result<Forwarder, ForwardingError> {
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| ForwardingError::NoRuntime)?;
    let shutdown = Arc::new(Notify::new());
    let task = runtime.spawn(run(
        Arc::clone(&shared),
        node_server,
        options,
        Arc::clone(&shutdown),
    ));
    Ok(Forwarder {
        shared,
        shutdown,
        task: Some(task),
    })
}

/// What one attempt to deliver a failure came to.
enum Attempt {
    Accepted,
    Rejected,
    Failed,
}

async fn run(
    shared: Arc<ForwardingShared>,
    node_server: ActorRef<NodeServerMessage>,
    options: ForwardingOptions,
    shutdown: Arc<Notify>,
) {
    let incarnation = RandomState::new().hash_one(std::process::id());
    let mut sequence = 0_u64;
    // Drops some collector has accepted a failure carrying the count of: a collector is
    // told only the drops no collector was told before, so a restarted (or another)
    // collector never hears of the same drop twice.
    let mut drops_told = 0_u64;
    let mut in_hand: Option<ForwardedFailure> = None;
    loop {
        let forwarded = match in_hand.as_mut() {
            Some(forwarded) => forwarded,
            None => match shared.pop() {
                Some(failure) => {
                    sequence = sequence.saturating_add(1);
                    shared.sending.store(true, Ordering::Release);
                    // Fixed for every attempt of this failure: a resend the collector
                    // counts as a duplicate must not carry drops it has not been told of.
                    let forward_dropped = shared
                        .dropped
                        .load(Ordering::Relaxed)
                        .saturating_sub(drops_told);
                    in_hand.insert(ForwardedFailure {
                        node: options.node.clone(),
                        incarnation,
                        sequence,
                        system_tags: system_tags_of(failure.system_tags()),
                        snapshot: failure.snapshot,
                        forward_dropped,
                    })
                }
                None => {
                    tokio::select! {
                        () = shared.wake.notified() => continue,
                        () = shutdown.notified() => return,
                    }
                }
            },
        };
        let payload = forwarded.encode();
        if payload.len() > MAX_PAYLOAD_BYTES {
            // Still too large after the hook's cut (a path of about a million
            // segments): sending it would tear the session down on every try.
            tracing::warn!(
                sequence = forwarded.sequence,
                bytes = payload.len(),
                "escalation-telemetry: refused to forward a failure too large for the wire"
            );
            shared.oversized.fetch_add(1, Ordering::Relaxed);
            in_hand = None;
            shared.sending.store(false, Ordering::Release);
            continue;
        }
        let attempt = tokio::select! {
            attempt = deliver(&node_server, &options, payload) => attempt,
            () = shutdown.notified() => return,
        };
        match attempt {
            Attempt::Accepted => {
                drops_told = drops_told.saturating_add(forwarded.forward_dropped);
                shared.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Attempt::Rejected => {
                // The collector reported nothing: its drop count goes with the next one.
                tracing::warn!(
                    sequence = forwarded.sequence,
                    "escalation-telemetry: the collector rejected a forwarded failure"
                );
                shared.rejected.fetch_add(1, Ordering::Relaxed);
            }
            Attempt::Failed => {
                shared.failed_attempts.fetch_add(1, Ordering::Relaxed);
                // A pause before looking again, not a synchronisation: the collector
                // may come back at any time.
                if tokio::time::timeout(options.retry_interval, shutdown.notified())
                    .await
                    .is_ok()
                {
                    return;
                }
                continue;
            }
        }
        in_hand = None;
        shared.sending.store(false, Ordering::Release);
    }
}

/// The node's system tags as they travel: those the node's config gave the failure,
/// but a `node` tag (the node's identity travels in its own field, and the forwarding
/// options' node name wins over the config's).
fn system_tags_of(system_tags: &[TelemetryTag]) -> Vec<TelemetryTag> {
    system_tags
        .iter()
        .filter(|tag| tag.key != NODE_TAG)
        .cloned()
        .collect()
}

/// One attempt: find the collector, send the payload, read the acknowledgement.
async fn deliver(
    node_server: &ActorRef<NodeServerMessage>,
    options: &ForwardingOptions,
    payload: Vec<u8>,
) -> Attempt {
    let Some(collector) = find_collector(node_server, options).await else {
        return Attempt::Failed;
    };
    let answer = collector
        .call(
            |reply| ClusterRootMessage::Forward { payload, reply },
            Some(options.ack_timeout),
        )
        .await;
    match answer {
        Ok(CallResult::Success(bytes)) => match Ack::decode(&bytes) {
            Some(ack) if ack.accepted => Attempt::Accepted,
            Some(_) => Attempt::Rejected,
            // An answer that is not an acknowledgement proves nothing: send again.
            None => Attempt::Failed,
        },
        _ => Attempt::Failed,
    }
}

/// The collector as seen through this node's own sessions: a member of the group that
/// is a remote actor one of this node server's sessions imported. Looking through the
/// sessions (rather than taking any remote member of the group) keeps each node on
/// its own connection when several nodes share one process, as in tests.
async fn find_collector(
    node_server: &ActorRef<NodeServerMessage>,
    options: &ForwardingOptions,
) -> Option<ActorRef<ClusterRootMessage>> {
    let timeout_ms = u64::try_from(options.ack_timeout.as_millis()).unwrap_or(u64::MAX);
    let sessions =
        ::ractor::call_t!(node_server, NodeServerMessage::GetSessions, timeout_ms).ok()?;
    let members: Vec<ActorCell> = ::ractor::pg::get_members(&options.group)
        .into_iter()
        .filter(|member| !member.get_id().is_local())
        .collect();
    let mut sessions: Vec<_> = sessions.into_values().collect();
    sessions.sort_by_key(|session| session.node_id);
    // The session's own proxy is the one returned: in one process, proxies that
    // different nodes' sessions made for the same collector can share an id.
    sessions.iter().find_map(|session| {
        session
            .actor
            .get_cell()
            .get_children()
            .into_iter()
            .find(|cell| {
                members
                    .iter()
                    .any(|member| member.get_id() == cell.get_id())
            })
            .map(ActorRef::from)
    })
}
