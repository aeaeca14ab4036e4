//! The failure model: who failed, where, what, and how far it travelled.

mod details;
mod event;
#[allow(
    clippy::module_inception,
    reason = "the module is named after the type it holds"
)]
mod failure;
mod id;
mod info;
mod kind;
mod location;
mod metadata;
#[cfg(feature = "std")]
mod panic_hook;
#[cfg(feature = "std")]
mod panic_records;
mod path;
mod path_parse;
#[cfg(feature = "serde")]
mod path_serde;
mod stage;
mod trace;
#[cfg(feature = "std")]
mod trace_source;

pub use details::{MAX_BACKTRACE_BYTES, MAX_FAILURE_CAUSES};
pub use event::FailureEvent;
pub use failure::ActorFailure;
pub(crate) use failure::{CrashParts, OwnedCrashParts};
pub use id::ActorId;
pub use info::FailureInfo;
pub use kind::FailureKind;
pub use location::CodeLocation;
pub use metadata::FailureMetadata;
#[cfg(feature = "std")]
pub use panic_hook::{backtraces_captured, capture_backtraces, install_panic_hook};
#[cfg(feature = "std")]
pub use panic_records::{PANIC_RECORD_CAPACITY, panic_records_dropped, pending_panic_records};
pub use path::{ActorPath, INLINE_PATH_DEPTH};
pub use path_parse::ParseActorPathError;
pub use stage::FailureEscalationStage;
pub use trace::TraceContext;
#[cfg(feature = "std")]
pub use trace_source::{TraceSource, current_trace, set_trace_source};
