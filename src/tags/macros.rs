//! `key!` and `tag!`: tag keys written in the source, checked while compiling.

/// A tag key written in the source, checked while compiling: a `&'static str`.
///
/// The key must be a valid metric label name, `[a-zA-Z_][a-zA-Z0-9_]*` (see
/// [`is_label_name`](crate::tags::is_label_name)); an empty key or any other is a
/// compile error that states the rule and the key. Usable wherever a `&'static str` is,
/// including `const` items:
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// const TENANT: &str = key!("tenant");
///
/// let metadata = FailureMetadata::new()
///     .with_tag(TENANT, "acme")
///     .with_tag(key!("region"), "eu-west-1");
/// assert_eq!(metadata.get("region"), Some("eu-west-1"));
/// ```
///
/// ```compile_fail,E0080
/// use escalation_telemetry::key;
///
/// let _ = key!("tenant id"); // error: tag key "tenant id" is not a valid label name ...
/// ```
///
/// Only string literals are accepted (anything else, `key!(42)` included, is a compile
/// error saying so): a key
/// known only at run time goes straight to
/// [`FailureMetadata::with_tag`](crate::FailureMetadata::with_tag), which checks it then.
#[macro_export]
macro_rules! key {
    ($key:literal $(,)?) => {{
        const _: () = {
            if !$crate::tags::__is_string_literal(::core::stringify!($key)) {
                ::core::panic!(
                    "{}",
                    ::core::concat!(
                        "`key!` takes a string literal, and `",
                        ::core::stringify!($key),
                        "` is not one: write the key in quotes, e.g. `key!(\"region\")`"
                    )
                );
            }
            // `concat!` of a string literal is that string; of any other literal it is
            // its text, so this line type-checks and the check above gives the message.
            let key: &str = ::core::concat!($key);
            if key.is_empty() {
                ::core::panic!(
                    "{}",
                    ::core::concat!(
                        "tag key ",
                        ::core::stringify!($key),
                        " is empty: a tag key must be a metric label name, `[a-zA-Z_][a-zA-Z0-9_]*`, such as \"region\""
                    )
                );
            }
            if !$crate::tags::is_label_name(key) {
                ::core::panic!(
                    "{}",
                    ::core::concat!(
                        "tag key ",
                        ::core::stringify!($key),
                        " is not a valid label name: use only ASCII letters, digits and `_`, not starting with a digit (`[a-zA-Z_][a-zA-Z0-9_]*`), e.g. replace spaces, `-` and `.` with `_`"
                    )
                );
            }
        };
        let key: &'static str = ::core::concat!($key);
        key
    }};
    ($($other:tt)*) => {
        ::core::compile_error!(
            "`key!` takes one string literal, e.g. `key!(\"region\")`: a key known only at run time goes to `with_tag` (or `with_system_tag`) as it is, checked there"
        )
    };
}

/// A [`TelemetryTag`](crate::TelemetryTag) whose key is written in the source and
/// checked while compiling, like [`key!`](crate::key).
///
/// With a string-literal value the tag is a constant expression (usable in `const`
/// items, nothing copied); any other value is anything that turns into a
/// [`TelemetryValue`](crate::TelemetryValue) (`String`, `&'static str`, `Cow`), and the
/// tag is made at run time. A literal that is not a string (`tag!("shard", 7)`) is a
/// compile error saying so: write `"7"`, or pass `shard.to_string()`.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// const REGION: TelemetryTag = tag!("region", "eu-west-1");
///
/// let shard = 7;
/// let metadata: FailureMetadata = [REGION, tag!("shard", shard.to_string())]
///     .into_iter()
///     .collect();
/// assert_eq!(metadata.get("shard"), Some("7"));
/// ```
#[macro_export]
macro_rules! tag {
    ($key:literal, $value:literal $(,)?) => {{
        const _: () = if !$crate::tags::__is_string_literal(::core::stringify!($value)) {
            ::core::panic!(
                "{}",
                ::core::concat!(
                    "`tag!` takes a string value, and `",
                    ::core::stringify!($value),
                    "` is not one: write it in quotes (`\"",
                    ::core::stringify!($value),
                    "\"`), or pass a `String` made at run time (`value.to_string()`)"
                )
            );
        };
        $crate::TelemetryTag::from_static($crate::key!($key), ::core::concat!($value))
    }};
    ($key:literal, $value:expr $(,)?) => {
        $crate::TelemetryTag::new($crate::key!($key), $value)
    };
    ($($other:tt)*) => {
        ::core::compile_error!(
            "`tag!` takes a string-literal key and a value, e.g. `tag!(\"region\", \"eu\")`: for a key known only at run time use `TelemetryTag::new(key, value)`"
        )
    };
}

/// Support for [`key!`](crate::key) and [`tag!`](crate::tag), not an API of its own:
/// `true` when `token`, a literal as `stringify!` writes it, is a string literal (plain
/// `"..."` or raw `r"..."`, `r#"..."#`).
#[doc(hidden)]
#[must_use]
pub const fn __is_string_literal(token: &str) -> bool {
    matches!(token.as_bytes(), [b'"', ..] | [b'r', b'"' | b'#', ..])
}

#[cfg(test)]
mod tests {
    use super::__is_string_literal;

    #[test]
    fn string_literals_are_told_from_other_literals() {
        for string in [r#""region""#, r#""""#, r###"r"raw""###, r###"r#"raw"#"###] {
            assert!(__is_string_literal(string), "{string}");
        }
        for other in [
            "42",
            "-7",
            "1.5",
            "true",
            "'c'",
            r#"b"bytes""#,
            r#"c"c""#,
            "",
        ] {
            assert!(!__is_string_literal(other), "{other}");
        }
    }
}
