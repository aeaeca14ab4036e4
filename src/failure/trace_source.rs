//! Where the crate learns the trace context of the request being handled: one
//! process-wide source an integration (or the application) registers.

use std::sync::{PoisonError, RwLock};

use super::TraceContext;

/// A function that returns the trace context current on the calling thread, if any:
/// e.g. `integrations::opentelemetry::current_trace` (the current OpenTelemetry
/// context) or `integrations::tracing_opentelemetry::current_trace` (the current
/// `tracing` span, bridged by `tracing-opentelemetry`).
///
/// It runs inside the panic hook: it must not panic (a panic there aborts the process)
/// and should not block.
pub type TraceSource = fn() -> Option<TraceContext>;

static SOURCE: RwLock<Option<TraceSource>> = RwLock::new(None);

/// Registers the process's trace source (`None` removes it) and returns the one
/// registered before. The panic hook ([`install_panic_hook`](crate::install_panic_hook))
/// and the ractor and kameo guardians consult it; nothing on the root path does.
///
/// ```
/// use escalation_telemetry::failure::{current_trace, set_trace_source};
/// use escalation_telemetry::prelude::*;
///
/// fn fixed() -> Option<TraceContext> {
///     Some(TraceContext { trace_id: [1; 16], span_id: [2; 8], sampled: true })
/// }
/// let before = set_trace_source(Some(fixed));
/// assert_eq!(current_trace().map(|trace| trace.span_id), Some([2; 8]));
/// set_trace_source(before);
/// ```
pub fn set_trace_source(source: Option<TraceSource>) -> Option<TraceSource> {
    let mut slot = SOURCE.write().unwrap_or_else(PoisonError::into_inner);
    core::mem::replace(&mut *slot, source)
}

/// The trace context the registered source returns on this thread; `None` when no
/// source is registered.
#[must_use]
pub fn current_trace() -> Option<TraceContext> {
    let source = *SOURCE.read().unwrap_or_else(PoisonError::into_inner);
    source.and_then(|source| source())
}
