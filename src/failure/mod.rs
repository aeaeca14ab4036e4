//! The failure model: who failed, where, what, and how far it travelled.

mod event;
#[allow(
    clippy::module_inception,
    reason = "the module is named after the type it holds"
)]
mod failure;
mod id;
mod info;
mod metadata;
mod path;
mod path_parse;
#[cfg(feature = "serde")]
mod path_serde;
mod stage;

pub use event::FailureEvent;
pub use failure::ActorFailure;
pub use id::ActorId;
pub use info::FailureInfo;
pub use metadata::FailureMetadata;
pub use path::{ActorPath, INLINE_PATH_DEPTH};
pub use path_parse::ParseActorPathError;
pub use stage::FailureEscalationStage;
