//! What a telemetry builder may return: anything that becomes a
//! [`FailureTelemetryShared`].

use super::{FailureTelemetry, FailureTelemetryShared};

/// A value that becomes the system's telemetry hook: what the closure given to
/// [`with_failure_telemetry`](crate::ActorSystemConfig::with_failure_telemetry) returns.
///
/// Implemented for [`FailureTelemetryShared`] itself and for every
/// [`FailureTelemetry`] hook (wrapped with [`FailureTelemetryShared::new`]), so a
/// builder can return its hook directly:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// struct StderrTelemetry;
///
/// impl FailureTelemetry for StderrTelemetry {
///     fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
///         eprintln!("{snapshot}");
///     }
/// }
///
/// fn main() {
///     let config = ActorSystemConfig::<StdRuntime>::new()
///         .with_failure_telemetry(|_ctx| StderrTelemetry)
///         .finalize();
///     assert!(!config.root_escalation_sink::<()>().telemetry().is_noop());
/// }
/// ```
///
/// An `ArcShared<T>` you keep a handle to is a hook too (it is wrapped once more); to
/// share it without that extra indirection return
/// `FailureTelemetryShared::from(arc)`.
#[diagnostic::on_unimplemented(
    message = "a telemetry builder must return a hook, not `{Self}`",
    label = "this is not a `FailureTelemetry` hook nor a `FailureTelemetryShared`",
    note = "return a type that implements `FailureTelemetry`, a `FailureTelemetryShared`, or `FailureTelemetryShared::from_fn(|snapshot| ...)` for a closure"
)]
pub trait IntoFailureTelemetryShared {
    /// The shared handle the system calls.
    fn into_failure_telemetry_shared(self) -> FailureTelemetryShared;
}

impl IntoFailureTelemetryShared for FailureTelemetryShared {
    fn into_failure_telemetry_shared(self) -> FailureTelemetryShared {
        self
    }
}

// Not recommended in errors: a wrong return type is then reported against
// `IntoFailureTelemetryShared` and its message, without rustc's list of every
// `FailureTelemetry` implementor (a list that changes with the enabled features).
#[diagnostic::do_not_recommend]
impl<T: FailureTelemetry + 'static> IntoFailureTelemetryShared for T {
    fn into_failure_telemetry_shared(self) -> FailureTelemetryShared {
        FailureTelemetryShared::new(self)
    }
}
