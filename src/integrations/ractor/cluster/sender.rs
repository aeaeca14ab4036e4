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
    NODE_TAG,
};
use crate::tags::TelemetryTag;
use crate::telemetry::OwnedFailureSnapshot;

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
    let node_tag = TelemetryTag::new(NODE_TAG, options.node.clone());
    let mut sequence = 0_u64;
    let mut in_hand: Option<ForwardedFailure> = None;
    loop {
        let forwarded = match in_hand.as_mut() {
            Some(forwarded) => forwarded,
            None => match shared.queue.pop() {
                Some(snapshot) => {
                    sequence = sequence.saturating_add(1);
                    shared.sending.store(true, Ordering::Release);
                    in_hand.insert(ForwardedFailure {
                        node: options.node.clone(),
                        incarnation,
                        sequence,
                        system_tags: system_tags_of(&node_tag, &snapshot),
                        snapshot,
                        dropped_before: 0,
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
        forwarded.dropped_before = shared.dropped.load(Ordering::Relaxed);
        let payload = forwarded.encode();
        let attempt = tokio::select! {
            attempt = deliver(&node_server, &options, payload) => attempt,
            () = shutdown.notified() => return,
        };
        match attempt {
            Attempt::Accepted => {
                shared.delivered.fetch_add(1, Ordering::Relaxed);
            }
            Attempt::Rejected => {
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

/// The node's system tags as they travel: its identity first (the forwarding options'
/// node name wins over a system tag of the same key, so the key is never repeated),
/// then the system tags the node's config gave the failure.
fn system_tags_of(node_tag: &TelemetryTag, snapshot: &OwnedFailureSnapshot) -> Vec<TelemetryTag> {
    core::iter::once(node_tag.clone())
        .chain(
            snapshot
                .system_tags()
                .iter()
                .filter(|tag| tag.key != node_tag.key)
                .cloned(),
        )
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
