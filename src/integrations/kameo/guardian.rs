//! The root guardian actor.

use core::fmt;
use core::ops::ControlFlow;

use ::kameo::actor::{Actor, ActorId as KameoId, ActorRef, Spawn, WeakActorRef};
use ::kameo::error::{ActorStopReason, Infallible};
use ::kameo::mailbox;
use ::kameo::message::{Context, Message};

use super::hook_target::unregister;
use super::link_death::failure_of_link_death;
use super::message::{GetStats, GuardianStats};
use crate::config::diagnostics::SinkReady;
use crate::config::{ActorRuntime, ActorSystemConfig, StdRuntime};
use crate::escalation::{EscalationSink, RootEscalationSink};
use crate::failure::FailureInfo;
use crate::integrations::user_code::UserCodeGuards;

/// The root of a kameo supervision tree: every failure that reaches it goes through its
/// [`RootEscalationSink`].
///
/// Spawn it first ([`spawn_with_config`](Self::spawn_with_config)), then spawn your
/// top-level actors linked to it (`Child::spawn_link(&guardian, args).await`, or
/// `guardian.link(&child).await`). kameo links are two-way: the guardian hears of
/// each linked actor's death through `on_link_died`.
///
/// What it does with each linked death (see the [module docs](super) for the path,
/// hops, description and tags):
///
/// - `Panicked` (a panic, or an error from a handler or hook) and `LinkDied` (an actor
///   that stopped because one of its own links died) become a [`FailureInfo`] and go
///   through the sink: telemetry hook, observation, handler, listener. The guardian
///   keeps running: unlike kameo's default `on_link_died`, it never stops because a
///   link died.
/// - `Normal`, `SupervisorRestart`, `Killed` are ignored: an actor stopped, restarted or
///   killed on purpose is not a failure.
///
/// A panic in the telemetry hook, the handler or the listener is caught by the sink and
/// counted ([`GuardianStats::escalation`]); the guardian keeps handling later failures.
///
/// Stopping the guardian: `stop_gracefully()` ends it with reason `Normal`, which
/// kameo's default `on_link_died` lets linked actors survive; `kill()` ends it with
/// `Killed`, which stops every linked actor that keeps kameo's default.
///
/// `R` is the runtime of the config the sink comes from ([`StdRuntime`] unless named);
/// failures are built directly in its tag storage. The sink's message type is `()`:
/// kameo has no single message type per system.
pub struct RootGuardian<R: ActorRuntime = StdRuntime> {
    sink: RootEscalationSink<(), R>,
    failures: u64,
    error_hook_reports: u64,
    user_code: UserCodeGuards,
}

impl<R: ActorRuntime> RootGuardian<R> {
    /// Spawns a guardian with a sink built from `config`, on the current tokio runtime.
    ///
    /// Its mailbox is unbounded, so the actor error hook (a plain `fn` that must not
    /// wait) can always hand it a report; the guardian's own traffic is one message per
    /// failure.
    ///
    /// # Panics
    /// Outside a tokio runtime, as every kameo spawn does.
    #[must_use]
    pub fn spawn_with_config<S: SinkReady>(config: &ActorSystemConfig<R, S>) -> ActorRef<Self> {
        Self::spawn_with_mailbox(config.root_escalation_sink(), mailbox::unbounded())
    }

    /// The guardian's counters.
    #[must_use]
    pub fn stats(&self) -> GuardianStats {
        GuardianStats {
            failures: self.failures,
            error_hook_reports: self.error_hook_reports,
            user_code_panics: self.user_code.panics,
            user_code_payloads_leaked: self.user_code.payloads_leaked,
            escalation: self.sink.stats(),
        }
    }

    /// The sink failures go through.
    #[must_use]
    pub fn sink(&self) -> &RootEscalationSink<(), R> {
        &self.sink
    }

    /// Passes one failure through the sink. The sink catches (with `std`) and counts
    /// panics in the hook, handler and listener, so nothing here can take the guardian
    /// down.
    fn report(&mut self, info: FailureInfo<R::Tags>) {
        // The root sink is the last stop and never gives a failure back; were one ever
        // returned, there would be nobody above the guardian to pass it to.
        let _ = self.sink.handle(info, false);
    }

    pub(crate) fn report_link_death(&mut self, info: FailureInfo<R::Tags>) {
        self.report(info);
        self.failures = self.failures.saturating_add(1);
    }

    /// The guards the guardian runs user code under (an error's `Debug`, drops).
    pub(crate) fn user_code(&mut self) -> &mut UserCodeGuards {
        &mut self.user_code
    }

    pub(crate) fn report_error_hook(&mut self, info: FailureInfo<R::Tags>) {
        self.report(info);
        self.error_hook_reports = self.error_hook_reports.saturating_add(1);
    }
}

impl<R: ActorRuntime> fmt::Debug for RootGuardian<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RootGuardian")
            .field("sink", &self.sink)
            .field("failures", &self.failures)
            .field("error_hook_reports", &self.error_hook_reports)
            .field("user_code", &self.user_code)
            .finish()
    }
}

impl<R: ActorRuntime> Actor for RootGuardian<R> {
    type Args = RootEscalationSink<(), R>;
    type Error = Infallible;

    fn name() -> &'static str {
        "RootGuardian"
    }

    async fn on_start(sink: Self::Args, _: ActorRef<Self>) -> Result<Self, Infallible> {
        Ok(Self {
            sink,
            failures: 0,
            error_hook_reports: 0,
            user_code: UserCodeGuards::default(),
        })
    }

    async fn on_link_died(
        &mut self,
        _: WeakActorRef<Self>,
        id: KameoId,
        reason: ActorStopReason,
    ) -> Result<ControlFlow<ActorStopReason>, Infallible> {
        if let Some(info) = failure_of_link_death::<R::Tags>(id, &reason, &mut self.user_code) {
            self.report_link_death(info);
        }
        // The reason may hold the last reference to the actor's error: its drop is
        // user code.
        self.user_code.drop_value(reason);
        Ok(ControlFlow::Continue(()))
    }

    async fn on_stop(
        &mut self,
        myself: WeakActorRef<Self>,
        _: ActorStopReason,
    ) -> Result<(), Infallible> {
        unregister(myself.id());
        Ok(())
    }
}

impl<R: ActorRuntime> Message<GetStats> for RootGuardian<R> {
    type Reply = GuardianStats;

    async fn handle(&mut self, _: GetStats, _: &mut Context<Self, GuardianStats>) -> GuardianStats {
        self.stats()
    }
}
