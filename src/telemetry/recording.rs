//! A telemetry hook and metrics sink that records what reached the root, for tests.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::vec::Vec;

use core::fmt;

use super::{FailureSnapshot, FailureTelemetry, OwnedFailureSnapshot};
use crate::metrics::{MetricsEvent, MetricsSink, MetricsValue};

/// One thing a [`RecordingTelemetry`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordedEntry {
    /// The telemetry hook was called with this failure.
    Failure(OwnedFailureSnapshot),
    /// This event was recorded into the metrics sink.
    Metrics(MetricsEvent),
}

/// Records every failure that reaches it as a telemetry hook and, when also installed as
/// the metrics sink, every metrics event, in the order they arrive; its `Display` is a
/// stable text meant for snapshot tests (`insta::assert_snapshot!(recorded)`).
///
/// Clones share one recording: install one clone as telemetry (and one as the metrics
/// sink, to see the events) and keep one to read. A poisoned lock (a panic elsewhere
/// while recording) does not lose what was recorded.
///
/// # Display
///
/// One line per entry, in arrival order, no trailing newline (nothing for an empty
/// recording):
///
/// ```text
/// metrics telemetry_invoked
/// failure path=/1/4 actor=4 hops=1 description="disk full" tags=[component=storage]
/// metrics telemetry_latency=[redacted]
/// ```
///
/// - `failure ` followed by the [`FailureSnapshot`] line;
/// - `metrics ` followed by the event's name in the instrument table
///   ([`INSTRUMENTS`](crate::metrics::instruments::INSTRUMENTS), its `event` column):
///   `telemetry_invoked`, `telemetry_panicked`, `handler_panicked`, `listener_panicked`,
///   `clock_panicked`, `builder_panicked`, `telemetry_suppressed`; with its count for
///   `tags_dropped=N` and `forward_dropped=N`; and `telemetry_latency=[redacted]`.
///   Latencies are redacted so the text is the same on
///   every run; a clock under the test's control can make them deterministic, and
///   [`show_latencies(true)`](Self::show_latencies) then prints them in nanoseconds
///   (`telemetry_latency=1500ns`). [`events`](Self::events) always has the exact values.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let recorded = RecordingTelemetry::new();
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_metrics_sink(MetricsSinkShared::new(recorded.clone()))
///     .with_failure_telemetry({
///         let recorded = recorded.clone();
///         move |_ctx| FailureTelemetryShared::new(recorded.clone())
///     })
///     .observe()
///     .capture_timing(true)
///     .finalize();
/// let mut root = config.root_escalation_sink::<()>();
///
/// let path = ActorPath::root().child(ActorId(1)).child(ActorId(4));
/// let failure = FailureInfo::new(ActorId(4), path, ActorFailure::from_message("disk full"))
///     .with_metadata(FailureMetadata::new().with_component("storage"))
///     .escalate_to_parent();
/// root.handle(failure, false).expect("the root handles every failure");
///
/// assert_eq!(
///     recorded.to_string(),
///     "metrics telemetry_invoked\n\
///      failure path=/1/4 actor=4 hops=1 description=\"disk full\" tags=[component=storage]\n\
///      metrics telemetry_latency=[redacted]",
/// );
/// assert_eq!(recorded.snapshots()[0].description(), "disk full");
/// ```
#[derive(Clone, Default)]
pub struct RecordingTelemetry {
    entries: Arc<Mutex<Vec<RecordedEntry>>>,
    show_latencies: bool,
}

impl RecordingTelemetry {
    /// An empty recording; latencies redacted in `Display`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether this handle's `Display` prints latencies (in nanoseconds) instead of
    /// `[redacted]`. Only for latencies the test controls; the recording is unchanged.
    #[must_use]
    pub fn show_latencies(mut self, show: bool) -> Self {
        self.show_latencies = show;
        self
    }

    /// Everything recorded so far, in arrival order.
    #[must_use]
    pub fn entries(&self) -> Vec<RecordedEntry> {
        self.lock().clone()
    }

    /// The failures recorded so far, in arrival order.
    #[must_use]
    pub fn snapshots(&self) -> Vec<OwnedFailureSnapshot> {
        self.lock()
            .iter()
            .filter_map(|entry| match entry {
                RecordedEntry::Failure(snapshot) => Some(snapshot.clone()),
                RecordedEntry::Metrics(_) => None,
            })
            .collect()
    }

    /// The metrics events recorded so far, in arrival order, with exact latencies.
    #[must_use]
    pub fn events(&self) -> Vec<MetricsEvent> {
        self.lock()
            .iter()
            .filter_map(|entry| match entry {
                RecordedEntry::Metrics(event) => Some(*event),
                RecordedEntry::Failure(_) => None,
            })
            .collect()
    }

    /// Forgets everything recorded so far (for every clone).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn push(&self, entry: RecordedEntry) {
        self.lock().push(entry);
    }

    /// The entries. Recording never panics while holding the lock, but a poisoned lock
    /// still holds complete entries, so it is used as is.
    fn lock(&self) -> MutexGuard<'_, Vec<RecordedEntry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl FailureTelemetry for RecordingTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        self.push(RecordedEntry::Failure(snapshot.into_owned()));
    }
}

impl MetricsSink for RecordingTelemetry {
    fn record(&self, event: MetricsEvent) {
        self.push(RecordedEntry::Metrics(event));
    }
}

impl fmt::Display for RecordingTelemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, entry) in self.lock().iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            match entry {
                RecordedEntry::Failure(snapshot) => write!(f, "failure {snapshot}")?,
                RecordedEntry::Metrics(event) => {
                    f.write_str("metrics ")?;
                    write_event(f, *event, self.show_latencies)?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for RecordingTelemetry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingTelemetry")
            .field("entries", &*self.lock())
            .field("show_latencies", &self.show_latencies)
            .finish()
    }
}

/// The stable text of each event: its name in the instrument table, with its count
/// or latency when it carries one.
fn write_event(f: &mut fmt::Formatter<'_>, event: MetricsEvent, show_latency: bool) -> fmt::Result {
    let name = event.instrument().event;
    match event.value() {
        MetricsValue::One => f.write_str(name),
        MetricsValue::Count(count) => write!(f, "{name}={count}"),
        MetricsValue::Latency(latency) if show_latency => {
            write!(f, "{name}={}ns", latency.as_nanos())
        }
        MetricsValue::Latency(_) => write!(f, "{name}=[redacted]"),
    }
}
