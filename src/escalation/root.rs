//! The root guardian's escalation sink.

use core::fmt;
use core::marker::PhantomData;

use super::EscalationSink;
use crate::config::diagnostics::SinkReady;
use crate::config::{
    ActorRuntime, ActorSystemConfig, FailureEventHandler, FailureEventListener,
    FailureTelemetryBuilder, TelemetryContext,
};
use crate::failure::{FailureEvent, FailureInfo};
use crate::isolation::{
    Caught, EscalationCounters, EscalationStats, GuardedTarget, Step, run_guarded,
};
use crate::metrics::{MetricsEvent, MetricsSinkShared};
use crate::observation::{FailureTelemetryObserver, ObservationTarget};
use crate::storms::{Admission, StormLimiter};
use crate::sync::ArcShared;
use crate::tags::{TagStorage, TelemetryTag};
use crate::telemetry::{FailureSnapshot, FailureTelemetryShared};

/// The last stop of every failure no supervisor handled.
///
/// [`handle`](EscalationSink::handle) runs, in order:
/// 1. with a [`StormPolicy`](crate::StormPolicy), the storm gate: a failure whose
///    signature used up its burst for the current window is suppressed (it skips the
///    hook only, and is counted at once);
/// 2. the telemetry hook with a [`FailureSnapshot`] that also borrows the config's
///    system tags (skipped when `already_handled` or suppressed), observed when the
///    config is observed and its switch is on;
/// 3. the failure event handler with `&FailureInfo`;
/// 4. the failure event listener with [`FailureEvent::RootEscalated`].
///
/// With `std`, a panic in any of the three is caught, counted in
/// [`stats`](Self::stats) and recorded into the config's metrics sink (if any) as
/// `TelemetryPanicked`, `HandlerPanicked` or `ListenerPanicked`; the remaining steps
/// still run and the failure counts as handled. A metrics sink that panics while
/// recording loses that one event (counted in `stats().metrics_panics`) and never stops
/// the hook, the handler or the listener. A runtime clock that panics while timing the
/// hook (or while a sink is built) costs that latency, never the call; one that panics
/// while the storm gate reads it lets that failure through to the hook (counted in
/// `stats().clock_panics`, recorded as `ClockPanicked`). With `'static` tags the whole
/// path performs no heap allocation.
///
/// Catching needs unwinding: [`PANIC_ISOLATION`](crate::PANIC_ISOLATION) says whether
/// it is active. With `panic = "abort"` any of these panics ends the process; without
/// `std` it goes to the target's panic handler. `docs/reliability.md` lists every piece
/// of user code on this path with its guard and its counter.
///
/// `M` is the actor system's message type. The sink never touches a message, so `M`
/// has no job here: it keeps the sink's type tied to its system (a sink of one system
/// cannot be handed to another by mistake) and matches actor systems that parameterise
/// their sinks by message type. It is held as `PhantomData<fn() -> M>`, so any `M`
/// (including `()` and types that are not `Send`) leaves the sink `Send + Sync`.
pub struct RootEscalationSink<M, R: ActorRuntime> {
    telemetry: FailureTelemetryShared,
    observer: Option<FailureTelemetryObserver<R::Clock>>,
    storms: Option<ArcShared<StormLimiter<R::Clock>>>,
    metrics: Option<MetricsSinkShared>,
    handler: Option<FailureEventHandler<R::Tags>>,
    listener: Option<FailureEventListener<R::Tags>>,
    counters: ArcShared<EscalationCounters>,
    system_tags: ArcShared<[TelemetryTag]>,
    message: PhantomData<fn() -> M>,
}

impl<M, R: ActorRuntime> RootEscalationSink<M, R> {
    /// A sink with the finalized config's telemetry, observation, handler and listener.
    #[must_use]
    pub fn from_config<S: SinkReady>(config: &ActorSystemConfig<R, S>) -> Self {
        let parts = config.parts();
        // The clock was made by `finalize()` (under a guard; `None` when it could not be
        // made, which leaves the sinks untimed): a sink runs no user code to get it.
        let observer = match (parts.observation, parts.metrics) {
            (Some(observation), Some(metrics)) => {
                Some(FailureTelemetryObserver::with_shared_clock(
                    metrics.clone(),
                    observation.capture_timing,
                    observation.switch.clone(),
                    parts.timing_clock.cloned(),
                ))
            }
            _ => None,
        };
        Self {
            telemetry: parts.telemetry.clone(),
            observer,
            storms: parts.storms.cloned(),
            metrics: parts.metrics.cloned(),
            handler: parts.handler.cloned(),
            listener: parts.listener.cloned(),
            counters: parts.counters.clone(),
            system_tags: parts.system_tags.clone(),
            message: PhantomData,
        }
    }

    /// Replaces this sink's telemetry hook with one made by `builder` from `ctx` (the
    /// RFC's `apply_builder`). Observation, handler and listener are unchanged.
    ///
    /// The builder is user code run at run time, so it is guarded like the hook: with
    /// `std`, a builder that panics leaves the sink with its old hook, and the panic is
    /// counted in `stats().builder_panics` and recorded as `BuilderPanicked`. The
    /// replaced hook is dropped under a guard too (its `Drop` is user code), counted the
    /// same way if it panics.
    pub fn apply_builder(&mut self, ctx: &TelemetryContext<'_>, builder: &FailureTelemetryBuilder) {
        let replaced = run_guarded(|| builder(ctx))
            .map(|telemetry| core::mem::replace(&mut self.telemetry, telemetry))
            .and_then(|replaced| run_guarded(move || drop(replaced)));
        if let Err(caught) = replaced {
            self.step_panicked(Step::Builder, caught);
        }
    }

    /// The telemetry hook in use.
    #[must_use]
    pub fn telemetry(&self) -> &FailureTelemetryShared {
        &self.telemetry
    }

    /// `true` when the sink observes telemetry calls and the switch is on.
    #[must_use]
    pub fn is_observing(&self) -> bool {
        self.observer
            .as_ref()
            .is_some_and(FailureTelemetryObserver::is_enabled)
    }

    /// The system tags every snapshot of this sink carries (from
    /// [`ActorSystemConfig::with_system_tag`]).
    #[must_use]
    pub fn system_tags(&self) -> &[TelemetryTag] {
        &self.system_tags
    }

    /// Panics, dropped tags and suppressed failures counted so far by all sinks of this
    /// sink's config.
    #[must_use]
    pub fn stats(&self) -> EscalationStats {
        let mut stats = self.counters.stats();
        if let Some(storms) = &self.storms {
            stats.telemetry_suppressed = storms.suppressed_total();
            stats.storm_overflow = storms.overflowed();
        }
        stats
    }

    /// Step 1: the storm gate. `Some(n)` lets the failure through, carrying the `n`
    /// failures of its signature suppressed since the previous delivery; `None` means
    /// suppressed, and already counted (in the storm table, and in the metrics sink).
    /// The clock is read under a guard: a panic there is a fault of the clock, and the
    /// failure, without a time to limit it by, reaches the hook.
    #[inline]
    fn pass_storm_gate<T: TagStorage>(&self, info: &FailureInfo<T>) -> Option<u64> {
        let Some(storms) = &self.storms else {
            return Some(0);
        };
        let recorder = self.recorder();
        let now = recorder.read_guarded(|| storms.now());
        match storms.admit(&FailureSnapshot::from_failure_info(info), now) {
            Admission::Deliver { suppressed } => Some(suppressed),
            Admission::Suppress => {
                recorder.record(MetricsEvent::TelemetrySuppressed);
                None
            }
        }
    }

    /// Step 2: the telemetry hook, observed when configured.
    #[inline]
    fn report<T: TagStorage>(&self, info: &FailureInfo<T>, suppressed: u64) {
        let snapshot = FailureSnapshot::from_failure_info(info)
            .with_system_tags(&self.system_tags)
            .with_suppressed(suppressed);
        let dropped = snapshot.dropped_tags();
        if dropped > 0 {
            self.counters.tags_dropped(dropped);
        }
        // The hook and each metrics record are guarded separately: a metrics sink that
        // panics costs its own event, never the hook's call.
        let call_hook = || {
            run_guarded(|| {
                self.telemetry
                    .with_ref(|telemetry| telemetry.on_failure(&snapshot));
            })
        };
        let outcome = match &self.observer {
            // The switch is read once per failure: a failure is observed as a whole (its
            // dropped tags, invocation and latency) or not at all, even mid-flip.
            Some(observer) if observer.is_enabled() => {
                let recorder = GuardedTarget {
                    metrics: Some(observer.metrics()),
                    counters: &self.counters,
                };
                if dropped > 0 {
                    recorder.record(MetricsEvent::TagsDropped(dropped));
                }
                observer.observe_with(&recorder, call_hook)
            }
            _ => call_hook(),
        };
        if let Err(caught) = outcome {
            self.step_panicked(Step::Telemetry, caught);
        }
    }

    /// Counts a step's caught panic and records it into the metrics sink, if any.
    #[cold]
    fn step_panicked(&self, step: Step, caught: Caught) {
        self.recorder().fault(step, caught);
    }

    /// Records into the config's metrics sink (if any, observed or not) and reads
    /// clocks, each under its own guard.
    #[inline]
    fn recorder(&self) -> GuardedTarget<'_> {
        GuardedTarget {
            metrics: self.metrics.as_ref(),
            counters: &self.counters,
        }
    }
}

impl<M, R: ActorRuntime> EscalationSink<R::Tags> for RootEscalationSink<M, R> {
    fn handle(
        &mut self,
        info: FailureInfo<R::Tags>,
        already_handled: bool,
    ) -> Result<(), FailureInfo<R::Tags>> {
        if !already_handled && let Some(suppressed) = self.pass_storm_gate(&info) {
            self.report(&info, suppressed);
        }
        if let Some(handler) = &self.handler
            && let Err(caught) = run_guarded(|| handler(&info))
        {
            self.step_panicked(Step::Handler, caught);
        }
        if let Some(listener) = &self.listener
            && let Err(caught) = run_guarded(|| listener(FailureEvent::RootEscalated(info)))
        {
            self.step_panicked(Step::Listener, caught);
        }
        Ok(())
    }
}

impl<M, R: ActorRuntime> Clone for RootEscalationSink<M, R> {
    fn clone(&self) -> Self {
        Self {
            telemetry: self.telemetry.clone(),
            observer: self.observer.clone(),
            storms: self.storms.clone(),
            metrics: self.metrics.clone(),
            handler: self.handler.clone(),
            listener: self.listener.clone(),
            counters: self.counters.clone(),
            system_tags: self.system_tags.clone(),
            message: PhantomData,
        }
    }
}

impl<M, R: ActorRuntime> fmt::Debug for RootEscalationSink<M, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RootEscalationSink")
            .field("telemetry", &self.telemetry)
            .field("observing", &self.is_observing())
            .field("storms", &self.storms)
            .field("handler", &self.handler.is_some())
            .field("listener", &self.listener.is_some())
            .finish()
    }
}
