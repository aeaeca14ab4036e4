//! The collecting node's actor.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;

use core::future::Future;
use core::marker::PhantomData;

use ::ractor::concurrency::JoinHandle;
use ::ractor::{Actor, ActorName, ActorProcessingErr, ActorRef, SpawnErr, SupervisionEvent};
use ractor_cluster::NodeServerMessage;

use super::super::{GuardianMessage, GuardianState};
use super::sessions::RefusalWatch;
use super::{ClusterRootMessage, ClusterRootOptions, ClusterRootState};
use crate::config::diagnostics::SinkReady;
use crate::config::{ActorRuntime, ActorSystemConfig, StdRuntime};
use crate::escalation::RootEscalationSink;

/// The collecting node's root: a [`RootGuardian`](super::super::RootGuardian) for its
/// own node's tree that also takes the failures other nodes forward.
///
/// - Its own node's actors are spawned linked under it, as under a `RootGuardian`;
///   their failures go through its sink unchanged.
/// - It joins the ractor process group of its options
///   ([`DEFAULT_GROUP`](super::DEFAULT_GROUP) unless set), which ractor_cluster shares
///   with every connected node: that is how the nodes'
///   [`ForwardingTelemetry`](super::ForwardingTelemetry) find it.
/// - Each [`ClusterRootMessage::Forward`] is decoded, checked and, unless it repeats a
///   failure already reported, goes through the same sink (telemetry hook,
///   observation and metrics, handler, listener) with the sending node's system tags;
///   the sender gets an acknowledgement either way. Undecodable payloads and unknown
///   variants are rejected, logged and counted in [`ClusterStats`](super::ClusterStats),
///   never a panic.
/// - Given its node server ([`ClusterRootOptions::with_node_server`]), it counts (and
///   logs) the node sessions that close before authenticating: a node with the wrong
///   cookie.
pub struct ClusterRoot<R: ActorRuntime = StdRuntime> {
    runtime: PhantomData<fn() -> R>,
}

/// What [`ClusterRoot`] is spawned with.
pub type ClusterRootArguments<R> = (RootEscalationSink<GuardianMessage, R>, ClusterRootOptions);

impl<R: ActorRuntime> ClusterRoot<R> {
    /// The collector actor; spawn it with a sink and its options.
    #[must_use]
    pub fn new() -> Self {
        Self {
            runtime: PhantomData,
        }
    }

    /// Spawns a collector with a sink built from `config`.
    ///
    /// # Errors
    /// ractor's [`SpawnErr`], e.g. when `name` is already taken.
    pub fn spawn_with_config<S: SinkReady>(
        name: Option<ActorName>,
        config: &ActorSystemConfig<R, S>,
        options: ClusterRootOptions,
    ) -> impl Future<Output = Result<(ActorRef<ClusterRootMessage>, JoinHandle<()>), SpawnErr>>
    + Send
    + use<R, S> {
        Self::spawn(name, Self::new(), (config.root_escalation_sink(), options))
    }
}

impl<R: ActorRuntime> Default for ClusterRoot<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: ActorRuntime> core::fmt::Debug for ClusterRoot<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ClusterRoot")
    }
}

/// The id of the collector's node-event subscription (one per collector actor).
fn subscription_id(myself: &ActorRef<ClusterRootMessage>) -> String {
    format!("escalation-telemetry.cluster-root.{}", myself.get_id())
}

impl<R: ActorRuntime> Actor for ClusterRoot<R> {
    type Msg = ClusterRootMessage;
    type State = ClusterRootState<R>;
    type Arguments = ClusterRootArguments<R>;

    async fn pre_start(
        &self,
        myself: ActorRef<ClusterRootMessage>,
        (sink, options): Self::Arguments,
    ) -> Result<Self::State, ActorProcessingErr> {
        ::ractor::pg::join(options.group.clone(), vec![myself.get_cell()]);
        if let Some(server) = &options.node_server {
            server.cast(NodeServerMessage::SubscribeToEvents {
                id: subscription_id(&myself),
                subscription: Box::new(RefusalWatch::new(myself.clone())),
            })?;
        }
        Ok(ClusterRootState::new(
            GuardianState::new(sink),
            options.node_server,
        ))
    }

    async fn post_stop(
        &self,
        myself: ActorRef<ClusterRootMessage>,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        if let Some(server) = state.node_server() {
            // A node server that is gone has no subscription left to remove.
            let _ = server.cast(NodeServerMessage::UnsubscribeToEvents(subscription_id(
                &myself,
            )));
        }
        Ok(())
    }

    async fn handle(
        &self,
        _myself: ActorRef<ClusterRootMessage>,
        message: ClusterRootMessage,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            ClusterRootMessage::Forward { payload, reply } => {
                let ack = state.accept(&payload);
                // A sender that stopped waiting sends the failure again; its sequence
                // number keeps it from being reported twice.
                let _ = reply.send(ack.encode());
            }
            ClusterRootMessage::Unrecognized { variant } => state.reject_variant(&variant),
            ClusterRootMessage::SessionRefused { .. } => state.session_refused(),
            ClusterRootMessage::Stats(reply) => {
                let _ = reply.send(state.stats());
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _myself: ActorRef<ClusterRootMessage>,
        event: SupervisionEvent,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        state.guardian_mut().supervision_event(event);
        Ok(())
    }
}
