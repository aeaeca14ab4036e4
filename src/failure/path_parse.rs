//! Reading an [`ActorPath`] back from its `Display` form.

use core::fmt;
use core::str::FromStr;

use super::{ActorId, ActorPath};

/// Why a string is not an [`ActorPath`].
///
/// The accepted form is exactly what `ActorPath`'s `Display` writes: `/` for the root,
/// otherwise `/` followed by decimal actor ids separated by `/` (`/1/4/9`). Segment
/// numbers in the variants count from 0.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let path: ActorPath = "/1/4/9".parse()?;
/// assert_eq!(path, ActorPath::root().child(ActorId(1)).child(ActorId(4)).child(ActorId(9)));
///
/// assert_eq!("1/4".parse::<ActorPath>(), Err(ParseActorPathError::MissingLeadingSlash));
/// assert_eq!("/1//9".parse::<ActorPath>(), Err(ParseActorPathError::EmptySegment { segment: 1 }));
/// # Ok::<(), ParseActorPathError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseActorPathError {
    /// The string was empty (the root is written `/`).
    Empty,
    /// The string did not start with `/`.
    MissingLeadingSlash,
    /// A segment was empty: two `/` in a row, or a trailing `/` after an id.
    EmptySegment {
        /// The empty segment's position.
        segment: usize,
    },
    /// A segment held something other than the ASCII digits `0`-`9`.
    InvalidDigit {
        /// The segment's position.
        segment: usize,
    },
    /// A segment had a leading zero (`/01`): the `Display` form never writes one, so the
    /// text is not a path this crate printed.
    LeadingZero {
        /// The segment's position.
        segment: usize,
    },
    /// A segment's number does not fit an [`ActorId`] (`u64`).
    Overflow {
        /// The segment's position.
        segment: usize,
    },
}

impl fmt::Display for ParseActorPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("an actor path cannot be empty (the root is `/`)"),
            Self::MissingLeadingSlash => f.write_str("an actor path must start with `/`"),
            Self::EmptySegment { segment } => {
                write!(f, "actor path segment {segment} is empty")
            }
            Self::InvalidDigit { segment } => write!(
                f,
                "actor path segment {segment} is not a decimal actor id (only digits 0-9)"
            ),
            Self::LeadingZero { segment } => write!(
                f,
                "actor path segment {segment} has a leading zero (ids are written without one)"
            ),
            Self::Overflow { segment } => write!(
                f,
                "actor path segment {segment} is larger than the largest actor id ({})",
                u64::MAX
            ),
        }
    }
}

impl core::error::Error for ParseActorPathError {}

impl ParseActorPathError {
    /// The position of the bad segment, for the errors about one segment.
    #[cfg(feature = "serde")]
    pub(crate) fn segment(self) -> Option<usize> {
        match self {
            Self::EmptySegment { segment }
            | Self::InvalidDigit { segment }
            | Self::LeadingZero { segment }
            | Self::Overflow { segment } => Some(segment),
            Self::Empty | Self::MissingLeadingSlash => None,
        }
    }
}

impl FromStr for ActorPath {
    type Err = ParseActorPathError;

    /// Parses the `Display` form (`/`, `/1/4/9`). Never panics; every malformed input is
    /// a [`ParseActorPathError`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = match s.strip_prefix('/') {
            Some(rest) => rest,
            None if s.is_empty() => return Err(ParseActorPathError::Empty),
            None => return Err(ParseActorPathError::MissingLeadingSlash),
        };
        let mut path = Self::root();
        if rest.is_empty() {
            return Ok(path);
        }
        for (segment, text) in rest.split('/').enumerate() {
            path.push(parse_segment(segment, text)?);
        }
        Ok(path)
    }
}

/// One decimal id, canonical: `u64::from_str` alone would also take a leading `+` or
/// leading zeros, which the `Display` form never writes (`/0` is fine).
fn parse_segment(segment: usize, text: &str) -> Result<ActorId, ParseActorPathError> {
    if text.is_empty() {
        return Err(ParseActorPathError::EmptySegment { segment });
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseActorPathError::InvalidDigit { segment });
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(ParseActorPathError::LeadingZero { segment });
    }
    text.parse::<u64>()
        .map(ActorId)
        .map_err(|_| ParseActorPathError::Overflow { segment })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn root_and_nested_paths_round_trip() {
        for text in ["/", "/0", "/1/4/9", "/18446744073709551615/2"] {
            let path: ActorPath = text.parse().expect("valid path");
            assert_eq!(path.to_string(), text);
        }
    }

    #[test]
    fn malformed_paths_are_typed_errors() {
        use ParseActorPathError::*;
        let cases = [
            ("", Empty),
            ("1/2", MissingLeadingSlash),
            (" /1", MissingLeadingSlash),
            ("//", EmptySegment { segment: 0 }),
            ("/1/", EmptySegment { segment: 1 }),
            ("/1//2", EmptySegment { segment: 1 }),
            ("/+1", InvalidDigit { segment: 0 }),
            ("/1/-2", InvalidDigit { segment: 1 }),
            ("/01", LeadingZero { segment: 0 }),
            ("/1/00", LeadingZero { segment: 1 }),
            ("/1/x", InvalidDigit { segment: 1 }),
            ("/1 ", InvalidDigit { segment: 0 }),
            ("/٣", InvalidDigit { segment: 0 }),
            ("/18446744073709551616", Overflow { segment: 0 }),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<ActorPath>(), Err(expected), "input {text:?}");
        }
    }
}
