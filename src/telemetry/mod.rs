//! The telemetry hook, its shared handle, and the snapshot it receives.

mod all_tags;
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
