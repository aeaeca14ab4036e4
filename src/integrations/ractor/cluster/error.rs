//! Why forwarding could not start.

use core::fmt;

/// Why [`ForwardingTelemetry::spawn`](super::ForwardingTelemetry::spawn) failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ForwardingError {
    /// Called outside a tokio runtime: the forwarder task needs one.
    NoRuntime,
    /// The options name no node (`ForwardingOptions::new("")`, e.g. from an unset
    /// environment variable): the collector would reject every failure.
    EmptyNodeName,
}

impl fmt::Display for ForwardingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoRuntime => f.write_str(
                "ForwardingTelemetry::spawn needs a tokio runtime (call it from async code)",
            ),
            Self::EmptyNodeName => f.write_str(
                "ForwardingOptions::new was given an empty node name: name the node, the collector rejects failures without one",
            ),
        }
    }
}

impl std::error::Error for ForwardingError {}
