//! What the root guardian accepts, and what it answers.

use ::ractor::RpcReplyPort;

use crate::escalation::EscalationStats;

/// The root guardian's message type.
///
/// ```no_run
/// # async fn example(guardian: ractor::ActorRef<escalation_telemetry::integrations::ractor::GuardianMessage>)
/// # -> Result<(), Box<dyn std::error::Error>> {
/// use escalation_telemetry::integrations::ractor::GuardianMessage;
///
/// let stats = ractor::call!(guardian, GuardianMessage::Stats)?;
/// println!("{} failures reported", stats.failures);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum GuardianMessage {
    /// Replies with the guardian's [`GuardianStats`].
    Stats(RpcReplyPort<GuardianStats>),
}

// With ractor's `cluster` feature (unified into every build that uses ractor_cluster)
// ractor drops its blanket `Message` impl; the guardian's messages stay local, so the
// trait's defaults (not serializable) are right.
#[cfg(feature = "cluster")]
impl ::ractor::Message for GuardianMessage {}

/// What the root guardian has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GuardianStats {
    /// Failures the guardian passed to its sink (one per `ActorFailed` it received).
    pub failures: u64,
    /// Panics caught in the children's errors: a `Display` or `source()` that panicked
    /// (the failure is still reported, described by
    /// [`UNPRINTABLE_ERROR`](super::UNPRINTABLE_ERROR)), an error or a terminated
    /// child's state whose drop panicked. Counted by the guardian and by every
    /// [`EscalatedFailure`](super::EscalatedFailure) on the way up.
    pub user_code_panics: u64,
    /// Of those, the panics whose payload could not be dropped either and was leaked
    /// (the rule of [`EscalationStats::panic_payloads_leaked`]).
    pub user_code_payloads_leaked: u64,
    /// What went wrong on the root path (panics in the hook, handler or listener, and
    /// dropped tags), from the sink's [`stats`](crate::RootEscalationSink::stats).
    pub escalation: EscalationStats,
}
