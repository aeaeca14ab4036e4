//! The root guardian actor.

use core::future::Future;
use core::marker::PhantomData;

use ::ractor::concurrency::JoinHandle;
use ::ractor::{Actor, ActorName, ActorProcessingErr, ActorRef, SpawnErr, SupervisionEvent};

use super::{GuardianMessage, GuardianState};
use crate::config::diagnostics::SinkReady;
use crate::config::{ActorRuntime, ActorSystemConfig, StdRuntime};
use crate::escalation::RootEscalationSink;

/// The root of a ractor supervision tree: every failure that reaches it goes through
/// its [`RootEscalationSink`].
///
/// Spawn it first ([`spawn_with_config`](Self::spawn_with_config), or
/// `Actor::spawn(name, RootGuardian::new(), config.root_escalation_sink())`), then spawn
/// your top-level actors linked to it (`Actor::spawn_linked(.., guardian.get_cell())`).
///
/// What it does with each supervision event:
///
/// - `ActorFailed(child, error)` becomes a [`FailureInfo`](crate::FailureInfo) (see the
///   [module docs](super) for the path, hops, description and tags) and goes through
///   the sink: telemetry hook, observation, handler, listener. The failed child is
///   already stopped (ractor stops an actor that fails); the guardian does not restart
///   it (restarting is the job of the supervisors below it) and keeps running.
/// - `ActorStarted` and `ActorTerminated` are ignored: a child that starts or stops
///   normally is not a failure. Unlike ractor's default supervisor, the guardian does
///   not stop when a child exits.
/// - Any other event (process groups) is ignored.
///
/// A panic in the telemetry hook, the handler or the listener is caught by the sink and
/// counted ([`GuardianStats::escalation`](super::GuardianStats::escalation)); the
/// guardian keeps handling later failures. Stopping the guardian stops the whole tree.
///
/// `R` is the runtime of the config the sink comes from ([`StdRuntime`] unless named);
/// its tag storage is the one failures have when they reach the sink.
pub struct RootGuardian<R: ActorRuntime = StdRuntime> {
    runtime: PhantomData<fn() -> R>,
}

impl<R: ActorRuntime> RootGuardian<R> {
    /// The guardian actor; spawn it with the sink as its argument.
    #[must_use]
    pub fn new() -> Self {
        Self {
            runtime: PhantomData,
        }
    }

    /// Spawns a guardian with a sink built from `config`. `name` is its ractor name
    /// (names are global to the process; `None` for an anonymous guardian).
    ///
    /// # Errors
    /// ractor's [`SpawnErr`], e.g. when `name` is already taken.
    pub fn spawn_with_config<S: SinkReady>(
        name: Option<ActorName>,
        config: &ActorSystemConfig<R, S>,
    ) -> impl Future<Output = Result<(ActorRef<GuardianMessage>, JoinHandle<()>), SpawnErr>>
    + Send
    + use<R, S> {
        Self::spawn(name, Self::new(), config.root_escalation_sink())
    }
}

impl<R: ActorRuntime> Default for RootGuardian<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: ActorRuntime> core::fmt::Debug for RootGuardian<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("RootGuardian")
    }
}

impl<R: ActorRuntime> Actor for RootGuardian<R> {
    type Msg = GuardianMessage;
    type State = GuardianState<R>;
    type Arguments = RootEscalationSink<GuardianMessage, R>;

    async fn pre_start(
        &self,
        _myself: ActorRef<GuardianMessage>,
        sink: Self::Arguments,
    ) -> Result<Self::State, ActorProcessingErr> {
        Ok(GuardianState::new(sink))
    }

    async fn handle(
        &self,
        _myself: ActorRef<GuardianMessage>,
        message: GuardianMessage,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            GuardianMessage::Stats(reply) => {
                // A caller that stopped waiting is not a failure of the guardian.
                let _ = reply.send(state.stats());
            }
        }
        Ok(())
    }

    async fn handle_supervisor_evt(
        &self,
        _myself: ActorRef<GuardianMessage>,
        event: SupervisionEvent,
        state: &mut Self::State,
    ) -> Result<(), ActorProcessingErr> {
        state.supervision_event(event);
        Ok(())
    }
}
