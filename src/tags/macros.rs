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
/// Only string literals are accepted (anything else is a compile error saying so): a key
/// known only at run time goes straight to
/// [`FailureMetadata::with_tag`](crate::FailureMetadata::with_tag), which checks it then.
#[macro_export]
macro_rules! key {
    ($key:literal $(,)?) => {{
        const _: () = {
            let key: &str = $key;
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
        let key: &'static str = $key;
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
/// tag is made at run time.
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
    ($key:literal, $value:literal $(,)?) => {
        $crate::TelemetryTag::from_static($crate::key!($key), $value)
    };
    ($key:literal, $value:expr $(,)?) => {
        $crate::TelemetryTag::new($crate::key!($key), $value)
    };
    ($($other:tt)*) => {
        ::core::compile_error!(
            "`tag!` takes a string-literal key and a value, e.g. `tag!(\"region\", \"eu\")`: for a key known only at run time use `TelemetryTag::new(key, value)`"
        )
    };
}
