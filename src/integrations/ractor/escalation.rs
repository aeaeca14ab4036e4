//! How an intermediate supervisor passes a child's failure up to the root guardian.

use core::fmt;

use ::ractor::{ActorProcessingErr, SupervisionEvent};

use crate::failure::FailureInfo;
use crate::integrations::user_code::UserCodeGuards;
use crate::tags::{TelemetryKey, TelemetryValue};

/// A child's failure on its way up the tree: the error an intermediate supervisor
/// returns from `handle_supervisor_evt` to escalate it.
///
/// Returning an error from `handle_supervisor_evt` is ractor's own escalation: the
/// supervisor stops (its remaining children are stopped with it) and its supervisor
/// receives `SupervisionEvent::ActorFailed(supervisor, error)`. `EscalatedFailure` makes
/// that error carry the original failure, so the root guardian reports the actor that
/// actually failed rather than the supervisor that gave up:
///
/// - the actor and description stay those of the failing actor;
/// - the path grows by one segment per supervisor on the way (each receiver puts the
///   id of the child that reported in front), so at the guardian it is the full path
///   below the guardian;
/// - the hop count grows by one per supervisor that escalates (a failure the guardian
///   receives straight from its own child has 0 hops);
/// - tags are kept, and each supervisor may add its own ([`with_tag`](Self::with_tag)).
///
/// [`escalate`] is the one-line form for a supervisor that escalates every failure;
/// build an `EscalatedFailure` yourself to handle some failures locally (restart a
/// worker) and escalate the rest, or to add tags:
///
/// ```
/// use escalation_telemetry::integrations::ractor::EscalatedFailure;
/// use escalation_telemetry::key;
/// use ractor::{Actor, ActorProcessingErr, ActorRef, SupervisionEvent};
///
/// struct Shard;
///
/// impl Actor for Shard {
///     type Msg = ();
///     type State = ();
///     type Arguments = ();
///
///     async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> {
///         Ok(())
///     }
///
///     async fn handle_supervisor_evt(
///         &self,
///         _myself: ActorRef<()>,
///         event: SupervisionEvent,
///         _state: &mut (),
///     ) -> Result<(), ActorProcessingErr> {
///         match event {
///             SupervisionEvent::ActorFailed(child, error) => {
///                 Err(EscalatedFailure::from_child(&child, error).with_tag(key!("shard"), "eu-1").into())
///             }
///             _ => Ok(()),
///         }
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EscalatedFailure {
    info: FailureInfo,
    /// What the panic guards caught on the way up (an error's `Display` or drop), for
    /// the guardian's stats.
    guards: UserCodeGuards,
}

impl EscalatedFailure {
    /// The failure, as it goes one hop further up (`from_child`, in `child_failure.rs`,
    /// makes it: that file reads an escalated failure back, so it holds both).
    /// `guards` are the counts of the panic guards on its way up so far.
    pub(crate) fn from_info(info: FailureInfo, guards: UserCodeGuards) -> Self {
        Self { info, guards }
    }

    /// The failure and the counts of the guards on its way up.
    pub(crate) fn into_parts(self) -> (FailureInfo, UserCodeGuards) {
        (self.info, self.guards)
    }

    /// Adds a tag; a key already present gets the new value.
    #[must_use]
    pub fn with_tag(
        mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Self {
        self.info.metadata = self.info.metadata.with_tag(key, value);
        self
    }

    /// The failure so far. Its path is relative to the supervisor that escalated it
    /// last; the guardian completes it.
    #[must_use]
    pub fn info(&self) -> &FailureInfo {
        &self.info
    }

    /// Takes the failure out.
    #[must_use]
    pub fn into_info(self) -> FailureInfo {
        self.info
    }
}

impl fmt::Display for EscalatedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "escalated failure of actor {} ({} hops): {}",
            self.info.actor,
            self.info.stage.hops(),
            self.info.failure
        )
    }
}

impl core::error::Error for EscalatedFailure {}

/// Escalates every child failure: the body of `handle_supervisor_evt` for a supervisor
/// that handles none itself.
///
/// `ActorFailed(child, error)` becomes `Err(`[`EscalatedFailure`]`)`, so the supervisor
/// fails and its supervisor receives the original failure one hop further. Every other
/// event gives `Ok(())`: a child that stops normally is not a failure and the supervisor
/// keeps running (ractor's default would stop it).
///
/// ```
/// # use ractor::{ActorProcessingErr, ActorRef, SupervisionEvent};
/// # struct Team;
/// # impl ractor::Actor for Team {
/// #     type Msg = ();
/// #     type State = ();
/// #     type Arguments = ();
/// #     async fn pre_start(&self, _: ActorRef<()>, _: ()) -> Result<(), ActorProcessingErr> { Ok(()) }
/// async fn handle_supervisor_evt(
///     &self,
///     _myself: ActorRef<()>,
///     event: SupervisionEvent,
///     _state: &mut (),
/// ) -> Result<(), ActorProcessingErr> {
///     escalation_telemetry::integrations::ractor::escalate(event)
/// }
/// # }
/// ```
///
/// # Errors
/// The [`EscalatedFailure`] of a failed child, boxed as ractor's error type.
pub fn escalate(event: SupervisionEvent) -> Result<(), ActorProcessingErr> {
    match event {
        SupervisionEvent::ActorFailed(child, error) => {
            Err(EscalatedFailure::from_child(&child, error).into())
        }
        _ => Ok(()),
    }
}
