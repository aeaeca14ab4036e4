//! The rare parts of a failure, kept out of line: an owned description, the error
//! type, the cause chain and the trace context. Made where the failure is made, shared
//! by its clones (a clone adds a reference, never allocates).

use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::location::OwnedCodeLocation;
use super::{FailureKind, TraceContext};

/// How many causes of an error's `source()` chain a failure keeps.
pub const MAX_FAILURE_CAUSES: usize = 16;
/// How many bytes of a backtrace a failure keeps: a longer one is cut at a character
/// boundary at or below this, and ends with a line that says so.
pub const MAX_BACKTRACE_BYTES: usize = 16 * 1024;
/// How many links of a `source()` chain are walked at most, kept or counted: a cyclic
/// or endless chain stops here.
const MAX_CAUSE_LINKS: usize = 256;

/// Everything a failure carries that most failures do not: absent, it costs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct FailureDetails {
    pub(crate) kind: FailureKind,
    /// The description when it is not a `'static` string.
    pub(crate) message: Option<String>,
    pub(crate) error_type: Option<Cow<'static, str>>,
    /// Outermost first, each cut to the crate's bound on a message.
    pub(crate) causes: Vec<String>,
    /// Links of the chain beyond [`MAX_FAILURE_CAUSES`] (up to the walk's bound).
    pub(crate) dropped_causes: u32,
    pub(crate) trace: Option<TraceContext>,
    /// A location set explicitly: a panic's own, or one read back from elsewhere.
    pub(crate) code_location: Option<OwnedCodeLocation>,
    /// A captured backtrace, at most [`MAX_BACKTRACE_BYTES`].
    pub(crate) backtrace: Option<String>,
}

impl FailureDetails {
    /// Keeps the cause chain that starts at `first` (the failing error's `source()`),
    /// bounded.
    pub(crate) fn record_causes(&mut self, first: &(dyn core::error::Error + 'static)) {
        let chain = core::iter::successors(Some(first), |cause| cause.source());
        for (index, cause) in chain.take(MAX_CAUSE_LINKS).enumerate() {
            if index < MAX_FAILURE_CAUSES {
                self.causes.push(bounded_text(cause));
            } else {
                self.dropped_causes = self.dropped_causes.saturating_add(1);
            }
        }
    }
}

/// `text` cut to [`MAX_BACKTRACE_BYTES`] at a character boundary, marked when cut.
pub(crate) fn bounded_backtrace(mut text: String) -> String {
    const MARK: &str = "\n[backtrace cut]";
    if text.len() > MAX_BACKTRACE_BYTES {
        let mut end = MAX_BACKTRACE_BYTES - MARK.len();
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push_str(MARK);
    }
    text
}

/// `Display` of `value`, cut to the crate's bound on a message (its start and end).
pub(crate) fn bounded_text(value: &dyn core::fmt::Display) -> String {
    crate::text::bounded_message(value).unwrap_or_else(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt;

    /// An error whose source is itself: an endless chain.
    #[derive(Debug)]
    struct Cyclic;

    impl fmt::Display for Cyclic {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("again")
        }
    }

    impl core::error::Error for Cyclic {
        fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
            Some(self)
        }
    }

    #[test]
    fn a_long_backtrace_is_cut_at_a_char_boundary_and_marked() {
        let long = "é".repeat(MAX_BACKTRACE_BYTES);
        let cut = bounded_backtrace(long);
        assert!(cut.len() <= MAX_BACKTRACE_BYTES);
        assert!(cut.ends_with("[backtrace cut]"));
        let short = bounded_backtrace(String::from("frame 0"));
        assert_eq!(short, "frame 0");
    }

    #[test]
    fn a_cyclic_chain_stops_at_the_bound_and_counts_the_rest() {
        let mut details = FailureDetails::default();
        details.record_causes(&Cyclic);
        assert_eq!(details.causes.len(), MAX_FAILURE_CAUSES);
        assert_eq!(
            details.dropped_causes as usize,
            MAX_CAUSE_LINKS - MAX_FAILURE_CAUSES
        );
    }
}
