//! An error an actor returns to attach tags to its own failure.

use core::fmt;

use crate::failure::{ActorFailure, FailureMetadata};
use crate::tags::{TelemetryKey, TelemetryValue};

/// An error that carries tags: return it from an actor (`handle`, `post_start`,
/// `handle_supervisor_evt`, ...) and the failure that reaches the root carries its
/// description and tags, after the `actor_name` tag.
///
/// Any other error works too (its `Display` becomes the description); a panic's
/// message does as well, but a panic cannot carry tags.
///
/// ```
/// use escalation_telemetry::integrations::ractor::TaggedFailure;
/// use escalation_telemetry::prelude::*;
///
/// fn charge() -> Result<(), ractor::ActorProcessingErr> {
///     Err(TaggedFailure::new("card declined")
///         .with_component("payments")
///         .with_tag(key!("tenant"), "acme")
///         .into())
/// }
/// let error = charge().unwrap_err();
/// assert_eq!(error.to_string(), "card declined");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedFailure {
    failure: ActorFailure,
    metadata: FailureMetadata,
}

impl TaggedFailure {
    /// A failure described by `description`, with no tags yet, at the caller's location.
    #[must_use]
    #[track_caller]
    pub fn new(description: impl Into<TelemetryValue>) -> Self {
        Self::from_failure(ActorFailure::from_message(description))
    }

    /// A failure described by an error's `Display` output, with its causes, at the
    /// caller's location (see [`ActorFailure::from_error`]).
    #[must_use]
    #[track_caller]
    pub fn from_error(error: &(dyn core::error::Error + 'static)) -> Self {
        Self::from_failure(ActorFailure::from_error(error))
    }

    /// A failure from an [`ActorFailure`], with no tags yet.
    #[must_use]
    pub fn from_failure(failure: ActorFailure) -> Self {
        Self {
            failure,
            metadata: FailureMetadata::new(),
        }
    }

    /// Replaces the tags.
    #[must_use]
    pub fn with_metadata(mut self, metadata: FailureMetadata) -> Self {
        self.metadata = metadata;
        self
    }

    /// Adds a tag (see [`FailureMetadata::with_tag`]).
    #[must_use]
    pub fn with_tag(
        mut self,
        key: impl Into<TelemetryKey>,
        value: impl Into<TelemetryValue>,
    ) -> Self {
        self.metadata = self.metadata.with_tag(key, value);
        self
    }

    /// Sets the `component` tag.
    #[must_use]
    pub fn with_component(mut self, component: impl Into<TelemetryValue>) -> Self {
        self.metadata = self.metadata.with_component(component);
        self
    }

    /// What went wrong.
    #[must_use]
    pub fn failure(&self) -> &ActorFailure {
        &self.failure
    }

    /// The tags attached so far.
    #[must_use]
    pub fn metadata(&self) -> &FailureMetadata {
        &self.metadata
    }

    /// The failure and its tags.
    #[must_use]
    pub fn into_parts(self) -> (ActorFailure, FailureMetadata) {
        (self.failure, self.metadata)
    }
}

impl fmt::Display for TaggedFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.failure, f)
    }
}

impl core::error::Error for TaggedFailure {}
