//! The telemetry hook that sends Sentry events.

use alloc::sync::Arc;

use ::sentry::Hub;

use super::failure_event;
use crate::storms::StormSignature;
use crate::telemetry::{FailureSnapshot, FailureTelemetry};

/// A [`FailureTelemetry`] that captures one Sentry event per failure (see
/// [`failure_event`] for its fields).
///
/// # Which issue
///
/// Events are grouped into Sentry issues by the storm signature's fingerprint:
/// [`StormSignature::default`] (path and description) unless you give another with
/// [`with_signature`](Self::with_signature). Give the one your
/// [`StormPolicy`](crate::StormPolicy) uses, so that a storm the policy limits is one
/// issue, and the `suppressed` count in each event's context is the count of that
/// issue's failures the policy kept from Sentry.
///
/// # Which hub
///
/// Sentry's hubs are per thread: `sentry::init` binds the client to the main thread's
/// hub, and any other thread gets, the first time it asks, its own hub made from the
/// main hub's top scope at that moment. The telemetry runs on the thread that handles the
/// failure (a root guardian's actor: some tokio worker thread), so:
///
/// - by default ([`new`](Self::new), also `Default`), on [`Hub::current`] of that thread:
///   events go to the client `sentry::init` set up, but scope data set later on
///   another thread (`sentry::configure_scope` on the main thread after the worker's hub
///   was made) is not on them;
/// - [`with_hub`](Self::with_hub), on the hub you give it, whatever thread the failure
///   arrives on: `SentryFailureTelemetry::new().with_hub(Hub::current())` where you set
///   Sentry up, or a hub of its own (`Arc::new(Hub::new_from_top(Hub::current()))`) to
///   keep root failures' scope apart. This is the one to use from tokio tasks and actor
///   frameworks, where the thread is not yours to choose.
///
/// ```
/// use escalation_telemetry::integrations::sentry::SentryFailureTelemetry;
/// use escalation_telemetry::prelude::*;
///
/// // let _guard = sentry::init("https://key@sentry.example/1");
/// let hub = sentry::Hub::current();
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_failure_telemetry(move |_ctx| {
///         FailureTelemetryShared::new(SentryFailureTelemetry::new().with_hub(hub.clone()))
///     })
///     .finalize();
/// # let _ = config;
/// ```
#[derive(Clone, Default)]
pub struct SentryFailureTelemetry {
    hub: Option<Arc<Hub>>,
    signature: StormSignature,
}

impl SentryFailureTelemetry {
    /// Captures on the current thread's hub at each failure, grouped by the default
    /// storm signature (path and description).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Captures on `hub`, from whichever thread the failure arrives.
    #[must_use]
    pub fn with_hub(mut self, hub: Arc<Hub>) -> Self {
        self.hub = Some(hub);
        self
    }

    /// Groups events into Sentry issues by `signature` (use your storm policy's).
    #[must_use]
    pub fn with_signature(mut self, signature: StormSignature) -> Self {
        self.signature = signature;
        self
    }
}

impl core::fmt::Debug for SentryFailureTelemetry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SentryFailureTelemetry")
            .field(
                "hub",
                &if self.hub.is_some() {
                    "pinned"
                } else {
                    "current thread's"
                },
            )
            .finish()
    }
}

impl FailureTelemetry for SentryFailureTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        let event = failure_event(snapshot, &self.signature);
        match &self.hub {
            Some(hub) => hub.capture_event(event),
            None => Hub::current().capture_event(event),
        };
    }
}
