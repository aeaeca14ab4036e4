//! Why forwarding could not start.

use core::fmt;

/// Why [`ForwardingTelemetry::spawn`](super::ForwardingTelemetry::spawn) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForwardingError {
    /// Called outside a tokio runtime: the forwarder task needs one.
    NoRuntime,
}

impl fmt::Display for ForwardingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoRuntime => f.write_str(
                "ForwardingTelemetry::spawn needs a tokio runtime (call it from async code)",
            ),
        }
    }
}

impl std::error::Error for ForwardingError {}
