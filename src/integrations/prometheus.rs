//! The Prometheus exporter set up for our instruments: latency as a histogram with
//! [`LATENCY_BUCKETS_SECONDS`], so it aggregates across instances.
//!
//! `metrics-exporter-prometheus` renders every `metrics` histogram as a *summary*
//! (client-side quantiles per process) unless buckets are set for it. Quantiles of a
//! summary cannot be added up: the p99 of a fleet is not the average of its nodes' p99.
//! Bucket counts can, so `histogram_quantile(0.99, sum by (le) (rate(..._bucket[5m])))`
//! is the fleet's p99. The rules in `ops/prometheus/` rely on that.
//!
//! ```
//! use escalation_telemetry::integrations::metrics::MetricsFacadeSink;
//! use escalation_telemetry::integrations::prometheus::prometheus_builder;
//! use escalation_telemetry::prelude::*;
//!
//! // In an application: `.with_http_listener(address).install()?` instead.
//! let recorder = prometheus_builder().build_recorder();
//! let sink = MetricsFacadeSink::new_in(&recorder);
//! # let _ = sink;
//! ```

use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder};

#[cfg(doc)]
use crate::metrics::instruments::LATENCY_SECONDS;
use crate::metrics::instruments::{INSTRUMENTS, InstrumentKind, LATENCY_BUCKETS_SECONDS};

// `prometheus_builder` relies on it: the exporter refuses an empty bucket list.
const _: () = assert!(!LATENCY_BUCKETS_SECONDS.is_empty());

/// A new [`PrometheusBuilder`] that exports [`LATENCY_SECONDS`] as a histogram with
/// [`LATENCY_BUCKETS_SECONDS`] (every other setting is the exporter's default). Add a
/// listener, global labels and so on, then install it before making the
/// [`MetricsFacadeSink`](super::metrics::MetricsFacadeSink).
#[must_use]
pub fn prometheus_builder() -> PrometheusBuilder {
    // The only error is an empty bucket list, ruled out at compile time above.
    with_latency_histogram(PrometheusBuilder::new()).unwrap_or_else(|_| PrometheusBuilder::new())
}

/// Sets [`LATENCY_BUCKETS_SECONDS`] for [`LATENCY_SECONDS`] (every histogram of the
/// instrument table) on a builder you already configured, so the latency is exported as
/// a histogram rather than a summary. Other metrics keep the builder's settings.
///
/// # Errors
///
/// None with the crate's buckets; the exporter's signature returns a [`BuildError`]
/// for an empty bucket list.
pub fn with_latency_histogram(builder: PrometheusBuilder) -> Result<PrometheusBuilder, BuildError> {
    INSTRUMENTS
        .iter()
        .filter(|instrument| instrument.kind == InstrumentKind::Histogram)
        .try_fold(builder, |builder, instrument| {
            builder.set_buckets_for_metric(
                Matcher::Full(instrument.name.into()),
                LATENCY_BUCKETS_SECONDS,
            )
        })
}
