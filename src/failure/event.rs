//! Events published to the failure event listener.

use super::FailureInfo;
use crate::tags::{DefaultTags, TagStorage};

/// What the failure event listener receives.
///
/// The enum is `#[non_exhaustive]` (more events may come), so take the failure out with
/// [`info`](Self::info) or [`into_info`](Self::into_info) rather than an irrefutable
/// `let`:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let config = ActorSystemConfig::<StdRuntime>::new()
///     .finalize()
///     .with_failure_event_listener(|event: FailureEvent| {
///         let info = event.into_info();
///         assert_eq!(info.actor, ActorId(7));
///     });
/// let info = FailureInfo::new(ActorId(7), ActorPath::root().child(ActorId(7)), ActorFailure::from_message("x"));
/// config.root_escalation_sink::<()>().handle(info, false).expect("handled");
/// ```
#[derive(Debug, PartialEq)]
#[non_exhaustive]
pub enum FailureEvent<T = DefaultTags> {
    /// A failure reached the root guardian.
    RootEscalated(FailureInfo<T>),
}

impl<T: TagStorage> Clone for FailureEvent<T> {
    fn clone(&self) -> Self {
        match self {
            Self::RootEscalated(info) => Self::RootEscalated(info.clone()),
        }
    }
}

impl<T> FailureEvent<T> {
    /// The failure this event is about.
    #[must_use]
    pub fn info(&self) -> &FailureInfo<T> {
        match self {
            Self::RootEscalated(info) => info,
        }
    }

    /// Takes the failure out of the event.
    #[must_use]
    pub fn into_info(self) -> FailureInfo<T> {
        match self {
            Self::RootEscalated(info) => info,
        }
    }
}
