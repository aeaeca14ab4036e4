//! The one-line text format shared by `FailureSnapshot`, `FailureInfo` and
//! `TelemetryTag`.
//!
//! Tokens (paths, keys, values) made only of ASCII letters, digits and `_-.:/@+` are
//! written bare; anything else (including the empty string) is written in double
//! quotes, with `\\`, `\"`, `\n`, `\r`, `\t` escaped and every invisible or
//! line-breaking character written as `\u{XX}` (lowercase hex): see
//! [`needs_unicode_escape`]. Descriptions are always quoted. The output therefore never
//! contains a line break, invisible direction controls, which could make a line display
//! in a misleading order ("Trojan Source", CVE-2021-42574), show up as escapes, and two
//! keys that differ only by an invisible character (`tenant`, `tenant\u{200b}`) print
//! differently.

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

/// Characters written as `\u{XX}`: whatever a reader cannot see or that would break
/// the line. By Unicode general category (from the `unicode-properties` table, so new
/// Unicode versions come with the crate update, not a hand-kept list):
/// - `Cc` controls (C0, DEL, C1);
/// - `Cf` format characters: zero-width space and joiners, U+FEFF, U+2060 to U+2064,
///   the soft hyphen, the bidirectional marks, embeddings, overrides and isolates, the
///   tag block U+E0000 to U+E007F;
/// - `Zl`, `Zp`: the line and paragraph separators;
/// - `Zs` other than the ASCII space: U+00A0, U+3000 and the other spaces that look like
///   `' '` inside quotes;
/// - `Cn`: code points unassigned in the table's Unicode version (a later version may
///   make them invisible).
///
/// And the few other `Default_Ignorable_Code_Point`s (Unicode's list of characters that
/// render as nothing), which are not `Cf`: the combining grapheme joiner, the Hangul
/// fillers, the Khmer inherent vowels and the variation selectors.
fn needs_unicode_escape(c: char) -> bool {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};

    if c.is_ascii() {
        return c.is_ascii_control();
    }
    matches!(
        c.general_category(),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::SpaceSeparator
            | G::Unassigned
    ) || matches!(
        c,
        '\u{034f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180d}'
            | '\u{180f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{ffa0}'
            | '\u{e0100}'..='\u{e01ef}'
    )
}

/// Strings as `["first" "second"]`, each quoted as [`write_quoted`] does; written only
/// when formatted.
pub(crate) struct QuotedList<I>(pub(crate) I);

impl<'a, I: Iterator<Item = &'a str> + Clone> fmt::Display for QuotedList<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (index, item) in self.0.clone().enumerate() {
            if index > 0 {
                f.write_char(' ')?;
            }
            write_quoted(f, item)?;
        }
        f.write_char(']')
    }
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
    fn invisible_and_space_like_characters_are_escaped() {
        assert_eq!(
            token("tenant\u{200b}\u{ad}\u{feff}\u{2060}\u{e0041}\u{a0}\u{3000}\u{fe0f}"),
            r#""tenant\u{200b}\u{ad}\u{feff}\u{2060}\u{e0041}\u{a0}\u{3000}\u{fe0f}""#
        );
        assert_eq!(token("a b"), "\"a b\"");
    }

    #[test]
    fn bidi_controls_are_escaped_and_other_non_ascii_kept() {
        assert_eq!(
            token("a\u{202e}b\u{2066}c\u{200f}é\u{85}"),
            r#""a\u{202e}b\u{2066}c\u{200f}é\u{85}""#
        );
    }
}
