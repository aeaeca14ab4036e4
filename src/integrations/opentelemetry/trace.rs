//! A trace source reading the current OpenTelemetry context.

use ::opentelemetry::Context;
use ::opentelemetry::trace::{SpanContext, TraceContextExt};

use crate::failure::TraceContext;

/// The trace context of the current OpenTelemetry context's span (`Context::current()`),
/// if it is valid. A [`TraceSource`](crate::failure::TraceSource): register it with
/// [`set_trace_source`](crate::failure::set_trace_source) for the panic hook and the
/// guardians to consult.
///
/// ```
/// use escalation_telemetry::failure::set_trace_source;
/// use escalation_telemetry::integrations::opentelemetry::current_trace;
///
/// escalation_telemetry::install_panic_hook();
/// set_trace_source(Some(current_trace));
/// ```
#[must_use]
pub fn current_trace() -> Option<TraceContext> {
    trace_of(Context::current().span().span_context())
}

/// `span`'s ids and sampled flag, if it is valid (an invalid context has all-zero ids).
#[must_use]
pub fn trace_of(span: &SpanContext) -> Option<TraceContext> {
    span.is_valid().then(|| TraceContext {
        trace_id: span.trace_id().to_bytes(),
        span_id: span.span_id().to_bytes(),
        sampled: span.is_sampled(),
    })
}
