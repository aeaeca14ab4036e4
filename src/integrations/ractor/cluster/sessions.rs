//! Watching the collector's node server for sessions it refused.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use ::ractor::{ActorId, ActorRef};
use ractor_cluster::NodeEventSubscription;
use ractor_cluster::node::NodeServerSessionInformation;

use super::ClusterRootMessage;

/// Tells the collector about every node session that closed before it authenticated.
///
/// ractor_cluster checks the cookie while a session authenticates and closes the
/// session when the check fails; it logs that at debug level only and tells nobody
/// else. A session that closes without having authenticated is therefore the visible
/// trace of a refusal.
pub(crate) struct RefusalWatch {
    root: ActorRef<ClusterRootMessage>,
    authenticated: Mutex<HashSet<ActorId>>,
}

impl RefusalWatch {
    pub(crate) fn new(root: ActorRef<ClusterRootMessage>) -> Self {
        Self {
            root,
            authenticated: Mutex::new(HashSet::new()),
        }
    }
}

impl NodeEventSubscription for RefusalWatch {
    fn node_session_opened(&self, _session: NodeServerSessionInformation) {}

    fn node_session_authenticated(&self, session: NodeServerSessionInformation) {
        // A poisoned set only means another callback panicked mid-insert; the set is
        // still usable.
        self.authenticated
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(session.actor.get_id());
    }

    fn node_session_disconnected(&self, session: NodeServerSessionInformation) {
        let was_authenticated = self
            .authenticated
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&session.actor.get_id());
        if !was_authenticated {
            tracing::warn!(
                peer = %session.peer_addr,
                "escalation-telemetry: node session refused before authentication (wrong cookie?)"
            );
            // A collector that is already stopping has nobody left to count it.
            let _ = self.root.cast(ClusterRootMessage::SessionRefused {
                peer: session.peer_addr,
            });
        }
    }
}
