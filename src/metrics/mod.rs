//! Where observations go: metrics events and sinks.

mod counting;
mod event;
mod shared;
mod sink;

pub use counting::{CountingMetricsSink, MetricsTotals};
pub use event::MetricsEvent;
pub use shared::MetricsSinkShared;
pub use sink::MetricsSink;
