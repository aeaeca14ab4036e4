//! What kind of failure: a panic, an error, or a message.

/// What kind of failure an [`ActorFailure`](crate::ActorFailure) is: something to group
/// and alert on. Set by the constructor that made it.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// assert_eq!(ActorFailure::from_message("boom").kind(), FailureKind::Message);
/// let error = std::io::Error::other("disk full");
/// assert_eq!(ActorFailure::from_error(&error).kind(), FailureKind::Error);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FailureKind {
    /// A caught panic ([`ActorFailure::from_panic_payload`](crate::ActorFailure::from_panic_payload)).
    Panic,
    /// An error value ([`ActorFailure::from_error`](crate::ActorFailure::from_error)).
    Error,
    /// A failure described by a string
    /// ([`ActorFailure::from_message`](crate::ActorFailure::from_message)).
    #[default]
    Message,
}

impl FailureKind {
    /// `"panic"`, `"error"` or `"message"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Panic => "panic",
            Self::Error => "error",
            Self::Message => "message",
        }
    }
}

impl core::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}
