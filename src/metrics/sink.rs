//! The metrics sink trait.

use super::MetricsEvent;

/// Receives [`MetricsEvent`]s. Called on the failure path: keep it cheap (an atomic
/// increment, a pre-registered counter handle).
pub trait MetricsSink: Send + Sync {
    /// Records one event.
    fn record(&self, event: MetricsEvent);
}

impl<S: MetricsSink + ?Sized> MetricsSink for alloc::sync::Arc<S> {
    fn record(&self, event: MetricsEvent) {
        (**self).record(event);
    }
}

impl<S: MetricsSink + ?Sized> MetricsSink for &S {
    fn record(&self, event: MetricsEvent) {
        (**self).record(event);
    }
}
