//! What the crash-capture tests of ractor and kameo share: the application's setup
//! (`tracing` bridged to an OpenTelemetry SDK tracer, the panic hook, the bridge as the
//! trace source) and the check of the crash report that reached the guardian. Each
//! includes it as `mod support { pub(crate) mod crash_capture; }`.
#![allow(dead_code, reason = "each test uses a part")]

use escalation_telemetry::failure::set_trace_source;
use escalation_telemetry::integrations::tracing_opentelemetry::current_trace;
use escalation_telemetry::prelude::*;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;

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
