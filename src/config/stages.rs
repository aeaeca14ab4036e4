//! The typestate stages of the telemetry setup.
//!
//! ```text
//! NoTelemetry ──with_failure_telemetry_builder──▶ WithBuilder ──observe──▶ Observed
//!      │                                              │                       │
//!      └────────────── finalize ──────────────────────┴──────── finalize ─────┴──▶ Finalized
//! ```
//!
//! Before `observe()`, the stage also records whether a metrics sink is set
//! ([`MetricsSet`] or [`MetricsUnset`]), because `observe()` needs one. These types are
//! never built; they only appear in `ActorSystemConfig<R, S>`.

use core::marker::PhantomData;

/// A typestate stage. Sealed.
pub trait TelemetryStage: crate::sealed::Sealed + 'static {}

/// No telemetry builder yet. `K` records whether a metrics sink is set.
pub struct NoTelemetry<K = MetricsUnset>(PhantomData<K>);
/// A telemetry builder is set. `K` records whether a metrics sink is set.
pub struct WithBuilder<K = MetricsUnset>(PhantomData<K>);
/// The telemetry call is observed into the (now fixed) metrics sink.
pub struct Observed;
/// The setup is complete and cannot change; sinks can be built.
pub struct Finalized;

/// No metrics sink has been set.
pub struct MetricsUnset;
/// A metrics sink has been set.
pub struct MetricsSet;

/// Marks whether a metrics sink is set. Sealed.
pub trait MetricsState: crate::sealed::Sealed + 'static {}

impl crate::sealed::Sealed for MetricsUnset {}
impl crate::sealed::Sealed for MetricsSet {}
impl MetricsState for MetricsUnset {}
impl MetricsState for MetricsSet {}

impl<K: MetricsState> crate::sealed::Sealed for NoTelemetry<K> {}
impl<K: MetricsState> crate::sealed::Sealed for WithBuilder<K> {}
impl crate::sealed::Sealed for Observed {}
impl crate::sealed::Sealed for Finalized {}

impl<K: MetricsState> TelemetryStage for NoTelemetry<K> {}
impl<K: MetricsState> TelemetryStage for WithBuilder<K> {}
impl TelemetryStage for Observed {}
impl TelemetryStage for Finalized {}
