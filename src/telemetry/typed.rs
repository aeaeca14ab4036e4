//! The statically typed handle to a telemetry hook.

use core::fmt;

use super::{FailureTelemetry, FailureTelemetryShared};
use crate::sync::ArcShared;

/// A cheap-to-clone handle to a hook of a known type `T`: the statically typed
/// counterpart of [`FailureTelemetryShared`].
///
/// Calls go to `T::on_failure` without a vtable, so the compiler can inline them: for
/// code that calls telemetry itself (a custom escalation sink, a supervisor that reports
/// before escalating) and wants the cost of a direct call. The same hook can be handed
/// to an [`ActorSystemConfig`](crate::ActorSystemConfig) builder with
/// [`to_shared`](Self::to_shared); both handles then call the one hook.
///
/// ```
/// use core::sync::atomic::{AtomicU64, Ordering};
/// use escalation_telemetry::prelude::*;
///
/// #[derive(Default)]
/// struct Count(AtomicU64);
/// impl FailureTelemetry for Count {
///     fn on_failure(&self, _snapshot: &FailureSnapshot<'_>) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///     }
/// }
///
/// let typed = TypedFailureTelemetry::new(Count::default());
/// let shared = typed.to_shared();
///
/// let info = FailureInfo::new(ActorId(1), ActorPath::root().child(ActorId(1)), ActorFailure::from_message("boom"));
/// typed.with_ref(|hook| hook.on_failure(&info.snapshot())); // static call
/// shared.with_ref(|hook| hook.on_failure(&info.snapshot())); // through `dyn`
/// assert_eq!(typed.get().0.load(Ordering::Relaxed), 2);
/// ```
pub struct TypedFailureTelemetry<T> {
    inner: ArcShared<T>,
}

impl<T: FailureTelemetry + 'static> TypedFailureTelemetry<T> {
    /// Wraps a hook.
    #[must_use]
    pub fn new(telemetry: T) -> Self {
        Self {
            inner: ArcShared::new(telemetry),
        }
    }

    /// Wraps a hook that is already shared.
    #[must_use]
    pub fn from_arc(telemetry: ArcShared<T>) -> Self {
        Self { inner: telemetry }
    }

    /// The hook.
    #[inline]
    #[must_use]
    pub fn get(&self) -> &T {
        &self.inner
    }

    /// The same hook behind `dyn`, for a telemetry builder or a
    /// [`RootEscalationSink`](crate::RootEscalationSink). A [`NoopFailureTelemetry`]
    /// becomes [`FailureTelemetryShared::noop`].
    ///
    /// [`NoopFailureTelemetry`]: super::NoopFailureTelemetry
    #[must_use]
    pub fn to_shared(&self) -> FailureTelemetryShared {
        FailureTelemetryShared::from(self.inner.clone())
    }

    /// Calls `f` with the hook.
    #[inline]
    pub fn with_ref<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.inner)
    }

    /// `true` when both handles call the same hook.
    #[must_use]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        ArcShared::ptr_eq(&self.inner, &other.inner)
    }
}

impl<T> Clone for TypedFailureTelemetry<T> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
        }
    }
}

impl<T: FailureTelemetry + Default + 'static> Default for TypedFailureTelemetry<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: FailureTelemetry + 'static> From<TypedFailureTelemetry<T>> for FailureTelemetryShared {
    fn from(telemetry: TypedFailureTelemetry<T>) -> Self {
        Self::from(telemetry.inner)
    }
}

impl<T> fmt::Debug for TypedFailureTelemetry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedFailureTelemetry")
            .field("hook", &core::any::type_name::<T>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use core::sync::atomic::{AtomicU64, Ordering};

    use super::*;
    use crate::prelude::*;

    #[derive(Default)]
    struct Count(AtomicU64);

    impl FailureTelemetry for Count {
        fn on_failure(&self, _snapshot: &FailureSnapshot<'_>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn info() -> FailureInfo {
        FailureInfo::new(
            ActorId(1),
            ActorPath::root().child(ActorId(1)),
            ActorFailure::from_message("boom"),
        )
    }

    #[test]
    fn observed_calls_record_into_the_sink_and_reach_the_hook() {
        let counters = ArcShared::new(CountingMetricsSink::new());
        let cfg = FailureTelemetryObservationConfig {
            metrics: Some(MetricsSinkShared::from_arc(counters.clone())),
            capture_timing: true,
        };
        let typed = TypedFailureTelemetry::<Count>::default();
        let info = info();
        typed.with_ref_observed(&cfg, |hook| hook.on_failure(&info.snapshot()));
        typed.with_ref_observed(&FailureTelemetryObservationConfig::default(), |hook| {
            hook.on_failure(&info.snapshot());
        });
        assert_eq!(typed.get().0.load(Ordering::Relaxed), 2);
        assert_eq!(counters.totals().invocations, 1);
        #[cfg(feature = "std")]
        assert_eq!(counters.totals().latency_samples, 1);
    }

    #[test]
    fn to_shared_calls_the_same_hook_and_keeps_the_noop_fast_path() {
        let typed = TypedFailureTelemetry::new(Count::default());
        let shared = typed.to_shared();
        assert!(!shared.is_noop());
        shared.with_ref(|hook| hook.on_failure(&info().snapshot()));
        assert_eq!(typed.get().0.load(Ordering::Relaxed), 1);
        assert!(typed.ptr_eq(&typed.clone()));

        let noop = TypedFailureTelemetry::new(NoopFailureTelemetry);
        assert!(noop.to_shared().ptr_eq(&FailureTelemetryShared::noop()));
        assert!(noop.to_shared().is_noop());
        assert!(FailureTelemetryShared::from(noop).is_noop());
    }

    #[test]
    fn an_observer_observes_a_typed_call_only_while_switched_on() {
        let counters = ArcShared::new(CountingMetricsSink::new());
        let switch = ObservationSwitch::new(true);
        let observer = FailureTelemetryObserver::new(
            MetricsSinkShared::from_arc(counters.clone()),
            false,
            switch.clone(),
            NoClock,
        );
        let typed = TypedFailureTelemetry::new(Count::default());
        let info = info();
        observer.call_typed(&typed, |hook| hook.on_failure(&info.snapshot()));
        switch.disable();
        observer.call_typed(&typed, |hook| hook.on_failure(&info.snapshot()));
        assert_eq!(typed.get().0.load(Ordering::Relaxed), 2);
        assert_eq!(counters.totals().invocations, 1);
        assert_eq!(counters.totals().latency_samples, 0);
    }
}
