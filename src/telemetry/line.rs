//! The one-line text format shared by `FailureSnapshot`, `FailureInfo` and
//! `TelemetryTag`.
//!
//! Tokens (paths, keys, values) made only of ASCII letters, digits and `_-.:/@+` are
//! written bare; anything else (including the empty string) is written in double
//! quotes, with `\\`, `\"`, `\n`, `\r`, `\t` escaped and every other control character,
//! the Unicode line and paragraph separators and the bidirectional-text controls written
//! as `\u{XX}` (lowercase hex). Descriptions are always quoted. The output therefore
//! never contains a line break, and invisible direction controls, which could make a
//! line display in a misleading order ("Trojan Source", CVE-2021-42574), show up as
//! escapes.

use core::fmt::{self, Write};

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | '@' | '+')
}

/// Writes `s` bare when it is a plain token, quoted otherwise.
pub(crate) fn write_token(f: &mut dyn Write, s: &str) -> fmt::Result {
    if !s.is_empty() && s.chars().all(is_bare) {
        f.write_str(s)
    } else {
        write_quoted(f, s)
    }
}

/// Characters written as `\u{XX}`: controls (C0, DEL, C1), the line and paragraph
/// separators, and the bidirectional marks, embeddings, overrides and isolates.
fn needs_unicode_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Writes `s` in double quotes with escapes.
pub(crate) fn write_quoted(f: &mut dyn Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    let mut plain_start = 0;
    for (index, c) in s.char_indices() {
        let escape: Option<&str> = match c {
            '\\' => Some("\\\\"),
            '"' => Some("\\\""),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let needs_unicode_escape = escape.is_none() && needs_unicode_escape(c);
        if escape.is_none() && !needs_unicode_escape {
            continue;
        }
        f.write_str(&s[plain_start..index])?;
        match escape {
            Some(text) => f.write_str(text)?,
            None => write!(f, "\\u{{{:x}}}", u32::from(c))?,
        }
        plain_start = index + c.len_utf8();
    }
    f.write_str(&s[plain_start..])?;
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn token(s: &str) -> String {
        let mut out = String::new();
        write_token(&mut out, s).expect("writing to a String cannot fail");
        out
    }

    #[test]
    fn plain_tokens_are_bare_and_others_quoted() {
        assert_eq!(token("db-1.eu:5432/x"), "db-1.eu:5432/x");
        assert_eq!(token(""), "\"\"");
        assert_eq!(token("a b"), "\"a b\"");
        assert_eq!(token("línea"), "\"línea\"");
    }

    #[test]
    fn line_breaks_and_controls_are_escaped() {
        assert_eq!(
            token("a\nb\r\t\"\\\u{0}\u{2028}"),
            r#""a\nb\r\t\"\\\u{0}\u{2028}""#
        );
    }

    #[test]
    fn bidi_controls_are_escaped_and_other_non_ascii_kept() {
        assert_eq!(
            token("a\u{202e}b\u{2066}c\u{200f}é\u{85}"),
            r#""a\u{202e}b\u{2066}c\u{200f}é\u{85}""#
        );
    }
}
