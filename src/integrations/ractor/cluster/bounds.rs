//! How large a forwarded failure may be: the cut a failure gets before it is queued,
//! and the room it takes in the buffer.
//!
//! ractor_cluster refuses frames over 16 MiB and tears the session down when it meets
//! one, so a failure that cannot fit would be resent forever and every failure after it
//! would wait behind it. The hook therefore cuts each failure to these bounds before it
//! queues it; what is still too large after the cut (a path of millions of segments) is
//! refused by the forwarder and counted ([`ForwardingStats::oversized`]).
//!
//! [`ForwardingStats::oversized`]: super::ForwardingStats::oversized

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::tags::{TelemetryTag, TelemetryValue};
use crate::telemetry::{FailureSnapshot, OwnedFailureSnapshot};

/// The longest description forwarded, in bytes (UTF-8); a longer one is cut to this
/// length, its end replaced by a marker that says how many bytes were cut.
pub const MAX_DESCRIPTION_BYTES: usize = 64 * 1024;

/// The longest tag value forwarded (own and system tags), in bytes; a longer one is cut
/// like the description.
pub const MAX_TAG_VALUE_BYTES: usize = 4 * 1024;

/// The longest tag key forwarded, in bytes. A longer key is not cut (two cut keys could
/// become one, which the collector would refuse): the tag is left out and counted in the
/// failure's dropped tags.
pub const MAX_TAG_KEY_BYTES: usize = 256;

/// The largest encoded failure the forwarder sends, in bytes: half of ractor_cluster's
/// 16 MiB frame, leaving room for its envelope. A cut failure is far below it (at most
/// about 1.2 MiB with 128 own and 128 system tags); only a path of about a million
/// segments reaches it, and such a failure is refused and counted.
pub const MAX_PAYLOAD_BYTES: usize = 8 * 1024 * 1024;

/// The room the cut marker needs at the end of a cut text.
const MARKER_ROOM: usize = 40;

/// A failure within the bounds, as it waits in the buffer. A cut failure carries its
/// cut system tags apart (`Some`): an owned snapshot is made from parts without them.
pub(crate) struct Bounded {
    pub(crate) snapshot: OwnedFailureSnapshot,
    pub(crate) cut_system_tags: Option<Vec<TelemetryTag>>,
}

impl Bounded {
    /// The system tags the failure travels with.
    pub(crate) fn system_tags(&self) -> &[TelemetryTag] {
        self.cut_system_tags
            .as_deref()
            .unwrap_or_else(|| self.snapshot.system_tags())
    }

    /// Whether it had to be cut.
    pub(crate) fn was_cut(&self) -> bool {
        self.cut_system_tags.is_some()
    }

    /// The room it is counted as taking in the buffer: its texts, its path and a
    /// fixed part for the rest. What the byte bound of
    /// [`ForwardingOptions::with_max_pending_bytes`](super::ForwardingOptions::with_max_pending_bytes)
    /// adds up.
    pub(crate) fn pending_bytes(&self) -> usize {
        pending_bytes(&self.snapshot, self.system_tags())
    }
}

fn pending_bytes(snapshot: &OwnedFailureSnapshot, system_tags: &[TelemetryTag]) -> usize {
    let tags = |tags: &[TelemetryTag]| -> usize {
        tags.iter()
            .map(|tag| tag.key.len() + tag.value.len() + 16)
            .sum()
    };
    128 + snapshot.description().len()
        + snapshot.path().depth() * 8
        + tags(snapshot.tags())
        + tags(system_tags)
}

/// `snapshot` as an owned copy within the bounds. A failure within them (the common
/// case) is copied as it is, with nothing more to allocate. `None` only for tags no
/// metadata can hold (an empty or repeated key), which the owned copy refuses: the
/// caller counts the failure as refused.
pub(crate) fn owned_within_bounds(snapshot: &FailureSnapshot<'_>) -> Option<Bounded> {
    let fits = |tags: &[TelemetryTag]| {
        tags.iter()
            .all(|tag| tag.key.len() <= MAX_TAG_KEY_BYTES && tag.value.len() <= MAX_TAG_VALUE_BYTES)
    };
    if snapshot.description().len() <= MAX_DESCRIPTION_BYTES
        && fits(snapshot.tags())
        && fits(snapshot.system_tags())
    {
        return Some(Bounded {
            snapshot: snapshot.into_owned(),
            cut_system_tags: None,
        });
    }
    let description = cut(snapshot.description(), MAX_DESCRIPTION_BYTES);
    let (tags, left_out) = cut_tags(snapshot.tags());
    let (system_tags, _) = cut_tags(snapshot.system_tags());
    let snapshot = OwnedFailureSnapshot::try_from_parts(
        snapshot.actor(),
        snapshot.path().clone(),
        description,
        snapshot.hops(),
        tags,
        snapshot.dropped_tags().saturating_add(left_out),
        snapshot.suppressed(),
    )
    .ok()?;
    Some(Bounded {
        snapshot,
        cut_system_tags: Some(system_tags),
    })
}

/// The tags within the bounds: long values cut, tags with a long key left out (their
/// number returned).
fn cut_tags(tags: &[TelemetryTag]) -> (Vec<TelemetryTag>, u32) {
    let mut left_out = 0_u32;
    let kept = tags
        .iter()
        .filter(|tag| {
            let keep = tag.key.len() <= MAX_TAG_KEY_BYTES;
            if !keep {
                left_out = left_out.saturating_add(1);
            }
            keep
        })
        .map(|tag| {
            if tag.value.len() <= MAX_TAG_VALUE_BYTES {
                tag.clone()
            } else {
                TelemetryTag::new(
                    tag.key.clone(),
                    TelemetryValue::from(cut(&tag.value, MAX_TAG_VALUE_BYTES)),
                )
            }
        })
        .collect();
    (kept, left_out)
}

/// `text` cut to at most `bound` bytes on a character boundary, ending in a marker
/// that says how many bytes were cut: `…[17825792 bytes cut]`.
fn cut(text: &str, bound: usize) -> String {
    if text.len() <= bound {
        return String::from(text);
    }
    let mut keep = bound.saturating_sub(MARKER_ROOM);
    while !text.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}…[{} bytes cut]", &text[..keep], text.len() - keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, ActorId, ActorPath, FailureInfo, FailureMetadata};
    use alloc::string::ToString;

    #[test]
    fn a_failure_within_the_bounds_is_copied_as_it_is() {
        let info = FailureInfo::new(
            ActorId(1),
            ActorPath::root().child(ActorId(1)),
            ActorFailure::from_message("small"),
        )
        .with_metadata(FailureMetadata::new().with_tag("k", "v"));
        let bounded = owned_within_bounds(&info.snapshot()).expect("valid tags");
        assert!(!bounded.was_cut());
        assert_eq!(bounded.snapshot, info.snapshot().into_owned());
    }

    #[test]
    fn long_texts_are_cut_with_a_marker_and_long_keys_left_out_and_counted() {
        let description = "é".repeat(MAX_DESCRIPTION_BYTES); // two bytes each
        let long_key = "k".repeat(MAX_TAG_KEY_BYTES + 1);
        let info = FailureInfo::new(
            ActorId(1),
            ActorPath::root().child(ActorId(1)),
            ActorFailure::from_message(description.clone()),
        )
        .with_metadata(
            FailureMetadata::new()
                .with_tag("long", "v".repeat(MAX_TAG_VALUE_BYTES * 2))
                .with_tag(long_key, "x")
                .with_tag("short", "kept"),
        );
        let bounded = owned_within_bounds(&info.snapshot()).expect("valid tags");
        assert!(bounded.was_cut());
        let owned = bounded.snapshot;
        assert!(owned.description().len() <= MAX_DESCRIPTION_BYTES);
        assert!(owned.description().starts_with("éé"));
        let removed = description.len() - owned.description().find('…').expect("a marker");
        assert!(
            owned
                .description()
                .ends_with(&format!("…[{removed} bytes cut]")),
            "{}",
            &owned.description()[owned.description().len() - 40..]
        );
        let tags: Vec<(String, usize)> = owned
            .tags()
            .iter()
            .map(|tag| (tag.key.to_string(), tag.value.len()))
            .collect();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].0, "long");
        assert!(tags[0].1 <= MAX_TAG_VALUE_BYTES);
        assert_eq!(owned.tag("short"), Some("kept"));
        assert_eq!(owned.dropped_tags(), 1);
    }
}
