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

use crate::metrics::instruments::{
    INSTRUMENTS, Instrument, InstrumentKind, InstrumentUnit, LATENCY_BUCKETS_SECONDS,
};
use crate::metrics::{MetricsEvent, MetricsSink, MetricsValue};
use crate::tags::TelemetryTag;

mod trace;
pub use trace::{current_trace, trace_of};

#[cfg(feature = "opentelemetry-logs")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry-logs")))]
pub mod logs;
#[cfg(feature = "opentelemetry-logs")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry-logs")))]
pub use logs::OpenTelemetryLogTelemetry;

/// A [`MetricsSink`] that records into OpenTelemetry instruments built once on an
/// injected [`Meter`]: `u64` counters and an `f64` histogram in seconds (unit `s`,
/// bucket bounds [`LATENCY_BUCKETS_SECONDS`]), one per row of [`INSTRUMENTS`] — the same names as the `metrics` feature's
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
    /// One instrument per row of [`INSTRUMENTS`], indexed like it.
    instruments: [OtelInstrument; MetricsEvent::KINDS],
}

/// An instrument built on the meter.
enum OtelInstrument {
    Counter(Counter<u64>),
    Histogram(Histogram<f64>),
}

impl OtelInstrument {
    /// Builds `instrument` on `meter`.
    fn build(meter: &Meter, instrument: &Instrument) -> Self {
        match instrument.kind {
            InstrumentKind::Histogram => {
                let histogram = meter
                    .f64_histogram(instrument.name)
                    .with_description(instrument.help);
                let histogram = match instrument.unit {
                    InstrumentUnit::Seconds => histogram.with_unit("s"),
                    _ => histogram,
                };
                Self::Histogram(
                    histogram
                        .with_boundaries(Vec::from(LATENCY_BUCKETS_SECONDS))
                        .build(),
                )
            }
            _ => Self::Counter(
                meter
                    .u64_counter(instrument.name)
                    .with_description(instrument.help)
                    .build(),
            ),
        }
    }
}

impl OpenTelemetryMetricsSink {
    /// Builds the instruments on `meter`.
    #[must_use]
    pub fn new(meter: &Meter) -> Self {
        Self {
            instruments: INSTRUMENTS
                .each_ref()
                .map(|instrument| OtelInstrument::build(meter, instrument)),
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
        // The table test in `metrics/event.rs` pins each value to its instrument's kind.
        match (&self.instruments[event.instrument_index()], event.value()) {
            (OtelInstrument::Counter(counter), MetricsValue::One) => counter.add(1, &[]),
            (OtelInstrument::Counter(counter), MetricsValue::Count(n)) => {
                counter.add(u64::from(n), &[]);
            }
            (OtelInstrument::Histogram(histogram), MetricsValue::Latency(latency)) => {
                histogram.record(latency.as_secs_f64(), &[]);
            }
            _ => {}
        }
    }
}

impl fmt::Debug for OpenTelemetryMetricsSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenTelemetryMetricsSink")
            .finish_non_exhaustive()
    }
}
