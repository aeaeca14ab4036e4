//! The telemetry hook, its shared handle, and the snapshot it receives.

mod all_tags;
#[cfg(feature = "serde")]
mod crash_form;
mod crash_line;
mod crash_report;
mod from_fn;
mod hook;
mod info_view;
mod into_shared;
mod noop;
mod owned;
#[cfg(feature = "std")]
mod recording;
#[cfg(feature = "serde")]
mod serde;
mod shared;
mod snapshot;
mod typed;

pub use all_tags::AllTags;
pub use crash_line::LOCATION_FILTERS;
#[cfg_attr(
    not(feature = "serde"),
    allow(unused_imports, reason = "the serde form and the cluster wire use it")
)]
pub(crate) use crash_report::CrashReport;
pub use from_fn::FnFailureTelemetry;
pub use hook::FailureTelemetry;
pub use into_shared::IntoFailureTelemetryShared;
pub use noop::NoopFailureTelemetry;
pub use owned::OwnedFailureSnapshot;
#[cfg(feature = "std")]
pub use recording::{RecordedEntry, RecordingTelemetry};
pub use shared::FailureTelemetryShared;
pub use snapshot::FailureSnapshot;
pub use typed::TypedFailureTelemetry;
