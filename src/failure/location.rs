//! Where in the code a failure was raised, as text: the form a location takes when it
//! is not a `&'static Location` (a panic's own location, a failure read back from JSON
//! or from another node).

use alloc::borrow::Cow;
use core::fmt;
use core::panic::Location;

/// A place in the source code: file, line and column, borrowed from a failure.
///
/// [`ActorFailure::code_location`](crate::ActorFailure::code_location) gives the best
/// location a failure knows: the one set with
/// [`with_code_location`](crate::ActorFailure::with_code_location) (a panic's own
/// location, or one read back from another process), else the caller of the
/// constructor ([`location`](crate::ActorFailure::location)).
///
/// `Display` prints `file:line:column`.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let failure = ActorFailure::from_message("boom").with_code_location("src/worker.rs", 42, 9);
/// let at = failure.code_location().expect("set above");
/// assert_eq!((at.file, at.line, at.column), ("src/worker.rs", 42, 9));
/// assert_eq!(at.to_string(), "src/worker.rs:42:9");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeLocation<'a> {
    /// The source file, as the compiler names it (relative to the crate's workspace).
    pub file: &'a str,
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1.
    pub column: u32,
}

impl<'a> From<&'a Location<'a>> for CodeLocation<'a> {
    fn from(location: &'a Location<'a>) -> Self {
        Self {
            file: location.file(),
            line: location.line(),
            column: location.column(),
        }
    }
}

impl fmt::Display for CodeLocation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A [`CodeLocation`] the failure owns (kept in its shared block).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OwnedCodeLocation {
    pub(crate) file: Cow<'static, str>,
    pub(crate) line: u32,
    pub(crate) column: u32,
}

impl OwnedCodeLocation {
    pub(crate) fn as_location(&self) -> CodeLocation<'_> {
        CodeLocation {
            file: &self.file,
            line: self.line,
            column: self.column,
        }
    }
}
