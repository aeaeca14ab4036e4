//! The W3C trace context of the request a failure belongs to.

use core::fmt;

/// The trace a failure belongs to: the W3C trace id, span id and sampled flag of the
/// request being handled when it failed. Set with
/// [`ActorFailure::with_trace`](crate::ActorFailure::with_trace).
///
/// `Display` prints the W3C `traceparent` header value:
/// `00-<32 hex digits>-<16 hex digits>-<01 when sampled, 00 otherwise>`.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let trace = TraceContext {
///     trace_id: [0x4b; 16],
///     span_id: [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7],
///     sampled: true,
/// };
/// assert_eq!(
///     trace.to_string(),
///     "00-4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b-00f067aa0ba902b7-01",
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TraceContext {
    /// The trace id (W3C `trace-id`, OpenTelemetry `TraceId`).
    pub trace_id: [u8; 16],
    /// The span id (W3C `parent-id`, OpenTelemetry `SpanId`).
    pub span_id: [u8; 8],
    /// The sampled flag (W3C `trace-flags` bit 0).
    pub sampled: bool,
}

impl fmt::Display for TraceContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("00-")?;
        write_hex(f, &self.trace_id)?;
        f.write_str("-")?;
        write_hex(f, &self.span_id)?;
        f.write_str(if self.sampled { "-01" } else { "-00" })
    }
}

/// Lower-case hex, two digits a byte, as W3C Trace Context requires.
fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn traceparent_of_an_unsampled_trace_ends_in_00() {
        let trace = TraceContext {
            trace_id: [0; 16],
            span_id: [0xff; 8],
            sampled: false,
        };
        assert_eq!(
            trace.to_string(),
            "00-00000000000000000000000000000000-ffffffffffffffff-00"
        );
    }
}
