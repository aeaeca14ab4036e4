//! The shared handle to a metrics sink.

use core::fmt;

use super::{MetricsEvent, MetricsSink};
use crate::sync::ArcShared;

/// A cheap-to-clone handle to a [`MetricsSink`].
///
/// To read a sink back after handing it over, share it first:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let counters = ArcShared::new(CountingMetricsSink::new());
/// let shared = MetricsSinkShared::from_arc(counters.clone());
/// shared.record(MetricsEvent::TelemetryInvoked);
/// assert_eq!(counters.totals().invocations, 1);
/// ```
#[derive(Clone)]
pub struct MetricsSinkShared {
    inner: ArcShared<dyn MetricsSink>,
}

impl MetricsSinkShared {
    /// Wraps a sink.
    #[must_use]
    pub fn new<S: MetricsSink + 'static>(sink: S) -> Self {
        Self {
            inner: ArcShared::new(sink),
        }
    }

    /// Wraps a sink that is already shared.
    #[must_use]
    pub fn from_arc(sink: ArcShared<dyn MetricsSink>) -> Self {
        Self { inner: sink }
    }

    /// Records one event.
    #[inline]
    pub fn record(&self, event: MetricsEvent) {
        self.inner.record(event);
    }

    /// `true` when both handles record into the same sink.
    #[must_use]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        ArcShared::ptr_eq(&self.inner, &other.inner)
    }
}

impl MetricsSink for MetricsSinkShared {
    fn record(&self, event: MetricsEvent) {
        self.inner.record(event);
    }
}

impl fmt::Debug for MetricsSinkShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsSinkShared(..)")
    }
}
