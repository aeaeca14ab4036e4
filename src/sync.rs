//! Shared ownership.

/// The shared pointer used across the crate: an alias of [`alloc::sync::Arc`].
///
/// It is an alias rather than a newtype so that unsized coercion works as it does for
/// `Arc`: `ArcShared::new(|ctx: &TelemetryContext<'_>| ...)` coerces to
/// `ArcShared<FailureTelemetryBuilder>`.
///
/// [`FailureTelemetryBuilder`]: crate::FailureTelemetryBuilder
/// [`TelemetryContext`]: crate::TelemetryContext
pub type ArcShared<T> = alloc::sync::Arc<T>;
