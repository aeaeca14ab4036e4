//! Phase C of the RFC and our typestate: setting telemetry up through
//! [`ActorSystemConfig`].

mod actor_system_config;
mod builder;
mod context;
pub mod diagnostics;
mod extensions;
mod runtime;
mod stages;

pub use actor_system_config::ActorSystemConfig;
pub(crate) use actor_system_config::{FailureEventHandler, FailureEventListener};
pub use builder::{FailureTelemetryBuilder, failure_telemetry_builder};
pub use context::TelemetryContext;
pub use extensions::Extensions;
pub use runtime::ActorRuntime;
#[cfg(feature = "std")]
pub use runtime::StdRuntime;
pub use stages::{
    Finalized, MetricsSet, MetricsState, MetricsUnset, NoTelemetry, Observed, TelemetryStage,
    WithBuilder,
};
