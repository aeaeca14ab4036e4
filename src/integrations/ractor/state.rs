//! The root guardian's state: its sink and its count of reported failures.

use core::fmt;

use super::GuardianMessage;
use super::GuardianStats;
use super::storage::into_storage;
use crate::config::ActorRuntime;
use crate::escalation::{EscalationSink, RootEscalationSink};
use crate::failure::FailureInfo;

/// The state of a [`RootGuardian`](super::RootGuardian): the
/// [`RootEscalationSink`] every failure goes through, and counters.
pub struct GuardianState<R: ActorRuntime> {
    sink: RootEscalationSink<GuardianMessage, R>,
    failures: u64,
}

impl<R: ActorRuntime> GuardianState<R> {
    pub(crate) fn new(sink: RootEscalationSink<GuardianMessage, R>) -> Self {
        Self { sink, failures: 0 }
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
            .finish()
    }
}
