//! Failure telemetry for the root guardian of an actor system.
//!
//! When an actor fails and no supervisor handles the failure, it reaches the root
//! guardian's [`RootEscalationSink`]. The sink builds a [`FailureSnapshot`] (actor,
//! path, description, escalation hops, key/value tags), calls your
//! [`FailureTelemetry`] hook, optionally observes that call (count and latency into a
//! [`MetricsSink`], switchable at run time), and then calls the failure event handler and
//! listener. All of it is set up by chaining calls on [`ActorSystemConfig`], whose
//! telemetry stages (`NoTelemetry → WithBuilder → Observed → Finalized`) turn an
//! inconsistent setup into a compile error that says how to fix it.
//!
//! ```
//! use escalation_telemetry::prelude::*;
//!
//! fn main() {
//!     let metrics = ArcShared::new(CountingMetricsSink::new());
//!     let config = ActorSystemConfig::<StdRuntime>::new()
//!         .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
//!         .with_failure_telemetry(|_ctx| {
//!             FailureTelemetryShared::from_fn(|snapshot| eprintln!("root failure: {snapshot}"))
//!         })
//!         .observe()
//!         .capture_timing(true)
//!         .finalize();
//!     let mut root = config.root_escalation_sink::<()>();
//!
//!     // A worker at /1/4 fails; its supervisor escalates to the root.
//!     let path = ActorPath::root().child(ActorId(1)).child(ActorId(4));
//!     let failure = FailureInfo::new(ActorId(4), path, ActorFailure::from_message("disk full"))
//!         .with_metadata(FailureMetadata::new().with_component("storage").with_tag(key!("tenant"), "acme"))
//!         .escalate_to_parent();
//!     root.handle(failure, false).expect("the root handles every failure");
//!
//!     assert_eq!(metrics.totals().invocations, 1);
//!     assert_eq!(metrics.totals().latency_samples, 1);
//! }
//! ```
//!
//! # The guide
//!
//! The pages of `docs/` are modules of [`guide`], and their Rust blocks are doctests:
//! start with [`guide::getting_started`], then [`guide::typestate`] (every
//! configuration error and its fix), [`guide::tags`], [`guide::storms`] and
//! [`guide::integrations`] (tracing, Prometheus, OpenTelemetry, ractor, kameo, Sentry,
//! defmt). Build these pages locally with `cargo doc --open --all-features`.
//!
//! # Cargo features
//!
//! | feature | brings |
//! |---|---|
//! | `std` (default) | panic catching around hooks, `StdClock`, `FastClock`, `StdRuntime`, spilling tags by default |
//! | `tracing` | `integrations::tracing::TracingFailureTelemetry` |
//! | `metrics` | `integrations::metrics::MetricsFacadeSink` (Prometheus and any `metrics` exporter) |
//! | `prometheus` | `metrics` plus `integrations::prometheus`: the Prometheus exporter's builder with the latency as a histogram |
//! | `opentelemetry` | `integrations::opentelemetry`: the same instruments on an OpenTelemetry `Meter` |
//! | `opentelemetry-logs` | `opentelemetry` plus `OpenTelemetryLogTelemetry`: one OpenTelemetry log record per failure |
//! | `serde` | snapshot serialization, owned snapshots that deserialize, actor paths as strings |
//! | `ractor` | `integrations::ractor`: a root guardian for ractor supervision trees |
//! | `cluster` | `integrations::ractor::cluster`: failures of a ractor_cluster reach one collecting node |
//! | `kameo` | `integrations::kameo`: a root guardian for kameo trees |
//! | `sentry` | `integrations::sentry::SentryFailureTelemetry`: one Sentry event per failure |
//! | `defmt` | `defmt::Format` impls and `integrations::defmt::DefmtFailureTelemetry` (no_std) |
//!
//! # no_std
//!
//! The core needs only `alloc`:
//!
//! ```toml
//! [dependencies]
//! # until a release is published, a checkout of this repository:
//! escalation-telemetry = { path = "../escalation-telemetry", default-features = false }
//! ```
//!
//! Without `std` the default tag storage is bounded ([`BoundedTags`]), your runtime
//! brings its own [`MonotonicClock`], and hook panics are not caught (there is no
//! unwinding to catch).
//!
//! # Panic isolation needs unwinding
//!
//! With `std`, a panic in user code on the root path (the hook, the handler, the
//! listener, the metrics sink, the runtime's clock, a builder given to
//! [`RootEscalationSink::apply_builder`]) is caught and counted, and the root keeps
//! going. Catching needs a profile that unwinds: with `panic = "abort"` (a common
//! release setting) the first such panic ends the process, `std` or not.
//! [`PANIC_ISOLATION`] is `true` exactly when panics are caught; check it where your
//! deployment relies on the root surviving its hooks.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod config;
pub mod escalation;
pub mod failure;
// The pages' doctests need `std`; without it the pages still render.
#[cfg(any(not(doctest), feature = "std"))]
pub mod guide;
pub mod integrations;
pub mod isolation;
pub mod metrics;
pub mod observation;
pub mod storms;
pub mod sync;
pub mod tags;
pub mod telemetry;
pub mod text;

mod assertions;

mod sealed;

#[cfg(feature = "std")]
pub use config::StdRuntime;
pub use config::{
    ActorRuntime, ActorSystemConfig, Extensions, FailureTelemetryBuilder, Finalized, MetricsSet,
    MetricsState, MetricsUnset, NoTelemetry, Observed, TelemetryContext, WithBuilder,
    failure_telemetry_builder,
};
pub use escalation::{EscalationSink, EscalationStats, PANIC_ISOLATION, RootEscalationSink};
#[cfg(feature = "std")]
pub use failure::install_panic_hook;
pub use failure::{
    ActorFailure, ActorId, ActorPath, CodeLocation, FailureEscalationStage, FailureEvent,
    FailureInfo, FailureKind, FailureMetadata, MAX_BACKTRACE_BYTES, MAX_FAILURE_CAUSES,
    ParseActorPathError, TraceContext,
};
pub use metrics::{
    CountingMetricsSink, MetricsEvent, MetricsSink, MetricsSinkShared, MetricsTotals,
};
pub use observation::{
    FailureTelemetryObservationConfig, FailureTelemetryObserver, MonotonicClock, NoClock,
    ObservationSwitch, RuntimeClock,
};
#[cfg(feature = "std")]
pub use observation::{FastClock, StdClock};
pub use storms::{StormPolicy, StormSignature};
pub use sync::ArcShared;
pub use tags::{
    BoundedTags, DEFAULT_TAG_CAPACITY, DefaultTags, MAX_TAG_CAPACITY, SPILLING_TAG_LIMIT,
    SpillingTags, TagError, TagStorage, TelemetryKey, TelemetryTag, TelemetryValue,
};
pub use telemetry::{
    AllTags, FailureSnapshot, FailureTelemetry, FailureTelemetryShared, IntoFailureTelemetryShared,
    LOCATION_FILTERS, NoopFailureTelemetry, OwnedFailureSnapshot, TypedFailureTelemetry,
};
#[cfg(feature = "std")]
pub use telemetry::{RecordedEntry, RecordingTelemetry};

/// What an application writes, in one import: `use escalation_telemetry::prelude::*;`.
///
/// The names of DESIGN §3 (the failure model, the hook, the config and its stages, the
/// sinks), of the second stage (tags and system tags, storms, stats) and the `key!` and
/// `tag!` macros. Type-level machinery that an application never names (the metrics
/// markers of the stages `MetricsSet`/`MetricsUnset`/`MetricsState`, the
/// `RuntimeClock` bound, the `TagStorage` trait, `MAX_TAG_CAPACITY`) stays at its
/// module path ([`config`], [`observation`], [`tags`]) and at the crate root.
pub mod prelude {
    pub use crate::{
        ActorFailure, ActorId, ActorPath, ActorRuntime, ActorSystemConfig, ArcShared, BoundedTags,
        CodeLocation, CountingMetricsSink, DEFAULT_TAG_CAPACITY, DefaultTags, EscalationSink,
        EscalationStats, Extensions, FailureEscalationStage, FailureEvent, FailureInfo,
        FailureKind, FailureMetadata, FailureSnapshot, FailureTelemetry, FailureTelemetryBuilder,
        FailureTelemetryObservationConfig, FailureTelemetryObserver, FailureTelemetryShared,
        Finalized, MetricsEvent, MetricsSink, MetricsSinkShared, MetricsTotals, MonotonicClock,
        NoClock, NoTelemetry, NoopFailureTelemetry, ObservationSwitch, Observed,
        OwnedFailureSnapshot, PANIC_ISOLATION, ParseActorPathError, RootEscalationSink,
        SpillingTags, StormPolicy, StormSignature, TagError, TelemetryContext, TelemetryKey,
        TelemetryTag, TelemetryValue, TraceContext, TypedFailureTelemetry, WithBuilder,
        failure_telemetry_builder, key, tag,
    };
    #[cfg(feature = "std")]
    pub use crate::{
        FastClock, RecordedEntry, RecordingTelemetry, StdClock, StdRuntime, install_panic_hook,
    };
}
