//! The label-name rule that tag keys written in the source must follow.

/// `true` when `key` is a valid metric label name: `[a-zA-Z_][a-zA-Z0-9_]*`, the rule
/// that Prometheus and the OpenTelemetry exporters share.
///
/// [`key!`](crate::key) and [`tag!`](crate::tag) apply it while compiling. Keys made at
/// run time are not held to it (see the crate's `docs/tags.md`, "Keys from run-time
/// strings"); call it yourself where a key must become a label.
///
/// ```
/// use escalation_telemetry::tags::is_label_name;
///
/// assert!(is_label_name("tenant_id"));
/// assert!(is_label_name("_internal"));
/// assert!(!is_label_name(""));
/// assert!(!is_label_name("tenant id"));
/// assert!(!is_label_name("3xx"));
/// assert!(!is_label_name("http.method"));
/// ```
#[must_use]
pub const fn is_label_name(key: &str) -> bool {
    let bytes = key.as_bytes();
    if bytes.is_empty() || bytes[0].is_ascii_digit() {
        return false;
    }
    // A `while` loop: iterators are not available in a `const fn`.
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if !(byte.is_ascii_alphanumeric() || byte == b'_') {
            return false;
        }
        index += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_label_name;

    #[test]
    fn follows_the_prometheus_label_name_rule() {
        for good in ["a", "A", "_", "a1", "tenant_id", "__name", "Z9_z"] {
            assert!(is_label_name(good), "{good:?}");
        }
        for bad in ["", "1", "3xx", "a b", "a-b", "a.b", "zoë", "a\n", "é"] {
            assert!(!is_label_name(bad), "{bad:?}");
        }
    }
}
