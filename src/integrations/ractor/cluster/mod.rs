//! Failures of a [ractor_cluster](https://docs.rs/ractor_cluster) reach one collecting
//! node (feature `cluster`).
//!
//! ractor carries no failure across nodes: a remote actor's panic is seen only by its
//! supervisor on its own node, and the other nodes' proxies only learn that the actor
//! terminated. So each node keeps its own root guardian and its own
//! [`RootEscalationSink`](crate::RootEscalationSink), and sends what reaches its root to
//! one collecting node:
//!
//! ```text
//!  node B (and C, ...)                                node A (collector)
//!  RootGuardian ─▶ sink ─▶ ForwardingTelemetry        ClusterRoot (pg group
//!                            │ (owned copy, bounded     │  "escalation-telemetry.cluster-root")
//!                            ▼  drop-oldest buffer)     ├─▶ its sink: hook, metrics,
//!                          Forwarder task ══ractor_cluster══▶   handler, listener
//!                            (in order, acked, resent)  └─ its own node's tree, linked below
//! ```
//!
//! - [`ClusterRoot`] is the collector: a root guardian for its own node that also takes
//!   [`ForwardedFailure`]s and passes them through the same sink, with the sending
//!   node's identity as a tag ([`NODE_TAG`]).
//! - [`ForwardingTelemetry`] is a sending node's telemetry hook; its [`Forwarder`] task
//!   finds the collector through ractor's process groups (which ractor_cluster shares
//!   between connected nodes) and delivers each failure with an acknowledged call.
//! - What crosses the wire is [`ForwardedFailure`]'s versioned protobuf form
//!   ([`WIRE_VERSION`]); [`ForwardedFailure::decode`] turns any other bytes into a
//!   [`WireError`].
//!
//! The guarantees, and the tests that hold them, are listed in `docs/cluster.md`; the
//! `cluster` example runs two nodes in one process.
//!
//! ```no_run
//! use escalation_telemetry::integrations::ractor::RootGuardian;
//! use escalation_telemetry::integrations::ractor::cluster::{
//!     ClusterRoot, ClusterRootOptions, ForwardingOptions, ForwardingTelemetry,
//! };
//! use escalation_telemetry::prelude::*;
//! use ractor::Actor;
//! use ractor_cluster::NodeServer;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // On the collecting node: its node server and the collector.
//! let (server_a, _) =
//!     Actor::spawn(None, NodeServer::new(4697, "cookie".into(), "a".into(), "host-a".into(), None, None), ())
//!         .await?;
//! let config_a = ActorSystemConfig::<StdRuntime>::new()
//!     .with_failure_telemetry(|_ctx| FailureTelemetryShared::from_fn(|s| println!("{s}")))
//!     .finalize();
//! let (collector, _) = ClusterRoot::spawn_with_config(
//!     None,
//!     &config_a,
//!     ClusterRootOptions::new().with_node_server(server_a),
//! )
//! .await?;
//!
//! // On every other node: forward what reaches its root.
//! let (server_b, _) =
//!     Actor::spawn(None, NodeServer::new(0, "cookie".into(), "b".into(), "host-b".into(), None, None), ())
//!         .await?;
//! ractor_cluster::client_connect(&server_b, "host-a:4697").await?;
//! let (forwarding, forwarder) = ForwardingTelemetry::spawn(server_b, ForwardingOptions::new("b"))?;
//! let config_b = ActorSystemConfig::<StdRuntime>::new()
//!     .with_failure_telemetry(move |_ctx| FailureTelemetryShared::new(forwarding.clone()))
//!     .finalize();
//! let (guardian_b, _) = RootGuardian::spawn_with_config(None, &config_b).await?;
//! // ... spawn node B's actors linked under guardian_b ...
//! # let _ = (collector, forwarder, guardian_b);
//! # Ok(())
//! # }
//! ```

mod bounds;
mod crash;
mod error;
mod hook;
mod listener;
mod message;
mod options;
mod outbox;
mod remote_failure;
mod root;
mod sender;
mod sessions;
mod state;
mod wire;

pub use bounds::{
    MAX_DESCRIPTION_BYTES, MAX_PAYLOAD_BYTES, MAX_TAG_KEY_BYTES, MAX_TAG_VALUE_BYTES,
};
pub use error::ForwardingError;
pub use hook::ForwardingTelemetry;
pub use listener::NodeListener;
pub use message::{ClusterRootMessage, ClusterStats};
pub use options::{ClusterRootOptions, DEFAULT_MAX_PENDING_BYTES, ForwardingOptions};
pub use outbox::ForwardingStats;
pub use root::{ClusterRoot, ClusterRootArguments};
pub use sender::Forwarder;
pub use state::ClusterRootState;
pub use wire::{ForwardedFailure, WIRE_VERSION, WireError};

/// The ractor process group the collector joins unless told otherwise.
pub const DEFAULT_GROUP: &str = "escalation-telemetry.cluster-root";

/// Key of the tag that names the node a forwarded failure comes from.
pub const NODE_TAG: &str = "node";

/// Key of the tag holding how many failures the sending node's buffer dropped (while
/// the collector was unreachable) that no collector had been told of yet: each drop is
/// reported once, across collector restarts.
pub const FORWARD_DROPPED_TAG: &str = "forward_dropped";

/// Key of the tag holding how many failures of this one's storm signature the sending
/// node suppressed since its last delivery (present when not 0).
pub const SUPPRESSED_TAG: &str = "suppressed";
