//! Integrations with the tools Rust users already run, each behind its cargo feature.

#[cfg(any(feature = "metrics", feature = "opentelemetry"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "metrics", feature = "opentelemetry"))))]
pub mod instruments;

#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
pub mod metrics;

#[cfg(feature = "prometheus")]
#[cfg_attr(docsrs, doc(cfg(feature = "prometheus")))]
pub mod prometheus;

#[cfg(feature = "opentelemetry")]
#[cfg_attr(docsrs, doc(cfg(feature = "opentelemetry")))]
pub mod opentelemetry;

#[cfg(feature = "tracing")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing")))]
pub mod tracing;

#[cfg(feature = "tracing-opentelemetry")]
#[cfg_attr(docsrs, doc(cfg(feature = "tracing-opentelemetry")))]
pub mod tracing_opentelemetry;

#[cfg(feature = "ractor")]
#[cfg_attr(docsrs, doc(cfg(feature = "ractor")))]
pub mod ractor;

#[cfg(feature = "kameo")]
#[cfg_attr(docsrs, doc(cfg(feature = "kameo")))]
pub mod kameo;

#[cfg(any(feature = "ractor", feature = "kameo"))]
mod user_code;

#[cfg(feature = "sentry")]
#[cfg_attr(docsrs, doc(cfg(feature = "sentry")))]
pub mod sentry;

#[cfg(feature = "defmt")]
#[cfg_attr(docsrs, doc(cfg(feature = "defmt")))]
pub mod defmt;

/// The Rust snippets of `docs/integrations.md`, compiled as doctests so the guide
/// cannot drift from the API.
#[cfg(all(
    doctest,
    feature = "tracing",
    feature = "prometheus",
    feature = "opentelemetry-logs",
    feature = "ractor",
    feature = "kameo",
    feature = "sentry",
    feature = "defmt"
))]
#[doc = include_str!("../../docs/integrations.md")]
pub struct IntegrationsGuide;

/// The Rust snippets of `docs/operations.md` (Prometheus setup, OTLP setup), compiled as
/// doctests.
#[cfg(all(doctest, feature = "prometheus", feature = "opentelemetry-logs"))]
#[doc = include_str!("../../docs/operations.md")]
pub struct OperationsGuide;
