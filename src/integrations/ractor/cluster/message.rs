//! What the collector accepts, locally and from other nodes, and what it answers.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use ::ractor::message::{BoxedDowncastErr, SerializedMessage};
use ::ractor::{Message, RpcReplyPort};

use super::super::GuardianStats;

/// The `variant` name a forwarded failure travels under in ractor_cluster's frames.
pub(crate) const FORWARD_VARIANT: &str = "escalation_telemetry.forward";

/// The message type of [`ClusterRoot`](super::ClusterRoot).
///
/// Only [`Forward`](Self::Forward) crosses the wire (as a ractor_cluster call whose
/// arguments are a [`ForwardedFailure`](super::ForwardedFailure)'s encoded bytes);
/// every other variant is local to the collecting node.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClusterRootMessage {
    /// One encoded [`ForwardedFailure`](super::ForwardedFailure); the collector answers
    /// with an acknowledgement (accepted or rejected) on `reply`.
    Forward {
        /// The wire form.
        payload: Vec<u8>,
        /// Where the acknowledgement goes.
        reply: RpcReplyPort<Vec<u8>>,
    },
    /// A remote message this collector does not know (another variant name, or a cast
    /// where a call was expected): counted as rejected.
    Unrecognized {
        /// The variant name it arrived under.
        variant: String,
    },
    /// A node session on the collector's node closed before it authenticated (a wrong
    /// cookie, or a peer that is not a ractor_cluster node): counted as refused.
    SessionRefused {
        /// The peer's address.
        peer: String,
    },
    /// Replies with the collector's [`ClusterStats`].
    Stats(RpcReplyPort<ClusterStats>),
}

impl Message for ClusterRootMessage {
    fn serializable() -> bool {
        true
    }

    fn serialize(self) -> Result<SerializedMessage, BoxedDowncastErr> {
        match self {
            Self::Forward { payload, reply } => Ok(SerializedMessage::Call {
                variant: FORWARD_VARIANT.to_owned(),
                args: payload,
                reply,
                metadata: None,
            }),
            // The others are the collector's own business and never leave its node.
            _ => Err(BoxedDowncastErr),
        }
    }

    fn deserialize(message: SerializedMessage) -> Result<Self, BoxedDowncastErr> {
        match message {
            SerializedMessage::Call {
                variant,
                args,
                reply,
                ..
            } if variant == FORWARD_VARIANT => Ok(Self::Forward {
                payload: args,
                reply,
            }),
            // Anything else addressed to the collector is delivered as `Unrecognized`
            // rather than refused here, so that the collector counts it.
            SerializedMessage::Call { variant, .. } | SerializedMessage::Cast { variant, .. } => {
                Ok(Self::Unrecognized { variant })
            }
            SerializedMessage::CallReply(..) => Err(BoxedDowncastErr),
        }
    }
}

/// What a [`ClusterRoot`](super::ClusterRoot) has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ClusterStats {
    /// The collector's sink: every failure it reported (its own node's and forwarded
    /// ones) and what went wrong on its root path.
    pub guardian: GuardianStats,
    /// Forwarded failures accepted and reported.
    pub remote_failures: u64,
    /// Forwarded failures received again after a lost acknowledgement: acknowledged,
    /// not reported twice.
    pub duplicates: u64,
    /// Remote payloads rejected: undecodable bytes, an unknown wire version or
    /// variant, content no node could have sent.
    pub rejected: u64,
    /// Of the [`rejected`](Self::rejected) payloads, those written by a node on another
    /// version of the wire form ([`WIRE_VERSION`](super::WIRE_VERSION)): a node to
    /// upgrade (or a collector to), each also logged with both versions.
    pub rejected_versions: u64,
    /// Node sessions that closed before authenticating (wrong cookie).
    pub refused_sessions: u64,
    /// Failures the sending nodes' buffers dropped while this collector was
    /// unreachable, as they reported after reconnecting.
    pub dropped_by_nodes: u64,
}
