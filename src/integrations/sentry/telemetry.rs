//! The telemetry hook that sends Sentry events.

use alloc::sync::Arc;

use ::sentry::Hub;

use super::failure_event;
use crate::telemetry::{FailureSnapshot, FailureTelemetry};

/// A [`FailureTelemetry`] that captures one Sentry event per failure (see
/// [`failure_event`] for its fields).
///
/// # Which hub
///
/// Sentry's hubs are per thread: `sentry::init` binds the client to the main thread's
/// hub, and any other thread gets, the first time it asks, its own hub made from the
/// main hub's top scope at that moment. The telemetry runs on the thread that handles the
/// failure (a root guardian's actor: some tokio worker thread), so:
///
/// - [`new`](Self::new) (also `Default`) captures on [`Hub::current`] of that thread:
///   events go to the client `sentry::init` set up, but scope data set later on
///   another thread (`sentry::configure_scope` on the main thread after the worker's hub
///   was made) is not on them;
/// - [`with_hub`](Self::with_hub) captures on the hub you give it, whatever thread the
///   failure arrives on: `SentryFailureTelemetry::with_hub(Hub::current())` where you
///   set Sentry up, or a hub of its own (`Arc::new(Hub::new_from_top(Hub::current()))`)
///   to keep root failures' scope apart. This is the one to use from tokio tasks and
///   actor frameworks, where the thread is not yours to choose.
///
/// ```
/// use escalation_telemetry::integrations::sentry::SentryFailureTelemetry;
/// use escalation_telemetry::prelude::*;
///
/// // let _guard = sentry::init("https://key@sentry.example/1");
/// let hub = sentry::Hub::current();
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_failure_telemetry(move |_ctx| {
///         FailureTelemetryShared::new(SentryFailureTelemetry::with_hub(hub.clone()))
///     })
///     .finalize();
/// # let _ = config;
/// ```
#[derive(Clone, Default)]
pub struct SentryFailureTelemetry {
    hub: Option<Arc<Hub>>,
}

impl SentryFailureTelemetry {
    /// Captures on the current thread's hub at each failure.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Captures on `hub`, from whichever thread the failure arrives.
    #[must_use]
    pub fn with_hub(hub: Arc<Hub>) -> Self {
        Self { hub: Some(hub) }
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
        let event = failure_event(snapshot);
        match &self.hub {
            Some(hub) => hub.capture_event(event),
            None => Hub::current().capture_event(event),
        };
    }
}
