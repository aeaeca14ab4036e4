//! Property: whatever the failure holds (any characters in the description, keys and
//! values, any path, any hops), its `Display` form is exactly one line with no control
//! character, no invisible format character (Unicode category Cf), and the escaping is
//! lossless: the line parses back to the same failure.
#![cfg(feature = "std")]

use std::sync::OnceLock;

use escalation_telemetry::prelude::*;
use proptest::prelude::*;
use unicode_general_category::{GeneralCategory, get_general_category};

/// Unicode category Cf, from a table independent of the one the crate escapes with.
fn is_format(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format
}

/// Every Cf character (about 170), found by scanning all of Unicode once.
fn format_chars() -> &'static [char] {
    static ALL: OnceLock<Vec<char>> = OnceLock::new();
    ALL.get_or_init(|| {
        (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| is_format(c))
            .collect()
    })
}

/// Characters that break naive line formats, mixed with arbitrary ones.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => prop::sample::select(vec![
            '\n', '\r', '\t', '\0', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}',
            '\u{2028}', '\u{2029}', '"', '\\', '=', ' ', '[', ']', '{', '}', 'u',
        ]),
        2 => prop::char::range('a', 'z'),
        2 => prop::sample::select(format_chars()),
    ]
}

fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..24).prop_map(String::from_iter)
}

/// A failure with hostile content everywhere.
fn hostile_failure() -> impl Strategy<Value = FailureInfo<SpillingTags<4>>> {
    (
        any::<u64>(),
        prop::collection::vec(any::<u64>(), 0..12),
        hostile_string(),
        prop::collection::vec((hostile_string(), hostile_string()), 0..8),
        any::<u8>(),
    )
        .prop_map(|(actor, path, description, tags, hops)| {
            let metadata: FailureMetadata<SpillingTags<4>> = tags.into_iter().collect();
            let stage = if hops == 0 {
                FailureEscalationStage::Initial
            } else {
                FailureEscalationStage::Escalated { hops }
            };
            FailureInfo::new(
                ActorId(actor),
                path.into_iter().map(ActorId).collect(),
                ActorFailure::from_message(description),
            )
            .with_metadata(metadata)
            .with_stage(stage)
        })
}

/// What a line says, parsed back.
#[derive(Debug, PartialEq)]
struct Parsed {
    path: String,
    actor: u64,
    hops: u8,
    description: String,
    tags: Vec<(String, String)>,
    dropped: u32,
}

/// A tiny reader of the one-line format, written from its documentation.
struct Reader<'a> {
    rest: &'a str,
}

impl Reader<'_> {
    fn expect(&mut self, literal: &str) {
        self.rest = self
            .rest
            .strip_prefix(literal)
            .unwrap_or_else(|| panic!("expected {literal:?} at {:?}", self.rest));
    }

    fn until(&mut self, stop: impl Fn(char) -> bool) -> String {
        let end = self.rest.find(stop).unwrap_or(self.rest.len());
        let (token, rest) = self.rest.split_at(end);
        self.rest = rest;
        token.to_owned()
    }

    /// A bare token (ending at `stop`) or a quoted, escaped one.
    fn token(&mut self, stop: impl Fn(char) -> bool) -> String {
        if self.rest.starts_with('"') {
            self.quoted()
        } else {
            let token = self.until(stop);
            assert!(!token.is_empty(), "an empty token must be quoted");
            token
        }
    }

    fn quoted(&mut self) -> String {
        self.expect("\"");
        let mut out = String::new();
        let mut chars = self.rest.char_indices();
        while let Some((index, c)) = chars.next() {
            match c {
                '"' => {
                    self.rest = &self.rest[index + 1..];
                    return out;
                }
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('\\') => out.push('\\'),
                    Some('"') => out.push('"'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        assert_eq!(chars.next().map(|(_, c)| c), Some('{'));
                        let hex: String = chars
                            .by_ref()
                            .map(|(_, c)| c)
                            .take_while(|&c| c != '}')
                            .collect();
                        let code = u32::from_str_radix(&hex, 16).expect("hex escape");
                        out.push(char::from_u32(code).expect("a valid char"));
                    }
                    other => panic!("unknown escape {other:?}"),
                },
                c => out.push(c),
            }
        }
        panic!("unterminated quoted string");
    }

    fn parse(line: &str) -> Parsed {
        let mut r = Reader { rest: line };
        r.expect("path=");
        let path = r.until(|c| c == ' ');
        r.expect(" actor=");
        let actor = r.until(|c| c == ' ').parse().expect("actor id");
        r.expect(" hops=");
        let hops = r.until(|c| c == ' ').parse().expect("hops");
        r.expect(" description=");
        let description = r.quoted();
        r.expect(" tags=[");
        let mut tags = Vec::new();
        while !r.rest.starts_with(']') {
            if !tags.is_empty() {
                r.expect(" ");
            }
            let key = r.token(|c| c == '=');
            r.expect("=");
            let value = r.token(|c| c == ' ' || c == ']');
            tags.push((key, value));
        }
        r.expect("]");
        let dropped = if r.rest.is_empty() {
            0
        } else {
            r.expect(" dropped_tags=");
            r.until(|_| false).parse().expect("dropped count")
        };
        Parsed {
            path,
            actor,
            hops,
            description,
            tags,
            dropped,
        }
    }
}

/// What the line never shows raw: line breaks, controls and invisible format characters.
fn is_line_break_or_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_format(c)
}

/// Controls (Cc: C0, DEL, C1), the line and paragraph separators (Zl, Zp) and every
/// space separator (Zs) but the ASCII space, found by scanning all of Unicode once.
fn control_separator_and_space_chars() -> &'static [char] {
    static ALL: OnceLock<Vec<char>> = OnceLock::new();
    ALL.get_or_init(|| {
        (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|&c| {
                c != ' '
                    && matches!(
                        get_general_category(c),
                        GeneralCategory::Control
                            | GeneralCategory::LineSeparator
                            | GeneralCategory::ParagraphSeparator
                            | GeneralCategory::SpaceSeparator
                    )
            })
            .collect()
    })
}

/// The escape the one-line form documents for `c`: `\n`, `\r`, `\t`, or `\u{hex}`.
fn documented_escape(c: char) -> String {
    match c {
        '\n' => "\\n".to_owned(),
        '\r' => "\\r".to_owned(),
        '\t' => "\\t".to_owned(),
        _ => format!("\\u{{{:x}}}", u32::from(c)),
    }
}

/// Puts `c` into a failure's description, a key and a value, and checks that the line
/// never shows it raw and shows it escaped as documented, in every place.
fn assert_escaped_everywhere(c: char) {
    let text = format!("tenant{c}");
    let info = FailureInfo::new(
        ActorId(1),
        ActorPath::root().child(ActorId(1)),
        ActorFailure::from_message(text.clone()),
    )
    .with_metadata(
        FailureMetadata::new()
            .with_tag("tenant", "a")
            .with_tag(text.clone(), text),
    );
    let line = info.to_string();
    assert!(
        !line.contains(c),
        "U+{:04X} survived: {line:?}",
        u32::from(c)
    );
    let escaped = format!("tenant{}", documented_escape(c));
    assert_eq!(
        line.matches(&escaped).count(),
        3,
        "U+{:04X} not escaped in the description, the key and the value: {line:?}",
        u32::from(c)
    );
}

#[test]
fn every_format_character_is_escaped_in_keys_values_and_descriptions() {
    let all = format_chars();
    assert!(
        all.len() > 150,
        "the oracle found only {} Cf characters",
        all.len()
    );
    for &c in all {
        assert_escaped_everywhere(c);
    }
}

#[test]
fn every_control_line_separator_and_non_ascii_space_is_escaped_everywhere() {
    let all = control_separator_and_space_chars();
    // 65 Cc (C0, DEL, C1), U+2028, U+2029 and the 16 non-ASCII Zs at Unicode 15/16.
    assert!(
        all.len() >= 65 + 2 + 16,
        "the oracle found only {} characters",
        all.len()
    );
    for c in [
        '\u{7}', '\u{7f}', '\u{85}', '\u{a0}', '\u{2028}', '\u{3000}',
    ] {
        assert!(all.contains(&c), "the oracle misses U+{:04X}", u32::from(c));
    }
    for &c in all {
        assert_escaped_everywhere(c);
    }
}

#[test]
fn keys_that_differ_by_an_invisible_character_print_differently() {
    for invisible in [
        "\u{200b}",
        "\u{2060}",
        "\u{feff}",
        "\u{ad}",
        "\u{e0041}",
        "\u{a0}",
        "\u{fe0f}",
    ] {
        let metadata = FailureMetadata::new()
            .with_tag("tenant", "a")
            .with_tag(format!("tenant{invisible}"), "b");
        let shown: Vec<String> = metadata.tags().iter().map(ToString::to_string).collect();
        assert_eq!(shown[0], "tenant=a");
        assert!(
            shown[1].starts_with("\"tenant\\u{"),
            "{invisible:?}: {}",
            shown[1]
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn the_display_form_is_always_one_clean_line(info in hostile_failure()) {
        let line = info.snapshot().to_string();
        prop_assert!(!line.chars().any(is_line_break_or_control), "{line:?}");
        prop_assert_eq!(line.lines().count(), 1);
        prop_assert_eq!(info.to_string(), line);
        for tag in info.metadata.tags() {
            let shown = tag.to_string();
            prop_assert!(!shown.chars().any(is_line_break_or_control));
        }
    }

    #[test]
    fn the_display_form_parses_back_to_the_same_failure(info in hostile_failure()) {
        let parsed = Reader::parse(&info.to_string());
        let expected = Parsed {
            path: info.path.to_string(),
            actor: info.actor.0,
            hops: info.stage.hops(),
            description: info.failure.description().to_owned(),
            tags: info
                .metadata
                .tags()
                .iter()
                .map(|t| (t.key.to_string(), t.value.to_string()))
                .collect(),
            dropped: info.metadata.dropped_tags(),
        };
        prop_assert_eq!(parsed, expected);
        let segments: Vec<String> = info.path.segments().iter().map(ToString::to_string).collect();
        let expected_path = format!("/{}", segments.join("/"));
        prop_assert_eq!(info.path.to_string(), expected_path);
    }
}
