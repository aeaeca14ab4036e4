//! Bounded text about bad input: an error message says what is wrong, where, and shows
//! a short excerpt, never the whole input (a 10 MB string must not make a 10 MB error).

use alloc::string::String;
use core::fmt::{self, Write};

use super::write_quoted;

/// The longest error message about bad input this crate makes, in bytes.
pub const MAX_ERROR_MESSAGE_LEN: usize = 512;

/// How many characters of the input an [`Excerpt`] shows.
const EXCERPT_CHARS: usize = 24;
/// How much of the start and of the end of an over-long message [`bounded_message`]
/// keeps, in bytes: the start says what is wrong, the end often says where (a format's
/// position) and what was expected.
const HEAD_BYTES: usize = 256;
const TAIL_BYTES: usize = 160;

/// A short excerpt of input, quoted and escaped as in the one-line form: the whole text
/// when it has at most 24 characters, else its first 24, `…` and the total length. At
/// most about 270 bytes, whatever the input.
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(EXCERPT_CHARS) {
            None => write_quoted(f, self.0),
            Some((cut, _)) => {
                write_quoted(f, &self.0[..cut])?;
                write!(f, "… ({} bytes)", self.0.len())
            }
        }
    }
}

/// `message` cut to at most [`MAX_ERROR_MESSAGE_LEN`] bytes (its start, a note of how
/// much was left out, its end), or `None` when it is short enough as it is. The message
/// is formatted once, streaming: its long middle is counted, never stored. For an
/// integration's errors that carry another library's message about input (a decoder's).
///
/// ```
/// use escalation_telemetry::text::{MAX_ERROR_MESSAGE_LEN, bounded_message};
///
/// assert_eq!(bounded_message(&"short"), None);
/// let long = "x".repeat(10_000);
/// let cut = bounded_message(&long).unwrap_or_default();
/// assert!(cut.len() <= MAX_ERROR_MESSAGE_LEN + 40 && cut.contains("bytes left out"));
/// ```
#[must_use]
pub fn bounded_message(message: &dyn fmt::Display) -> Option<String> {
    let mut cut = Cut::default();
    // `Cut` never fails; an error here could only come from `message` itself, and a
    // partial message is still the best there is to show.
    let _ = write!(cut, "{message}");
    if cut.total <= MAX_ERROR_MESSAGE_LEN {
        return None;
    }
    cut.finish();
    let left_out = cut.total - cut.head.len() - cut.tail.len();
    let mut out = cut.head;
    let _ = write!(out, "… [{left_out} bytes left out] …");
    out.push_str(&cut.tail);
    Some(out)
}

/// A deserialization error whose message is at most [`MAX_ERROR_MESSAGE_LEN`] bytes:
/// `error` itself when it is short, else a custom error with its start and end. Formats
/// quote whole inputs in their own errors (`invalid type: string "…10 MB…"`); this keeps
/// such an error small before it leaves this crate's `Deserialize` impls. A position
/// the format wrote at the end (`at line 1 column 9`) is kept.
#[cfg(feature = "serde")]
pub(crate) fn bound_error<E: serde::de::Error>(error: E) -> E {
    match bounded_message(&error) {
        Some(message) => E::custom(message),
        None => error,
    }
}

/// Keeps the first [`HEAD_BYTES`] and the last [`TAIL_BYTES`] (at char boundaries) of
/// what is written, and counts the rest.
#[derive(Default)]
struct Cut {
    head: String,
    /// The head is complete: a piece did not fit in it whole. A later, shorter piece
    /// must not go into the head, past the rest of that one.
    head_complete: bool,
    tail: String,
    total: usize,
}

impl Write for Cut {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.total += s.len();
        let mut rest = s;
        if !self.head_complete {
            let room = floor_char_boundary(rest, HEAD_BYTES - self.head.len());
            self.head.push_str(&rest[..room]);
            rest = &rest[room..];
            self.head_complete = !rest.is_empty();
        }
        if rest.is_empty() {
            return Ok(());
        }
        let keep_from = ceil_char_boundary(rest, rest.len().saturating_sub(TAIL_BYTES));
        self.tail.push_str(&rest[keep_from..]);
        if self.tail.len() > 2 * TAIL_BYTES {
            let drop_to = ceil_char_boundary(&self.tail, self.tail.len() - TAIL_BYTES);
            self.tail.drain(..drop_to);
        }
        Ok(())
    }
}

impl Cut {
    /// The tail as finally kept: at most [`TAIL_BYTES`].
    fn finish(&mut self) {
        if self.tail.len() > TAIL_BYTES {
            let drop_to = ceil_char_boundary(&self.tail, self.tail.len() - TAIL_BYTES);
            self.tail.drain(..drop_to);
        }
    }
}

/// The largest char boundary of `s` at or below `index`.
fn floor_char_boundary(s: &str, index: usize) -> usize {
    let mut index = index.min(s.len());
    while !s.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The smallest char boundary of `s` at or above `index`.
fn ceil_char_boundary(s: &str, index: usize) -> usize {
    let mut index = index.min(s.len());
    while !s.is_char_boundary(index) {
        index += 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec;

    #[test]
    fn short_input_is_shown_whole_and_long_input_cut() {
        assert_eq!(Excerpt("/1/x").to_string(), "\"/1/x\"");
        let long = "é".repeat(1_000_000);
        let excerpt = Excerpt(&long).to_string();
        assert!(excerpt.ends_with("… (2000000 bytes)"), "{excerpt}");
        assert!(excerpt.len() < 100);
        let hostile = "\u{10ffff}".repeat(1_000);
        assert!(Excerpt(&hostile).to_string().len() < 300);
    }

    #[test]
    fn long_messages_keep_their_start_and_end() {
        assert_eq!(bounded_message(&"short"), None);
        for piece in ["a", "é", "\u{1f980}"] {
            let message = alloc::format!("start {} end", piece.repeat(100_000));
            let cut = bounded_message(&message).expect("too long");
            assert!(cut.len() <= MAX_ERROR_MESSAGE_LEN, "{}", cut.len());
            assert!(cut.starts_with("start "), "{cut}");
            assert!(cut.ends_with(" end"), "{cut}");
            assert!(cut.contains("bytes left out"), "{cut}");
        }
        // Written in many small pieces, as `Debug` of a string is.
        let pieces = vec!["ab"; 10_000];
        let message = Pieces(&pieces);
        let cut = bounded_message(&message).expect("too long");
        assert!(cut.len() <= MAX_ERROR_MESSAGE_LEN);
        assert!(cut.contains("19584 bytes left out"), "{cut}");
    }

    /// `message` written in pieces of `chars` characters each.
    struct Chunked<'a> {
        message: &'a str,
        chars: usize,
    }

    impl fmt::Display for Chunked<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let mut rest = self.message;
            while !rest.is_empty() {
                let end = rest
                    .char_indices()
                    .nth(self.chars)
                    .map_or(rest.len(), |(index, _)| index);
                f.write_str(&rest[..end])?;
                rest = &rest[end..];
            }
            Ok(())
        }
    }

    #[test]
    fn the_cut_is_the_first_256_and_the_last_160_bytes_at_char_boundaries() {
        // ASCII, then two-byte characters from byte 255 on: byte 256 is mid-character,
        // and so are many of the tail's candidate cuts. Written one character at a
        // time, the head once took a later one-byte `z` after refusing an `é`.
        let message = alloc::format!("{}{}{}", "a".repeat(255), "é".repeat(600), "z".repeat(7));
        let head = &message[..255];
        let tail = &message[message.len() - 159..];
        let left_out = message.len() - head.len() - tail.len();
        let expected = alloc::format!("{head}… [{left_out} bytes left out] …{tail}");
        for chars in [1, 7, 100, 130, 300, 5_000] {
            let cut = bounded_message(&Chunked {
                message: &message,
                chars,
            });
            assert_eq!(cut.as_deref(), Some(&*expected), "pieces of {chars} chars");
        }
    }

    #[test]
    fn the_kept_tail_stays_small_while_a_long_message_streams_in() {
        for piece in ["x".repeat(100), "y".repeat(170), "é".repeat(1_000)] {
            let mut cut = Cut::default();
            for _ in 0..1_000 {
                cut.write_str(&piece).expect("a Cut never fails");
                assert!(cut.head.len() <= HEAD_BYTES);
                assert!(cut.tail.len() <= 2 * TAIL_BYTES, "{}", cut.tail.len());
            }
        }
    }

    struct Pieces<'a>(&'a [&'a str]);

    impl fmt::Display for Pieces<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.iter().try_for_each(|piece| f.write_str(piece))
        }
    }
}
