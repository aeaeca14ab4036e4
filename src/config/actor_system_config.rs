//! The actor system's configuration and its telemetry typestate.

use core::fmt;
use core::marker::PhantomData;

use super::diagnostics::{
    BuilderNotSet, MetricsSinkReplaceable, NextWithBuilder, NextWithMetrics, ObserveNeedsBuilder,
    ObserveNeedsMetrics, ObserveOnce, SinkReady, StormsNeedBuilder, StormsNeedClock, TelemetryOpen,
    TimingNeedsObserve,
};
use super::{
    ActorRuntime, Extensions, FailureTelemetryBuilder, Finalized, NoTelemetry, Observed,
    TelemetryContext,
};
use crate::failure::{FailureEvent, FailureInfo};
use crate::isolation::{EscalationCounters, GuardedTarget};
use crate::metrics::MetricsSinkShared;
use crate::observation::{MonotonicClock, ObservationSwitch};
use crate::storms::{StormLimiter, StormPolicy};
use crate::sync::ArcShared;
use crate::tags::{
    SPILLING_TAG_LIMIT, TagError, TelemetryKey, TelemetryTag, TelemetryValue, insert_tag,
};
use crate::telemetry::{FailureTelemetryShared, IntoFailureTelemetryShared};
use alloc::vec::Vec;

/// The failure event handler a config holds.
pub(crate) type FailureEventHandler<T> = ArcShared<dyn Fn(&FailureInfo<T>) + Send + Sync>;
/// The failure event listener a config holds.
pub(crate) type FailureEventListener<T> = ArcShared<dyn Fn(FailureEvent<T>) + Send + Sync>;

/// What `observe()` and `capture_timing(..)` decided.
#[derive(Debug, Clone)]
pub(crate) struct ObservationSettings {
    pub(crate) capture_timing: bool,
    pub(crate) switch: ObservationSwitch,
}

/// An actor system's configuration. Telemetry is set up by chaining calls through the
/// stages `NoTelemetry → WithBuilder → Observed → Finalized` (`S`); a call that does not
/// fit the stage does not compile, and the error says what to do instead. `R` is the
/// runtime.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let counters = ArcShared::new(CountingMetricsSink::new());
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_metrics_sink(MetricsSinkShared::from_arc(counters.clone()))
///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::from_fn(|s| println!("{s}")))
///     .observe()
///     .capture_timing(true)
///     .finalize();
///
/// let mut sink = config.root_escalation_sink::<()>();
/// let info = FailureInfo::new(ActorId(7), ActorPath::root().child(ActorId(7)), ActorFailure::from_message("boom"));
/// sink.handle(info, false).expect("the root handles every failure");
/// assert_eq!(counters.totals().invocations, 1);
/// ```
///
/// Methods that change telemetry (`with_metrics_sink`, `with_extension`,
/// `with_system_tag`, the builder, `observe`, `capture_timing`, `limit_storms`,
/// `finalize`) are refused after `finalize()`. The failure
/// event handler and listener are not telemetry and can be set at any stage; setting one
/// again replaces it.
pub struct ActorSystemConfig<R: ActorRuntime, S = NoTelemetry> {
    /// Everything but the stage: moves unchanged from stage to stage.
    settings: Settings<R>,
    stage: PhantomData<fn() -> S>,
}

/// The settings of an [`ActorSystemConfig`], whatever its stage.
struct Settings<R: ActorRuntime> {
    metrics: Option<MetricsSinkShared>,
    extensions: Extensions,
    builder: Option<ArcShared<FailureTelemetryBuilder>>,
    /// Built by `finalize()` from `builder`; the no-op hook before.
    telemetry: FailureTelemetryShared,
    observation: Option<ObservationSettings>,
    storm_policy: Option<StormPolicy>,
    /// Built by `finalize()` from `storm_policy`: one table per finalized config.
    storms: Option<ArcShared<StormLimiter<R::Clock>>>,
    /// Made by `finalize()` when timing is captured: the one clock every sink of the
    /// finalized config times with (a calibrating clock calibrates there, never in
    /// `handle`).
    timing_clock: Option<ArcShared<R::Clock>>,
    handler: Option<FailureEventHandler<R::Tags>>,
    listener: Option<FailureEventListener<R::Tags>>,
    counters: ArcShared<EscalationCounters>,
    /// Collected before `finalize()`.
    system_tags: Vec<TelemetryTag>,
    /// System tags refused (empty key, or beyond `SPILLING_TAG_LIMIT`).
    dropped_system_tags: u32,
    /// Made by `finalize()` from `system_tags`; shared by every sink and borrowed by
    /// every snapshot: no copy per failure.
    shared_system_tags: ArcShared<[TelemetryTag]>,
}

impl<R: ActorRuntime> Settings<R> {
    fn new() -> Self {
        Self {
            metrics: None,
            extensions: Extensions::default(),
            builder: None,
            telemetry: FailureTelemetryShared::noop(),
            observation: None,
            storm_policy: None,
            storms: None,
            timing_clock: None,
            handler: None,
            listener: None,
            counters: ArcShared::default(),
            system_tags: Vec::new(),
            dropped_system_tags: 0,
            shared_system_tags: ArcShared::from([]),
        }
    }
}

impl<R: ActorRuntime> Clone for Settings<R> {
    // Not derived: a derive would require `R: Clone`, and a runtime is a marker type.
    fn clone(&self) -> Self {
        Self {
            metrics: self.metrics.clone(),
            extensions: self.extensions.clone(),
            builder: self.builder.clone(),
            telemetry: self.telemetry.clone(),
            observation: self.observation.clone(),
            storm_policy: self.storm_policy.clone(),
            storms: self.storms.clone(),
            timing_clock: self.timing_clock.clone(),
            handler: self.handler.clone(),
            listener: self.listener.clone(),
            counters: self.counters.clone(),
            system_tags: self.system_tags.clone(),
            dropped_system_tags: self.dropped_system_tags,
            shared_system_tags: self.shared_system_tags.clone(),
        }
    }
}

impl<R: ActorRuntime> ActorSystemConfig<R> {
    /// A configuration with no telemetry, no metrics sink, no handler and no listener.
    #[must_use]
    pub fn new() -> Self {
        Self {
            settings: Settings::new(),
            stage: PhantomData,
        }
    }
}

impl<R: ActorRuntime> Default for ActorSystemConfig<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: ActorRuntime, S> ActorSystemConfig<R, S> {
    /// The same settings at another stage.
    fn into_stage<N>(self) -> ActorSystemConfig<R, N> {
        ActorSystemConfig {
            settings: self.settings,
            stage: PhantomData,
        }
    }

    /// Adds a tag that every failure of this system carries (service, region, node):
    /// snapshots show the system tags after the failure's own tags, in the one-line
    /// form, the JSON `tags`, the tracing event and OpenTelemetry attributes. A
    /// failure's own tag with the same key wins (the system tag is left out of that
    /// failure's output). Setting a key again replaces its value; the tags keep the order
    /// in which their keys were first set.
    ///
    /// The tags are stored once, shared by every sink built from the finalized config
    /// and borrowed by each snapshot: they cost no allocation per failure. Write literal
    /// keys with [`key!`](crate::key), which checks them while compiling. A run-time key
    /// that is empty is not stored, nor a new key beyond
    /// [`SPILLING_TAG_LIMIT`](crate::tags::SPILLING_TAG_LIMIT) (128) system tags (the
    /// bound that keeps failures' own tags linear to insert); both are counted in
    /// [`dropped_system_tags`](Self::dropped_system_tags), and
    /// [`insert_system_tag`](Self::insert_system_tag) says why. Only before `finalize()`.
    ///
    /// ```
    /// use escalation_telemetry::prelude::*;
    ///
    /// let node = String::from("node-7");
    /// let config = ActorSystemConfig::<StdRuntime>::new()
    ///     .with_system_tag(key!("service"), "orders")
    ///     .with_system_tag(key!("node"), node)
    ///     .finalize();
    /// assert_eq!(config.system_tag("node"), Some("node-7"));
    /// ```
    #[must_use]
    pub fn with_system_tag(
        mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Self
    where
        S: TelemetryOpen,
    {
        // Counted in `dropped_system_tags`; chaining has nowhere to return the error.
        let _ = self.insert_system_tag(key, value);
        self
    }

    /// Adds a system tag like [`with_system_tag`](Self::with_system_tag) and returns the
    /// value it replaced, if the key was set before.
    ///
    /// # Errors
    /// [`TagError::EmptyKey`] for an empty key, [`TagError::CapacityExceeded`] for a new
    /// key when [`SPILLING_TAG_LIMIT`](crate::tags::SPILLING_TAG_LIMIT) system tags are
    /// set; the tag is not stored and is counted in
    /// [`dropped_system_tags`](Self::dropped_system_tags).
    pub fn insert_system_tag(
        &mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Result<Option<TelemetryValue>, TagError>
    where
        S: TelemetryOpen,
    {
        // A linear scan over at most `SPILLING_TAG_LIMIT` tags: inserts stay linear, and
        // so does what each failure's output walks.
        let result = insert_tag(
            &mut self.settings.system_tags,
            |tags| tags.as_mut_slice(),
            |tags, tag| {
                if tags.len() >= SPILLING_TAG_LIMIT {
                    return Err(TagError::CapacityExceeded {
                        capacity: SPILLING_TAG_LIMIT,
                    });
                }
                tags.push(tag);
                Ok(())
            },
            key.into(),
            value.into(),
        );
        if result.is_err() {
            self.settings.dropped_system_tags = self.settings.dropped_system_tags.saturating_add(1);
        }
        result
    }

    /// How many system tags were refused: an empty key, or a new key beyond
    /// [`SPILLING_TAG_LIMIT`](crate::tags::SPILLING_TAG_LIMIT). Saturates at `u32::MAX`.
    #[must_use]
    pub fn dropped_system_tags(&self) -> u32 {
        self.settings.dropped_system_tags
    }

    /// The system tags, in the order their keys were first set.
    #[must_use]
    pub fn system_tags(&self) -> &[TelemetryTag] {
        &self.settings.system_tags
    }

    /// The value of the system tag with this key.
    #[must_use]
    pub fn system_tag(&self, key: &str) -> Option<&str> {
        self.settings
            .system_tags
            .iter()
            .find(|tag| tag.key == key)
            .map(|tag| &*tag.value)
    }

    /// Sets the metrics sink that observation records into and that telemetry builders
    /// see in [`TelemetryContext::metrics`]. Replaces an earlier one, up to `observe()`.
    #[must_use]
    pub fn with_metrics_sink<N>(mut self, metrics: MetricsSinkShared) -> ActorSystemConfig<R, N>
    where
        S: TelemetryOpen + MetricsSinkReplaceable + NextWithMetrics<Next = N>,
    {
        self.settings.metrics = Some(metrics);
        self.into_stage()
    }

    /// Stores a value for telemetry builders ([`TelemetryContext::extensions`]),
    /// replacing an earlier value of the same type.
    #[must_use]
    pub fn with_extension<T: Send + Sync + 'static>(mut self, value: T) -> Self
    where
        S: TelemetryOpen,
    {
        self.settings.extensions.insert(value);
        self
    }

    /// Sets the builder that makes the telemetry hook (the RFC's
    /// `with_failure_telemetry_builder`). Called once, by `finalize()`.
    #[must_use]
    pub fn with_failure_telemetry_builder<N>(
        mut self,
        builder: ArcShared<FailureTelemetryBuilder>,
    ) -> ActorSystemConfig<R, N>
    where
        S: TelemetryOpen + BuilderNotSet + NextWithBuilder<Next = N>,
    {
        self.settings.builder = Some(builder);
        self.into_stage()
    }

    /// [`with_failure_telemetry_builder`](Self::with_failure_telemetry_builder) for a
    /// closure, without wrapping it in `ArcShared` yourself. The closure returns the
    /// hook itself or a [`FailureTelemetryShared`] ([`IntoFailureTelemetryShared`]).
    #[must_use]
    pub fn with_failure_telemetry<N, F, H>(self, builder: F) -> ActorSystemConfig<R, N>
    where
        S: TelemetryOpen + BuilderNotSet + NextWithBuilder<Next = N>,
        F: Fn(&TelemetryContext<'_>) -> H + Send + Sync + 'static,
        H: IntoFailureTelemetryShared,
    {
        self.with_failure_telemetry_builder(ArcShared::new(move |ctx: &TelemetryContext<'_>| {
            builder(ctx).into_failure_telemetry_shared()
        }))
    }

    /// Observes the telemetry call: every call records
    /// [`MetricsEvent::TelemetryInvoked`](crate::MetricsEvent::TelemetryInvoked) into the
    /// metrics sink, which is fixed from now on. Needs a builder and a metrics sink.
    /// Observation starts switched on; see
    /// [`observation_switch`](Self::observation_switch).
    #[must_use]
    pub fn observe(mut self) -> ActorSystemConfig<R, Observed>
    where
        S: TelemetryOpen + ObserveNeedsBuilder + ObserveNeedsMetrics + ObserveOnce,
    {
        self.settings.observation = Some(ObservationSettings {
            capture_timing: false,
            switch: ObservationSwitch::new(true),
        });
        self.into_stage()
    }

    /// Also records the call's latency
    /// ([`MetricsEvent::TelemetryLatency`](crate::MetricsEvent::TelemetryLatency)) from
    /// the runtime's clock. Only after `observe()`, and only on a runtime with a clock.
    #[must_use]
    pub fn capture_timing(mut self, enabled: bool) -> Self
    where
        S: TelemetryOpen + TimingNeedsObserve,
        R::Clock: MonotonicClock,
    {
        if let Some(observation) = &mut self.settings.observation {
            observation.capture_timing = enabled;
        }
        self
    }

    /// Limits failure storms: per signature, at most `policy.burst()` telemetry hook
    /// calls per `policy.window()` of the runtime's clock; beyond that a failure skips
    /// the hook and is counted as suppressed
    /// ([`MetricsEvent::TelemetrySuppressed`](crate::MetricsEvent::TelemetrySuppressed),
    /// [`EscalationStats::telemetry_suppressed`](crate::EscalationStats::telemetry_suppressed)),
    /// and the next delivered snapshot of the signature carries the count
    /// ([`FailureSnapshot::suppressed`](crate::FailureSnapshot::suppressed)). The handler
    /// and the listener always run. Needs a telemetry builder and a runtime clock;
    /// setting a policy again replaces it. The signature table is made by `finalize()`
    /// and shared by every sink of the finalized config.
    ///
    /// ```
    /// use core::time::Duration;
    /// use escalation_telemetry::prelude::*;
    ///
    /// let config = ActorSystemConfig::<StdRuntime>::new()
    ///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
    ///     .limit_storms(StormPolicy::new(10, Duration::from_secs(60)))
    ///     .finalize();
    /// let mut sink = config.root_escalation_sink::<()>();
    /// for _ in 0..25 {
    ///     let info = FailureInfo::new(ActorId(7), "/7".parse()?, ActorFailure::from_message("crash loop"));
    ///     sink.handle(info, false).expect("the root handles every failure");
    /// }
    /// // Within one minute: 10 reached the hook, 15 were suppressed.
    /// assert_eq!(sink.stats().telemetry_suppressed, 15);
    /// # Ok::<(), ParseActorPathError>(())
    /// ```
    #[must_use]
    pub fn limit_storms(mut self, policy: StormPolicy) -> Self
    where
        S: TelemetryOpen + StormsNeedBuilder,
        R::Clock: StormsNeedClock,
    {
        self.settings.storm_policy = Some(policy);
        self
    }

    /// Completes the setup: builds the telemetry hook (calling the builder once with the
    /// config's metrics sink and extensions). Sinks built from the finalized config share
    /// that hook, the metrics sink and the observation switch.
    #[must_use]
    pub fn finalize(mut self) -> ActorSystemConfig<R, Finalized>
    where
        S: TelemetryOpen,
    {
        if let Some(builder) = &self.settings.builder {
            let ctx =
                TelemetryContext::new(self.settings.metrics.as_ref(), &self.settings.extensions);
            self.settings.telemetry = builder(&ctx);
        }
        // Fresh shared state per finalized config: two configs finalized from clones of
        // one setup do not share a switch or counters.
        if let Some(observation) = &mut self.settings.observation {
            observation.switch = ObservationSwitch::new(true);
        }
        self.settings.counters = ArcShared::default();
        self.settings.shared_system_tags = ArcShared::from(self.settings.system_tags.as_slice());
        // The one allocation of storm limiting: the table, and the clock it reads. The
        // clock's `Default` is user code: made under a guard; a clock that cannot be
        // made (counted as a clock panic) leaves the system unlimited, never silent.
        let recorder = GuardedTarget {
            metrics: self.settings.metrics.as_ref(),
            counters: &self.settings.counters,
        };
        self.settings.storms = self.settings.storm_policy.clone().and_then(|policy| {
            recorder
                .make_clock::<R::Clock>()
                .map(|clock| ArcShared::new(StormLimiter::new(policy, clock)))
        });
        // The clock that times the hook, made once here (a calibrating clock such as
        // `FastClock` calibrates now, not in a sink's `handle`), only when it will be
        // read: observed into a metrics sink, with timing. The same guard as above.
        let timed = self.settings.metrics.is_some()
            && self
                .settings
                .observation
                .as_ref()
                .is_some_and(|observation| observation.capture_timing);
        self.settings.timing_clock = timed
            .then(|| recorder.make_clock::<R::Clock>().map(ArcShared::new))
            .flatten();
        self.into_stage()
    }

    /// Sets the failure event handler, called with every failure that reaches the root
    /// after telemetry. Replaces an earlier handler. Allowed at any stage; sinks already
    /// built keep the handler they were built with.
    #[must_use]
    pub fn with_failure_event_handler(
        mut self,
        handler: impl Fn(&FailureInfo<R::Tags>) + Send + Sync + 'static,
    ) -> Self {
        self.settings.handler = Some(ArcShared::new(handler));
        self
    }

    /// Sets the failure event listener, called last with
    /// [`FailureEvent::RootEscalated`]. Replaces an earlier listener. Allowed at any stage.
    #[must_use]
    pub fn with_failure_event_listener(
        mut self,
        listener: impl Fn(FailureEvent<R::Tags>) + Send + Sync + 'static,
    ) -> Self {
        self.settings.listener = Some(ArcShared::new(listener));
        self
    }

    /// The run-time switch of observation, shared by every sink built from this config;
    /// `None` when the setup is not observed. Only on a finalized config.
    #[must_use]
    pub fn observation_switch(&self) -> Option<ObservationSwitch>
    where
        S: SinkReady,
    {
        self.settings
            .observation
            .as_ref()
            .map(|observation| observation.switch.clone())
    }

    /// The telemetry hook the builder made (the no-op hook without a builder). Only on a
    /// finalized config.
    #[must_use]
    pub fn failure_telemetry(&self) -> &FailureTelemetryShared
    where
        S: SinkReady,
    {
        &self.settings.telemetry
    }

    /// The metrics sink, if one is set.
    #[must_use]
    pub fn metrics_sink(&self) -> Option<&MetricsSinkShared> {
        self.settings.metrics.as_ref()
    }

    /// The extensions handed to the telemetry builder.
    #[must_use]
    pub fn extensions(&self) -> &Extensions {
        &self.settings.extensions
    }

    /// The context the telemetry builder is (or will be) called with.
    #[must_use]
    pub fn telemetry_context(&self) -> TelemetryContext<'_> {
        TelemetryContext::new(self.settings.metrics.as_ref(), &self.settings.extensions)
    }

    /// The telemetry builder, if one is set.
    #[must_use]
    pub fn failure_telemetry_builder(&self) -> Option<&ArcShared<FailureTelemetryBuilder>> {
        self.settings.builder.as_ref()
    }

    pub(crate) fn parts(&self) -> ConfigParts<'_, R> {
        ConfigParts {
            metrics: self.settings.metrics.as_ref(),
            telemetry: &self.settings.telemetry,
            observation: self.settings.observation.as_ref(),
            storms: self.settings.storms.as_ref(),
            timing_clock: self.settings.timing_clock.as_ref(),
            handler: self.settings.handler.as_ref(),
            listener: self.settings.listener.as_ref(),
            counters: &self.settings.counters,
            system_tags: &self.settings.shared_system_tags,
        }
    }
}

/// What a sink takes from a finalized config.
pub(crate) struct ConfigParts<'a, R: ActorRuntime> {
    pub(crate) metrics: Option<&'a MetricsSinkShared>,
    pub(crate) telemetry: &'a FailureTelemetryShared,
    pub(crate) observation: Option<&'a ObservationSettings>,
    pub(crate) storms: Option<&'a ArcShared<StormLimiter<R::Clock>>>,
    /// The clock sinks time the hook with; `None` when timing is not captured (or the
    /// clock could not be made).
    pub(crate) timing_clock: Option<&'a ArcShared<R::Clock>>,
    pub(crate) handler: Option<&'a FailureEventHandler<R::Tags>>,
    pub(crate) listener: Option<&'a FailureEventListener<R::Tags>>,
    pub(crate) counters: &'a ArcShared<EscalationCounters>,
    pub(crate) system_tags: &'a ArcShared<[TelemetryTag]>,
}

impl<R: ActorRuntime, S> Clone for ActorSystemConfig<R, S> {
    fn clone(&self) -> Self {
        Self {
            settings: self.settings.clone(),
            stage: PhantomData,
        }
    }
}

impl<R: ActorRuntime, S> fmt::Debug for ActorSystemConfig<R, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ActorSystemConfig")
            .field("stage", &core::any::type_name::<S>())
            .field("metrics", &self.settings.metrics.is_some())
            .field("extensions", &self.settings.extensions)
            .field("builder", &self.settings.builder.is_some())
            .field("observation", &self.settings.observation)
            .field("storm_policy", &self.settings.storm_policy)
            .field("handler", &self.settings.handler.is_some())
            .field("listener", &self.settings.listener.is_some())
            .field("system_tags", &self.settings.system_tags)
            .field("dropped_system_tags", &self.settings.dropped_system_tags)
            .finish()
    }
}
