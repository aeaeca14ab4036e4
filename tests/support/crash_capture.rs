//! What the crash-capture tests of ractor and kameo share: the application's setup
//! (`tracing` bridged to an OpenTelemetry SDK tracer, the panic hook, the bridge as the
//! trace source) and the check of the crash report that reached the guardian. Each
//! includes it as `mod support { pub(crate) mod crash_capture; }`.
#![allow(dead_code, reason = "each test uses a part")]

use escalation_telemetry::failure::set_trace_source;
use escalation_telemetry::integrations::tracing_opentelemetry::current_trace;
use escalation_telemetry::prelude::*;
use opentelemetry::trace::{
    SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState, TracerProvider as _,
};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::layer::SubscriberExt;

/// The trace the request belongs to, as an upstream service would have sent it.
pub(crate) const TRACE_ID: [u8; 16] = [
    0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36,
];

/// Installs, for the whole test process, what an application would: a `tracing`
/// registry with a `tracing-opentelemetry` layer on an SDK tracer, the crate's panic
/// hook, and the bridge as the trace source. Call once per test binary.
pub(crate) fn install_tracing_and_panic_hook() {
    let provider = SdkTracerProvider::builder().build();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(provider.tracer("checkout")));
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    install_panic_hook();
    set_trace_source(Some(current_trace));
}

/// Asserts the failure is the panic `description` raised at `file:line`, in `trace`.
#[track_caller]
pub(crate) fn assert_panic_report(
    failure: &ActorFailure,
    description: &str,
    (file, line): (&str, u32),
    trace: TraceContext,
) {
    assert_eq!(failure.kind(), FailureKind::Panic);
    assert_eq!(failure.description(), description);
    let at = failure.code_location().expect("the panic's location");
    assert_eq!((at.file, at.line), (file, line), "the panic's own location");
    assert_eq!(failure.trace(), Some(trace), "the request's trace");
}

/// A request's `tracing` span, a child of the upstream's span in [`TRACE_ID`], and the
/// trace context it has (its own span id, sampled).
pub(crate) fn request_span() -> (tracing::Span, TraceContext) {
    let request = tracing::info_span!("checkout");
    let upstream = SpanContext::new(
        TraceId::from_bytes(TRACE_ID),
        SpanId::from_bytes([0x11; 8]),
        TraceFlags::SAMPLED,
        true,
        TraceState::default(),
    );
    request
        .set_parent(opentelemetry::Context::new().with_remote_span_context(upstream))
        .expect("the span is not started yet");
    let span_id = request.context().span().span_context().span_id().to_bytes();
    assert_ne!(span_id, [0x11; 8], "the request has its own span");
    let trace = TraceContext {
        trace_id: TRACE_ID,
        span_id,
        sampled: true,
    };
    (request, trace)
}
