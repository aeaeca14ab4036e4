//! [`TracingFailureTelemetry`]: every failure that reaches the root guardian becomes one
//! structured `tracing` event at level ERROR, target [`TARGET`].

mod tags_field;
mod telemetry;

pub use tags_field::TagsField;
pub use telemetry::{TARGET, TracingFailureTelemetry};
