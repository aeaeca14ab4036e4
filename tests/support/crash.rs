//! Failures with every crash-report field, for the output tests: a three-level cause
//! chain (`request failed` ← `connection reset` ← `os error 104`), a known trace.
//! Each test includes it as `mod support { pub(crate) mod crash; }`.
#![allow(dead_code, reason = "each test uses a part")]

use std::error::Error;
use std::fmt;

use escalation_telemetry::prelude::*;

/// One link of the chain.
#[derive(Debug)]
pub(crate) struct Layer {
    text: &'static str,
    source: Option<Box<Layer>>,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

impl Error for Layer {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|layer| layer as &(dyn Error + 'static))
    }
}

/// `request failed` caused by `connection reset` caused by `os error 104` caused by
/// `no route "to" host` (quotes: the causes are untrusted text).
pub(crate) fn three_causes() -> Layer {
    let link = |text, source: Option<Layer>| Layer {
        text,
        source: source.map(Box::new),
    };
    link(
        "request failed",
        Some(link(
            "connection reset",
            Some(link(
                "os error 104",
                Some(link("no route \"to\" host", None)),
            )),
        )),
    )
}

/// The trace of the request: W3C's example ids, sampled.
pub(crate) const TRACE: TraceContext = TraceContext {
    trace_id: [
        0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47,
        0x36,
    ],
    span_id: [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7],
    sampled: true,
};

/// An error failure with the three-level chain, an explicit error type, a fixed code
/// location, the trace and a short backtrace, at `/1/4/9`.
pub(crate) fn error_failure() -> FailureInfo {
    let failure = ActorFailure::from_error(&three_causes())
        .with_error_type("payments::GatewayError")
        .with_code_location("src/payments/gateway.rs", 88, 17)
        .with_trace(TRACE)
        .with_backtrace("0: payments::gateway::charge\n1: payments::worker::handle");
    FailureInfo::new(
        ActorId(9),
        [1, 4, 9].into_iter().map(ActorId).collect(),
        failure,
    )
    .with_metadata(FailureMetadata::new().with_component("payments"))
}

/// A panic in a worker, at the caller's location of `from_panic_payload`.
pub(crate) fn panic_failure() -> FailureInfo {
    FailureInfo::new(
        ActorId(12),
        [7, 12].into_iter().map(ActorId).collect(),
        ActorFailure::from_panic_payload(&"index out of bounds"),
    )
}
