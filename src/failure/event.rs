//! Events published to the failure event listener.

use super::FailureInfo;
use crate::tags::DefaultTags;

/// What the failure event listener receives.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FailureEvent<T = DefaultTags> {
    /// A failure reached the root guardian.
    RootEscalated(FailureInfo<T>),
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
