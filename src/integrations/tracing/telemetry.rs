//! The telemetry hook that emits `tracing` events.

use crate::telemetry::{FailureSnapshot, FailureTelemetry};

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
/// ERROR escalation_telemetry: failure reached the root guardian actor=9 path=/1/4/9 hops=2 description="disk full" tags=[component=storage tenant="acme corp"]
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
        ::tracing::error!(
            target: TARGET,
            actor = snapshot.actor().0,
            path = %snapshot.path(),
            hops = snapshot.hops(),
            description = snapshot.description(),
            tags = %snapshot.all_tags(),
            // `None` records nothing: the field shows up only when tags were lost.
            dropped_tags = (dropped_tags > 0).then_some(dropped_tags),
            "failure reached the root guardian"
        );
    }
}
