//! The telemetry hook that emits `tracing` events.

use crate::telemetry::{FailureSnapshot, FailureTelemetry};
use crate::text::{Hex, QuotedList};

/// The target of every event [`TracingFailureTelemetry`] emits: filter on it, e.g.
/// `RUST_LOG=escalation_telemetry=error` with `tracing-subscriber`'s `EnvFilter`.
pub const TARGET: &str = "escalation_telemetry";

/// A [`FailureTelemetry`] that emits one `tracing` event per failure, at level ERROR,
/// target [`TARGET`], message `failure reached the root guardian`, with these fields:
///
/// | field | type | value |
/// |---|---|---|
/// | `actor` | `u64` | the failing actor's id |
/// | `path` | display | its path from the root, `/1/4/9` |
/// | `hops` | `u64` | escalation hops before the root |
/// | `description` | `str` | what went wrong |
/// | `tags` | display | the tags as `[key=value ...]`: the failure's own, then the system tags it does not override ([`FailureSnapshot::all_tags`]) |
/// | `dropped_tags` | `u64` | how many tags the failure lost; present only when not zero |
/// | `kind` | `str` | `panic`, `error` or `message` |
/// | `exception.type` | `str` | the error type; present only when known |
/// | `code.file.path`, `code.line.number`, `code.column.number` | `str`, `u64`, `u64` | the failure's [code location](FailureSnapshot::code_location); present only when known |
/// | `causes` | display | the error's causes, outermost first, quoted as in the one-line form: `["connection reset" "os error 104"]`; present only when there are some |
/// | `dropped_causes` | `u64` | causes beyond the bound; present only when not zero |
/// | `trace_id`, `span_id`, `trace_flags` | display | the [trace](FailureSnapshot::trace), lowercase hex (32, 16 and 2 digits); present only when known |
/// | `exception.stacktrace` | `str` | the backtrace; present only when one was captured |
///
/// The names with a dot are OpenTelemetry's semantic conventions, so a bridge from
/// `tracing` to OpenTelemetry logs turns them into the attributes the conventions name.
/// Pinned output keeps still with [`LOCATION_FILTERS`](crate::LOCATION_FILTERS).
///
/// Nothing is formatted or allocated unless a subscriber takes the event.
///
/// ```
/// use escalation_telemetry::integrations::tracing::TracingFailureTelemetry;
/// use escalation_telemetry::prelude::*;
///
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(TracingFailureTelemetry::default()))
///     .finalize();
/// # let _ = config;
/// ```
///
/// With `tracing-subscriber`'s `fmt` layer (no time, no colours) a failure prints:
///
/// ```text
/// ERROR escalation_telemetry: failure reached the root guardian actor=9 path=/1/4/9 hops=2 description="disk full" tags=[component=storage tenant="acme corp"] kind="message" code.file.path="src/storage.rs" code.line.number=42 code.column.number=9
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TracingFailureTelemetry;

impl TracingFailureTelemetry {
    /// The telemetry (same as `default()`).
    #[must_use]
    pub const fn new() -> Self {
        Self
    }
}

impl FailureTelemetry for TracingFailureTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let dropped_tags = snapshot.dropped_tags();
        let at = snapshot.code_location();
        let causes = snapshot.causes();
        let dropped_causes = snapshot.dropped_causes();
        let trace = snapshot.trace();
        ::tracing::error!(
            target: TARGET,
            actor = snapshot.actor().0,
            path = %snapshot.path(),
            hops = snapshot.hops(),
            description = snapshot.description(),
            tags = %snapshot.all_tags(),
            // `None` records nothing: the field shows up only when tags were lost.
            dropped_tags = (dropped_tags > 0).then_some(dropped_tags),
            kind = snapshot.kind().as_str(),
            exception.type = snapshot.error_type(),
            code.file.path = at.map(|at| at.file),
            code.line.number = at.map(|at| at.line),
            code.column.number = at.map(|at| at.column),
            causes = (causes.len() > 0).then(|| ::tracing::field::display(QuotedList(causes))),
            dropped_causes = (dropped_causes > 0).then_some(dropped_causes),
            trace_id = trace.as_ref().map(|trace| ::tracing::field::display(Hex(&trace.trace_id))),
            span_id = trace.as_ref().map(|trace| ::tracing::field::display(Hex(&trace.span_id))),
            trace_flags = trace.map(|trace| if trace.sampled { "01" } else { "00" }),
            exception.stacktrace = snapshot.backtrace(),
            "failure reached the root guardian"
        );
    }
}
