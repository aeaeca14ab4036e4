//! How the tags of a failure are rendered as one event field.

use core::fmt;

use crate::tags::TelemetryTag;
use crate::telemetry::AllTags;

/// The tags of a failure as one value, written lazily (only when a subscriber formats
/// the field): `[key=value key="quoted value"]`, the exact `tags=[..]` part of the
/// [`FailureSnapshot`](crate::FailureSnapshot) one-line format (same quoting and
/// escaping rules, tags in insertion order, `[]` when there are none). For a snapshot
/// with system tags, [`FailureSnapshot::all_tags`](crate::FailureSnapshot::all_tags)
/// renders the same way and includes them; the tracing event uses that.
///
/// ```
/// use escalation_telemetry::integrations::tracing::TagsField;
/// use escalation_telemetry::prelude::*;
///
/// let tags = [TelemetryTag::new("component", "db"), TelemetryTag::new("tenant", "acme corp")];
/// assert_eq!(TagsField(&tags).to_string(), r#"[component=db tenant="acme corp"]"#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TagsField<'a>(pub &'a [TelemetryTag]);

impl fmt::Display for TagsField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&AllTags::new(self.0, &[]), f)
    }
}
