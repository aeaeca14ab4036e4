//! Which tags Sentry accepts as tags.

/// The longest tag key Sentry indexes, in characters.
const MAX_KEY_CHARS: usize = 32;

/// The longest tag value Sentry indexes, in characters.
const MAX_VALUE_CHARS: usize = 200;

/// `true` when Sentry indexes this key/value pair as a tag: a key of 1 to 32 ASCII
/// letters, digits, `_`, `.`, `:` or `-`, and a value of at most 200 characters without
/// a newline (Sentry's documented tag rules). Sentry drops any other tag from an event,
/// so such tags go into the event's context instead, where nothing is lost.
pub(crate) fn is_sentry_tag(key: &str, value: &str) -> bool {
    let key_ok = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b':' | b'-'));
    let value_ok = !value.contains('\n') && value.chars().nth(MAX_VALUE_CHARS).is_none();
    key_ok && value_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn sentry_tag_rules() {
        assert!(is_sentry_tag("tenant", "acme corp"));
        assert!(is_sentry_tag("page.locale:v-2_x", ""));
        assert!(is_sentry_tag(&"k".repeat(32), &"é".repeat(200)));
        assert!(!is_sentry_tag("", "v"));
        assert!(!is_sentry_tag(&"k".repeat(33), "v"));
        assert!(!is_sentry_tag("with space", "v"));
        assert!(!is_sentry_tag("zoë", "v"));
        assert!(!is_sentry_tag("k", &"v".repeat(201)));
        assert!(!is_sentry_tag("k", "two\nlines"));
        assert!(is_sentry_tag("k", &String::from("one line\r")));
    }
}
