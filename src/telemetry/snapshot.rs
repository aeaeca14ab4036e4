//! What telemetry sees of a failure.

use core::fmt;

use crate::failure::{ActorId, ActorPath, FailureEscalationStage, FailureInfo};
use crate::tags::{TagStorage, TelemetryTag};

/// A borrowed view of a [`FailureInfo`]: building one copies nothing and allocates
/// nothing; the tags are a slice of the metadata's buffer.
///
/// # The one-line format
///
/// `Display` prints one line, stable across releases (it is API):
///
/// ```text
/// path=/1/4/9 actor=9 hops=2 description="disk full" tags=[component=db tenant="acme corp"]
/// ```
///
/// Fields always appear in this order; ` dropped_tags=N` is appended when tags were
/// dropped. The description is always quoted; keys and values are bare when made only
/// of ASCII letters, digits and `_-.:/@+`, quoted otherwise. Inside quotes `\\`, `\"`,
/// `\n`, `\r` and `\t` are escaped, and other control characters and the Unicode line
/// separators are written `\u{XX}`: the line never breaks, whatever the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureSnapshot<'a> {
    actor: ActorId,
    path: &'a ActorPath,
    description: &'a str,
    stage: FailureEscalationStage,
    tags: &'a [TelemetryTag],
    dropped_tags: u32,
}

impl<'a> FailureSnapshot<'a> {
    /// A view of `info`.
    #[inline]
    #[must_use]
    pub fn from_failure_info<T: TagStorage>(info: &'a FailureInfo<T>) -> Self {
        Self {
            actor: info.actor,
            path: &info.path,
            description: info.failure.description(),
            stage: info.stage,
            tags: info.metadata.tags(),
            dropped_tags: info.metadata.dropped_tags(),
        }
    }

    /// The actor that failed.
    #[must_use]
    pub fn actor(&self) -> ActorId {
        self.actor
    }

    /// Its path from the root.
    #[must_use]
    pub fn path(&self) -> &'a ActorPath {
        self.path
    }

    /// What went wrong.
    #[must_use]
    pub fn description(&self) -> &'a str {
        self.description
    }

    /// How far the failure was escalated.
    #[must_use]
    pub fn stage(&self) -> FailureEscalationStage {
        self.stage
    }

    /// The number of escalation hops (`stage().hops()`).
    #[must_use]
    pub fn hops(&self) -> u8 {
        self.stage.hops()
    }

    /// The tags, in insertion order.
    #[must_use]
    pub fn tags(&self) -> &'a [TelemetryTag] {
        self.tags
    }

    /// How many tags the failure's metadata rejected or dropped.
    #[must_use]
    pub fn dropped_tags(&self) -> u32 {
        self.dropped_tags
    }
}

impl fmt::Display for FailureSnapshot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use super::line::write_quoted;

        write!(
            f,
            "path={} actor={} hops={} description=",
            self.path,
            self.actor,
            self.hops()
        )?;
        write_quoted(f, self.description)?;
        f.write_str(" tags=[")?;
        for (index, tag) in self.tags.iter().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            fmt::Display::fmt(tag, f)?;
        }
        f.write_str("]")?;
        if self.dropped_tags > 0 {
            write!(f, " dropped_tags={}", self.dropped_tags)?;
        }
        Ok(())
    }
}
