//! The escalation sink trait.

use crate::failure::FailureInfo;
use crate::tags::DefaultTags;

/// Receives failures escalated to it.
pub trait EscalationSink<T = DefaultTags> {
    /// Handles a failure. `already_handled` says that a supervisor on the way already
    /// reported it.
    ///
    /// # Errors
    /// Gives the failure back when this sink cannot take it, so the caller can pass it
    /// on. [`RootEscalationSink`](crate::RootEscalationSink) is the last stop and never
    /// does.
    fn handle(&mut self, info: FailureInfo<T>, already_handled: bool)
    -> Result<(), FailureInfo<T>>;
}
