//! Where observations go: metrics events and sinks.

mod counting;
mod event;
pub mod instruments;
mod shared;
mod sink;

pub use counting::{CountingMetricsSink, MetricsTotals};
pub use event::{MetricsEvent, MetricsValue};
pub use shared::MetricsSinkShared;
pub use sink::MetricsSink;
