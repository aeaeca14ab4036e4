//! [`OpenTelemetryMetricsSink`]: observations recorded as OpenTelemetry instruments on a
//! [`Meter`] you provide; [`tag_attributes`]: tags as OpenTelemetry attributes; with the
//! `opentelemetry-logs` feature, `OpenTelemetryLogTelemetry`: one log record per failure.
//!
//! All of them speak the OpenTelemetry API only; the SDK and its exporter (OTLP, ...) are
//! the application's choice. `tests/opentelemetry_otlp_export.rs` exports the metrics
//! and the log records through the official OTLP exporter (HTTP/protobuf) to a receiver
//! on 127.0.0.1.

use alloc::vec::Vec;
use core::fmt;

use ::opentelemetry::KeyValue;
use ::opentelemetry::metrics::{Counter, Histogram, Meter};

use super::instruments::{
    BUILDER_PANICS_HELP, BUILDER_PANICS_TOTAL, CLOCK_PANICS_HELP, CLOCK_PANICS_TOTAL,
    FORWARD_DROPPED_HELP, FORWARD_DROPPED_TOTAL, HANDLER_PANICS_HELP, HANDLER_PANICS_TOTAL,
    INVOCATIONS_HELP, INVOCATIONS_TOTAL, LATENCY_BUCKETS_SECONDS, LATENCY_HELP, LATENCY_SECONDS,
    LISTENER_PANICS_HELP, LISTENER_PANICS_TOTAL, PANICS_HELP, PANICS_TOTAL, SUPPRESSED_HELP,
    SUPPRESSED_TOTAL, TAGS_DROPPED_HELP, TAGS_DROPPED_TOTAL,
};
use crate::metrics::{MetricsEvent, MetricsSink};
use crate::tags::TelemetryTag;

#[cfg(feature = "opentelemetry-logs")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry-logs")))]
pub mod logs;
#[cfg(feature = "opentelemetry-logs")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry-logs")))]
pub use logs::OpenTelemetryLogTelemetry;

/// A [`MetricsSink`] that records into OpenTelemetry instruments built once on an
/// injected [`Meter`]: `u64` counters and an `f64` histogram in seconds (unit `s`,
/// bucket bounds [`LATENCY_BUCKETS_SECONDS`]), under the names in
/// [`instruments`](super::instruments) — the same names as the `metrics` feature's
/// `MetricsFacadeSink`, so one dashboard reads either. No attributes are attached to the
/// instruments (their cardinality stays one series each); put deployment identity on
/// the meter provider's resource, e.g. the config's system tags through
/// [`tag_attributes`]:
///
/// ```
/// use escalation_telemetry::integrations::opentelemetry::tag_attributes;
/// use escalation_telemetry::prelude::*;
///
/// let config = ActorSystemConfig::<StdRuntime>::new().with_system_tag(key!("region"), "eu");
/// let resource = opentelemetry_sdk::Resource::builder()
///     .with_attributes(tag_attributes(config.system_tags()))
///     .build();
/// # assert!(resource.get(&opentelemetry::Key::from_static_str("region")).is_some());
/// ```
///
/// ```
/// use escalation_telemetry::integrations::opentelemetry::OpenTelemetryMetricsSink;
/// use escalation_telemetry::prelude::*;
///
/// let meter = opentelemetry::global::meter("orders-service");
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .with_metrics_sink(MetricsSinkShared::new(OpenTelemetryMetricsSink::new(&meter)))
///     .with_failure_telemetry(|_ctx| FailureTelemetryShared::noop())
///     .observe()
///     .capture_timing(true)
///     .finalize();
/// # let _ = config;
/// ```
///
/// `tests/opentelemetry_in_memory_export.rs` exports through the SDK and checks the
/// counts.
pub struct OpenTelemetryMetricsSink {
    invocations: Counter<u64>,
    panics: Counter<u64>,
    latency: Histogram<f64>,
    tags_dropped: Counter<u64>,
    handler_panics: Counter<u64>,
    listener_panics: Counter<u64>,
    clock_panics: Counter<u64>,
    builder_panics: Counter<u64>,
    suppressed: Counter<u64>,
    forward_dropped: Counter<u64>,
}

impl OpenTelemetryMetricsSink {
    /// Builds the instruments on `meter`.
    #[must_use]
    pub fn new(meter: &Meter) -> Self {
        let counter = |name: &'static str, help: &'static str| {
            meter.u64_counter(name).with_description(help).build()
        };
        Self {
            invocations: counter(INVOCATIONS_TOTAL, INVOCATIONS_HELP),
            panics: counter(PANICS_TOTAL, PANICS_HELP),
            latency: meter
                .f64_histogram(LATENCY_SECONDS)
                .with_description(LATENCY_HELP)
                .with_unit("s")
                .with_boundaries(Vec::from(LATENCY_BUCKETS_SECONDS))
                .build(),
            tags_dropped: counter(TAGS_DROPPED_TOTAL, TAGS_DROPPED_HELP),
            handler_panics: counter(HANDLER_PANICS_TOTAL, HANDLER_PANICS_HELP),
            listener_panics: counter(LISTENER_PANICS_TOTAL, LISTENER_PANICS_HELP),
            clock_panics: counter(CLOCK_PANICS_TOTAL, CLOCK_PANICS_HELP),
            builder_panics: counter(BUILDER_PANICS_TOTAL, BUILDER_PANICS_HELP),
            suppressed: counter(SUPPRESSED_TOTAL, SUPPRESSED_HELP),
            forward_dropped: counter(FORWARD_DROPPED_TOTAL, FORWARD_DROPPED_HELP),
        }
    }
}

/// Tags as OpenTelemetry attributes (`KeyValue`s, string values), in the order given.
///
/// For a failure pass [`FailureSnapshot::all_tags`](crate::FailureSnapshot::all_tags):
/// its own tags, then the system tags it does not override. For a resource or a meter's
/// scope, pass the config's [`system_tags`](crate::ActorSystemConfig::system_tags).
/// `'static` keys and values are not copied.
///
/// Keys go through as they are: a key checked by [`key!`](crate::key) is already a valid
/// label name; a run-time key is not rewritten here (OpenTelemetry allows any non-empty
/// key, and its Prometheus exporter maps other characters to `_` itself).
///
/// ```
/// use escalation_telemetry::integrations::opentelemetry::tag_attributes;
/// use escalation_telemetry::prelude::*;
/// use opentelemetry::KeyValue;
///
/// let system = [tag!("service", "orders"), tag!("region", "eu")];
/// let info = FailureInfo::new(ActorId(9), "/9".parse()?, ActorFailure::from_message("boom"))
///     .with_metadata(FailureMetadata::new().with_tag(key!("region"), "us"));
/// let attributes: Vec<KeyValue> =
///     tag_attributes(info.snapshot().with_system_tags(&system).all_tags()).collect();
/// assert_eq!(attributes, [KeyValue::new("region", "us"), KeyValue::new("service", "orders")]);
/// # Ok::<(), ParseActorPathError>(())
/// ```
pub fn tag_attributes<'a, I>(tags: I) -> impl Iterator<Item = KeyValue> + 'a
where
    I: IntoIterator<Item = &'a TelemetryTag>,
    I::IntoIter: 'a,
{
    tags.into_iter()
        .map(|tag| KeyValue::new(tag.key.clone(), tag.value.clone()))
}

impl MetricsSink for OpenTelemetryMetricsSink {
    #[inline]
    fn record(&self, event: MetricsEvent) {
        match event {
            MetricsEvent::TelemetryInvoked => self.invocations.add(1, &[]),
            MetricsEvent::TelemetryLatency(latency) => {
                self.latency.record(latency.as_secs_f64(), &[]);
            }
            MetricsEvent::TelemetryPanicked => self.panics.add(1, &[]),
            MetricsEvent::TagsDropped(n) => self.tags_dropped.add(u64::from(n), &[]),
            MetricsEvent::HandlerPanicked => self.handler_panics.add(1, &[]),
            MetricsEvent::ListenerPanicked => self.listener_panics.add(1, &[]),
            MetricsEvent::ClockPanicked => self.clock_panics.add(1, &[]),
            MetricsEvent::BuilderPanicked => self.builder_panics.add(1, &[]),
            MetricsEvent::TelemetrySuppressed => self.suppressed.add(1, &[]),
            MetricsEvent::ForwardDropped(n) => self.forward_dropped.add(u64::from(n), &[]),
        }
    }
}

impl fmt::Debug for OpenTelemetryMetricsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenTelemetryMetricsSink")
            .finish_non_exhaustive()
    }
}
