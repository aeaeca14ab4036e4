//! [`SentryFailureTelemetry`]: every failure that reaches the root guardian becomes one
//! [Sentry](https://docs.rs/sentry) event at level `error` (feature `sentry`).
//!
//! The event carries the description as its message, the failure's tags as Sentry tags,
//! the actor, path, hops and the dropped and suppressed counts in the `escalation`
//! context, the crash report as Sentry's exception (type, value, frames: the backtrace
//! and the code location) with one exception per cause, `contexts.trace` with the
//! trace and span id, and a fingerprint from the storm signature (by default the path and the
//! description), so a crash loop is one Sentry issue with many events
//! ([`failure_event`] has the details). The crate depends on `sentry` without
//! its default features: bring your own `sentry` dependency with the transport and
//! integrations you want, and call `sentry::init` as usual. `sentry` 0.49 needs
//! Rust 1.88, the crate's own minimum.
//!
//! Read [`SentryFailureTelemetry`]'s "Which hub" before using it from tokio tasks or an
//! actor framework.

mod event;
mod exception;
mod fingerprint;
mod tag_rules;
mod telemetry;

pub use event::{CONTEXT, LOGGER, failure_event};
pub use exception::CAUSE_EXCEPTION_TYPE;
pub use telemetry::SentryFailureTelemetry;
