//! The root guardian's state: its sink and its count of reported failures.

use core::fmt;

use ::ractor::{ActorCell, ActorProcessingErr, SupervisionEvent};

use super::GuardianMessage;
use super::GuardianStats;
use super::child_failure::failure_of_child;
use super::storage::into_storage;
use crate::config::ActorRuntime;
use crate::escalation::{EscalationSink, RootEscalationSink};
use crate::failure::FailureInfo;
use crate::integrations::user_code::UserCodeGuards;

/// The state of a [`RootGuardian`](super::RootGuardian): the
/// [`RootEscalationSink`] every failure goes through, and counters.
pub struct GuardianState<R: ActorRuntime> {
    sink: RootEscalationSink<GuardianMessage, R>,
    failures: u64,
    user_code: UserCodeGuards,
}

impl<R: ActorRuntime> GuardianState<R> {
    pub(crate) fn new(sink: RootEscalationSink<GuardianMessage, R>) -> Self {
        Self {
            sink,
            failures: 0,
            user_code: UserCodeGuards::default(),
        }
    }

    /// Handles one supervision event: a failed child's failure goes through the sink;
    /// every other event is dropped under a panic guard (a terminated child's state is
    /// user code too).
    pub(crate) fn supervision_event(&mut self, event: SupervisionEvent) {
        match event {
            SupervisionEvent::ActorFailed(child, error) => self.report_child(&child, error),
            other => self.user_code.drop_value(other),
        }
    }

    /// Passes the failure of `child` through the sink; the error's `Display`,
    /// `source()` and drop run guarded (see `failure_of_child`).
    pub(crate) fn report_child(&mut self, child: &ActorCell, error: ActorProcessingErr) {
        let info = failure_of_child(child, error, &mut self.user_code);
        self.report(info);
    }

    /// Passes one failure through the sink. The sink catches (with `std`) and counts
    /// panics in the hook, handler and listener, so nothing here can take the guardian
    /// down.
    pub(crate) fn report(&mut self, info: FailureInfo) {
        // The root sink is the last stop and never gives a failure back; were one ever
        // returned, there would be nobody above the guardian to pass it to.
        let _ = self.sink.handle(into_storage::<R::Tags>(info), false);
        self.failures = self.failures.saturating_add(1);
    }

    /// The guardian's counters.
    #[must_use]
    pub fn stats(&self) -> GuardianStats {
        GuardianStats {
            failures: self.failures,
            user_code_panics: self.user_code.panics,
            user_code_payloads_leaked: self.user_code.payloads_leaked,
            escalation: self.sink.stats(),
        }
    }

    /// The sink failures go through.
    #[must_use]
    pub fn sink(&self) -> &RootEscalationSink<GuardianMessage, R> {
        &self.sink
    }
}

impl<R: ActorRuntime> fmt::Debug for GuardianState<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardianState")
            .field("sink", &self.sink)
            .field("failures", &self.failures)
            .field("user_code", &self.user_code)
            .finish()
    }
}
