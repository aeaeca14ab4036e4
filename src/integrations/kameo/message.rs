//! What the root guardian answers.

use alloc::boxed::Box;

use ::kameo::error::Infallible;
use ::kameo::reply::{Reply, ReplyError};

use crate::escalation::EscalationStats;

/// Asks the guardian for its [`GuardianStats`]: `guardian.ask(GetStats).await`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetStats;

/// What the root guardian has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GuardianStats {
    /// Failures of linked actors the guardian passed to its sink (one per linked death
    /// with a `Panicked` or `LinkDied` reason).
    pub failures: u64,
    /// Errors kameo's actor error hook passed to the guardian (see
    /// [`install_error_hook`](super::install_error_hook)), each also passed to the sink.
    pub error_hook_reports: u64,
    /// Panics caught in the failing actors' errors: a `Debug` that panicked (the
    /// failure is still reported, described by
    /// [`UNPRINTABLE_ERROR`](super::UNPRINTABLE_ERROR)), or an error whose drop
    /// panicked.
    pub user_code_panics: u64,
    /// Of those, the panics whose payload could not be dropped either and was leaked
    /// (the rule of [`EscalationStats::panic_payloads_leaked`]).
    pub user_code_payloads_leaked: u64,
    /// What went wrong on the root path (panics in the hook, handler or listener, and
    /// dropped tags), from the sink's [`stats`](crate::RootEscalationSink::stats).
    pub escalation: EscalationStats,
}

impl Reply for GuardianStats {
    type Ok = Self;
    type Error = Infallible;
    type Value = Self;

    fn to_result(self) -> Result<Self, Infallible> {
        Ok(self)
    }

    fn into_any_err(self) -> Option<Box<dyn ReplyError>> {
        None
    }

    fn into_value(self) -> Self {
        self
    }
}
