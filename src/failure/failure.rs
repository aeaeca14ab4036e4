//! The failure payload.

use alloc::borrow::Cow;
use core::fmt;

/// What went wrong: the failure an actor reported (an error message or a panic payload).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActorFailure {
    message: Cow<'static, str>,
}

impl ActorFailure {
    /// A failure described by a message. A `&'static str` is stored without allocating.
    #[must_use]
    pub fn from_message(message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// A failure from an error, described by its `Display` output.
    #[must_use]
    pub fn from_error(error: &(dyn core::error::Error + 'static)) -> Self {
        Self::from_message(alloc::string::ToString::to_string(error))
    }

    /// A failure from a caught panic payload: the panic message when it is a string,
    /// otherwise `"panic with a non-string payload"`.
    #[must_use]
    pub fn from_panic_payload(payload: &(dyn core::any::Any + Send)) -> Self {
        if let Some(message) = payload.downcast_ref::<&'static str>() {
            Self::from_message(*message)
        } else if let Some(message) = payload.downcast_ref::<alloc::string::String>() {
            Self::from_message(message.clone())
        } else {
            Self::from_message("panic with a non-string payload")
        }
    }

    /// The description telemetry reports.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ActorFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
