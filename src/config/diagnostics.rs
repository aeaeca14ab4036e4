//! The bounds that enforce the typestate rules, each with the compile error that names
//! its fix.
//!
//! Every rule is a sealed marker trait implemented by the stages that satisfy it. A
//! config method carries the bounds of the rules it depends on in its own `where`
//! clause, so a wrong call fails with `E0277` and the rule's message (a bound on an
//! `impl` block would give `E0599` without it). Each trait is also implemented by the
//! stages that break a *different* rule of the same method, so one wrong call reports
//! exactly one error. The `Next*` traits map a stage to the stage a method moves it to.
//!
//! | rule | trait | broken by |
//! |---|---|---|
//! | 1. sinks only from a finalized config | [`SinkReady`] | every stage but `Finalized` |
//! | 2. builder set at most once | [`BuilderNotSet`] | `WithBuilder`, `Observed` |
//! | 3. `observe()` needs a builder | [`ObserveNeedsBuilder`] | `NoTelemetry` |
//! | 4. `observe()` needs a metrics sink | [`ObserveNeedsMetrics`] | `WithBuilder<MetricsUnset>` |
//! | `observe()` once | [`ObserveOnce`] | `Observed` |
//! | 5. metrics sink fixed after `observe()` | [`MetricsSinkReplaceable`] | `Observed` |
//! | 6. `capture_timing` only on `Observed` | [`TimingNeedsObserve`] | `NoTelemetry`, `WithBuilder` |
//! | 6. … and only with a clock | [`MonotonicClock`] on `R::Clock` | runtimes with `NoClock` |
//! | 7. nothing changes after `finalize()` | [`TelemetryOpen`] | `Finalized` |
//! | 8. tag capacity in `1..=32` | [`SupportedTagCapacity`](crate::tags::SupportedTagCapacity) | other capacities |
//! | 9. `limit_storms` needs a builder | [`StormsNeedBuilder`] | `NoTelemetry` |
//! | 9. … and a runtime clock | [`StormsNeedClock`] on `R::Clock` | runtimes with `NoClock` |
//!
//! Rule 7 also covers `with_system_tag`. Literal tag keys are checked by
//! [`key!`](crate::key) and [`tag!`](crate::tag) through constant evaluation rather than
//! a trait: an empty key or one that is not a label name fails with `E0080` and a
//! message that states the rule and the key.

pub use super::stages::MetricsState;
use super::stages::{Finalized, MetricsSet, NoTelemetry, Observed, TelemetryStage, WithBuilder};
use crate::observation::{MonotonicClock, RuntimeClock};

/// Rule 1: a `RootEscalationSink` is built only from a finalized config.
#[diagnostic::on_unimplemented(
    message = "a `RootEscalationSink` (like the observation switch and the built telemetry hook) comes only from a finalized config: call `.finalize()` first",
    label = "this config is at stage `{Self}`, not `Finalized`",
    note = "`.finalize()` fixes the telemetry setup; sinks, the built telemetry hook and the observation switch all come from `ActorSystemConfig<R, Finalized>`; in code generic over the stage, add the bound `S: SinkReady` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait SinkReady: TelemetryStage {}
impl SinkReady for Finalized {}

/// Rule 2: the telemetry builder is set at most once.
#[diagnostic::on_unimplemented(
    message = "stage `{Self}` cannot take a telemetry builder: it is set at most once, so remove the second `.with_failure_telemetry_builder(..)` or `.with_failure_telemetry(..)` call",
    label = "a builder was set earlier in this chain (stage `{Self}`)",
    note = "a config holds one telemetry builder; to send failures to several backends, build one `FailureTelemetry` that calls them all; in code generic over the stage, add the bound `S: BuilderNotSet` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait BuilderNotSet: TelemetryStage {}
impl<K: MetricsState> BuilderNotSet for NoTelemetry<K> {}
impl BuilderNotSet for Finalized {}

/// Rule 3: `observe()` needs a telemetry builder.
#[diagnostic::on_unimplemented(
    message = "`.observe()` needs a telemetry builder first: call `.with_failure_telemetry_builder(..)` or `.with_failure_telemetry(..)` before `.observe()`",
    label = "nothing to observe at stage `{Self}`",
    note = "observation measures the telemetry call; without a builder there is no call to measure; in code generic over the stage, add the bound `S: ObserveNeedsBuilder` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait ObserveNeedsBuilder: TelemetryStage {}
impl<K: MetricsState> ObserveNeedsBuilder for WithBuilder<K> {}
impl ObserveNeedsBuilder for Observed {}
impl ObserveNeedsBuilder for Finalized {}

/// Rule 4: `observe()` needs a metrics sink.
#[diagnostic::on_unimplemented(
    message = "`.observe()` needs a metrics sink: call `.with_metrics_sink(..)` before `.observe()`",
    label = "observations would have nowhere to go (stage `{Self}`)",
    note = "the observation hook records `MetricsEvent`s into the config's `MetricsSinkShared`; in code generic over the stage, add the bound `S: ObserveNeedsMetrics` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait ObserveNeedsMetrics: TelemetryStage {}
impl<K: MetricsState> ObserveNeedsMetrics for NoTelemetry<K> {}
impl ObserveNeedsMetrics for WithBuilder<MetricsSet> {}
impl ObserveNeedsMetrics for Observed {}
impl ObserveNeedsMetrics for Finalized {}

/// `observe()` is called once.
#[diagnostic::on_unimplemented(
    message = "`.observe()` was already called: remove the second `.observe()`",
    label = "already observed",
    note = "to change whether calls are timed, use `.capture_timing(..)`; to turn observation off at run time, use the finalized config's `observation_switch()`; in code generic over the stage, add the bound `S: ObserveOnce` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait ObserveOnce: TelemetryStage {}
impl<K: MetricsState> ObserveOnce for NoTelemetry<K> {}
impl<K: MetricsState> ObserveOnce for WithBuilder<K> {}
impl ObserveOnce for Finalized {}

/// Rule 5: the metrics sink cannot be replaced after `observe()`.
#[diagnostic::on_unimplemented(
    message = "the metrics sink cannot be replaced after `.observe()`: call `.with_metrics_sink(..)` before `.observe()`",
    label = "the observation hook is already bound to the metrics sink set earlier",
    note = "the telemetry builder and the observation hook were set up against that sink; swapping it would split the metrics in two; in code generic over the stage, add the bound `S: MetricsSinkReplaceable` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait MetricsSinkReplaceable: TelemetryStage {}
impl<K: MetricsState> MetricsSinkReplaceable for NoTelemetry<K> {}
impl<K: MetricsState> MetricsSinkReplaceable for WithBuilder<K> {}
impl MetricsSinkReplaceable for Finalized {}

/// Rule 6: `capture_timing(..)` applies to an observed setup.
#[diagnostic::on_unimplemented(
    message = "`.capture_timing(..)` is only accepted after `.observe()`: call `.observe()` first",
    label = "the telemetry call is not observed at stage `{Self}`",
    note = "timing is part of observation: it records `MetricsEvent::TelemetryLatency` into the metrics sink that `.observe()` binds; in code generic over the stage, add the bound `S: TimingNeedsObserve` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait TimingNeedsObserve: TelemetryStage {}
impl TimingNeedsObserve for Observed {}
impl TimingNeedsObserve for Finalized {}

/// Rule 7: nothing about telemetry changes after `finalize()`.
#[diagnostic::on_unimplemented(
    message = "telemetry cannot change at stage `{Self}`: nothing about telemetry changes after `.finalize()`, so move this call before `.finalize()`",
    label = "this config is at stage `{Self}`",
    note = "sinks built from a finalized config share its telemetry, metrics sink and observation switch; changing them afterwards would make sinks disagree; in code generic over the stage, add the bound `S: TelemetryOpen` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait TelemetryOpen: TelemetryStage {}
impl<K: MetricsState> TelemetryOpen for NoTelemetry<K> {}
impl<K: MetricsState> TelemetryOpen for WithBuilder<K> {}
impl TelemetryOpen for Observed {}

/// Rule 9: `limit_storms(..)` needs a telemetry builder.
#[diagnostic::on_unimplemented(
    message = "`.limit_storms(..)` needs a telemetry builder first: call `.with_failure_telemetry_builder(..)` or `.with_failure_telemetry(..)` before `.limit_storms(..)`",
    label = "no telemetry hook to protect at stage `{Self}`",
    note = "a storm policy limits how often the telemetry hook is called; without a builder there is no hook to limit (the handler and the listener are never limited); in code generic over the stage, add the bound `S: StormsNeedBuilder` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait StormsNeedBuilder: TelemetryStage {}
impl<K: MetricsState> StormsNeedBuilder for WithBuilder<K> {}
impl StormsNeedBuilder for Observed {}
impl StormsNeedBuilder for Finalized {}

/// Rule 9: `limit_storms(..)` needs a runtime clock. Implemented by every
/// [`MonotonicClock`]; sealed, since the only other runtime clock is `NoClock`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a monotonic clock, so this runtime cannot measure storm windows: give the runtime a `Clock` that implements `MonotonicClock` (or use `StdRuntime`), or remove `.limit_storms(..)`",
    label = "this runtime's `Clock` cannot tell time",
    note = "a storm policy allows `burst` hook calls per `window` of the runtime's clock (`ActorRuntime::Clock`); implement `MonotonicClock` for your clock; in code generic over the runtime, add the bound `R::Clock: StormsNeedClock` (from `escalation_telemetry::config::diagnostics`)"
)]
pub trait StormsNeedClock: RuntimeClock {}
impl<C: MonotonicClock> StormsNeedClock for C {}

/// The stage after `with_metrics_sink(..)`. Total over stages, so that a wrong call
/// reports only the broken rule.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a telemetry stage known to move on with `.with_metrics_sink(..)`",
    label = "the next stage is unknown",
    note = "in code generic over the stage, add the bound `S: NextWithMetrics<Next = N>` (from `escalation_telemetry::config::diagnostics`) next to the rule bounds of `with_metrics_sink`"
)]
pub trait NextWithMetrics: TelemetryStage {
    /// The next stage.
    type Next: TelemetryStage;
}
impl<K: MetricsState> NextWithMetrics for NoTelemetry<K> {
    type Next = NoTelemetry<MetricsSet>;
}
impl<K: MetricsState> NextWithMetrics for WithBuilder<K> {
    type Next = WithBuilder<MetricsSet>;
}
impl NextWithMetrics for Observed {
    type Next = Observed;
}
impl NextWithMetrics for Finalized {
    type Next = Finalized;
}

/// The stage after `with_failure_telemetry_builder(..)`. Total over stages, so that a
/// wrong call reports only the broken rule.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a telemetry stage known to move on with a telemetry builder",
    label = "the next stage is unknown",
    note = "in code generic over the stage, add the bound `S: NextWithBuilder<Next = N>` (from `escalation_telemetry::config::diagnostics`) next to the rule bounds of `with_failure_telemetry_builder`"
)]
pub trait NextWithBuilder: TelemetryStage {
    /// The next stage.
    type Next: TelemetryStage;
}
impl<K: MetricsState> NextWithBuilder for NoTelemetry<K> {
    type Next = WithBuilder<K>;
}
impl<K: MetricsState> NextWithBuilder for WithBuilder<K> {
    type Next = WithBuilder<K>;
}
impl NextWithBuilder for Observed {
    type Next = Observed;
}
impl NextWithBuilder for Finalized {
    type Next = Finalized;
}
