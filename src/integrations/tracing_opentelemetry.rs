//! A trace source for applications that bridge `tracing` to OpenTelemetry with
//! `tracing-opentelemetry` (an `OpenTelemetryLayer` on their subscriber): the trace
//! context of the current `tracing` span.
//!
//! ```
//! use escalation_telemetry::failure::set_trace_source;
//! use escalation_telemetry::integrations::tracing_opentelemetry::current_trace;
//!
//! escalation_telemetry::install_panic_hook();
//! set_trace_source(Some(current_trace));
//! ```

use ::opentelemetry::trace::TraceContextExt;
use ::tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::failure::TraceContext;

/// The trace context of the current `tracing` span, as `tracing-opentelemetry` maps it
/// to OpenTelemetry; when the span has none (no `OpenTelemetryLayer`, or no span), the
/// current OpenTelemetry context's
/// ([`opentelemetry::current_trace`](crate::integrations::opentelemetry::current_trace)).
/// A [`TraceSource`](crate::failure::TraceSource): register it with
/// [`set_trace_source`](crate::failure::set_trace_source).
///
/// ractor runs each handler inside the sender's `tracing` span (its default
/// `message_span_propogation` feature), so a panic in a handler is recorded with the
/// trace of the request that sent the message.
#[must_use]
pub fn current_trace() -> Option<TraceContext> {
    let context = ::tracing::Span::current().context();
    super::opentelemetry::trace_of(context.span().span_context())
        .or_else(super::opentelemetry::current_trace)
}
