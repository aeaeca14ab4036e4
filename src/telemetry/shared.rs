//! The shared handle to a telemetry hook.

use core::any::TypeId;
use core::fmt;

use super::{FailureSnapshot, FailureTelemetry, FnFailureTelemetry, NoopFailureTelemetry};
use crate::sync::ArcShared;

/// A cheap-to-clone handle to a [`FailureTelemetry`] hook, the same on std and no_std.
///
/// The no-op hook is stored without an allocation and called without an indirect call:
/// a system that never installs telemetry pays close to nothing.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let telemetry = FailureTelemetryShared::from_fn(|s: &FailureSnapshot<'_>| {
///     assert_eq!(s.description(), "boom");
/// });
/// let info = FailureInfo::new(ActorId(1), ActorPath::root().child(ActorId(1)), ActorFailure::from_message("boom"));
/// telemetry.with_ref(|t| t.on_failure(&info.snapshot()));
/// ```
#[derive(Clone, Default)]
pub struct FailureTelemetryShared {
    /// `None` is the no-op hook.
    inner: Option<ArcShared<dyn FailureTelemetry>>,
}

impl FailureTelemetryShared {
    /// Wraps a hook. Passing [`NoopFailureTelemetry`] is the same as [`noop`](Self::noop).
    #[must_use]
    pub fn new<T: FailureTelemetry + 'static>(telemetry: T) -> Self {
        if TypeId::of::<T>() == TypeId::of::<NoopFailureTelemetry>() {
            return Self::noop();
        }
        Self {
            inner: Some(ArcShared::new(telemetry)),
        }
    }

    /// Wraps a hook that is already shared.
    ///
    /// Behind `dyn` the hook's type is unknown, so a [`NoopFailureTelemetry`] passed
    /// here is called through its vtable rather than skipped; `From<ArcShared<T>>`,
    /// [`new`](Self::new) and [`noop`](Self::noop) recognise it.
    #[must_use]
    pub fn from_arc(telemetry: ArcShared<dyn FailureTelemetry>) -> Self {
        Self {
            inner: Some(telemetry),
        }
    }

    /// A hook made from a closure.
    #[must_use]
    pub fn from_fn<F>(f: F) -> Self
    where
        F: Fn(&FailureSnapshot<'_>) + Send + Sync + 'static,
    {
        Self::new(FnFailureTelemetry(f))
    }

    /// The no-op hook.
    #[must_use]
    pub const fn noop() -> Self {
        Self { inner: None }
    }

    /// `true` for the no-op hook.
    #[must_use]
    pub fn is_noop(&self) -> bool {
        self.inner.is_none()
    }

    /// Calls `f` with the hook.
    #[inline]
    pub fn with_ref<R>(&self, f: impl FnOnce(&dyn FailureTelemetry) -> R) -> R {
        match &self.inner {
            Some(telemetry) => f(&**telemetry),
            None => f(&NoopFailureTelemetry),
        }
    }

    /// `true` when both handles call the same hook.
    #[must_use]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        match (&self.inner, &other.inner) {
            (Some(a), Some(b)) => ArcShared::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl fmt::Debug for FailureTelemetryShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FailureTelemetryShared")
            .field("noop", &self.is_noop())
            .finish()
    }
}

impl<T: FailureTelemetry + 'static> From<ArcShared<T>> for FailureTelemetryShared {
    /// Shares the hook; an `ArcShared<NoopFailureTelemetry>` becomes [`noop`](Self::noop)
    /// (the fast path: no indirect call).
    fn from(telemetry: ArcShared<T>) -> Self {
        if TypeId::of::<T>() == TypeId::of::<NoopFailureTelemetry>() {
            return Self::noop();
        }
        Self::from_arc(telemetry)
    }
}
