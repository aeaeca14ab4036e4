//! A failure's effective tags: its own, then its system's.

use core::fmt;
use core::iter::FusedIterator;

use crate::tags::TelemetryTag;

/// The tags a failure shows: its own tags in insertion order, then the system tags
/// (set with [`ActorSystemConfig::with_system_tag`](crate::ActorSystemConfig::with_system_tag))
/// whose key the failure does not set itself. Made by
/// [`FailureSnapshot::all_tags`](crate::FailureSnapshot::all_tags); borrows both lists,
/// allocates nothing.
///
/// It is an iterator of `&TelemetryTag`, and its `Display` is the `[..]` part of the
/// one-line form: `[key=value key="quoted value"]` (`[]` when there are none).
#[derive(Debug, Clone)]
pub struct AllTags<'a> {
    own: &'a [TelemetryTag],
    system: &'a [TelemetryTag],
    /// The next own tag, then (past `own.len()`) the next system tag.
    next: usize,
}

impl<'a> AllTags<'a> {
    /// The failure's own tags followed by the system tags whose key is not among them.
    #[must_use]
    pub fn new(own: &'a [TelemetryTag], system: &'a [TelemetryTag]) -> Self {
        Self {
            own,
            system,
            next: 0,
        }
    }

    /// `true` when a system tag is left out because the failure sets its key.
    fn overridden(&self, tag: &TelemetryTag) -> bool {
        self.own.iter().any(|own| own.key == tag.key)
    }
}

impl<'a> Iterator for AllTags<'a> {
    type Item = &'a TelemetryTag;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(tag) = self.own.get(self.next) {
            self.next += 1;
            return Some(tag);
        }
        // Few tags on each side: a linear scan per system tag beats any index.
        while let Some(tag) = self.system.get(self.next - self.own.len()) {
            self.next += 1;
            if !self.overridden(tag) {
                return Some(tag);
            }
        }
        None
    }

    /// Exact (serializers that write the length first need it), counted by the same
    /// scan as `next`.
    fn size_hint(&self) -> (usize, Option<usize>) {
        let own_left = self.own.len().saturating_sub(self.next);
        let system_from = self.next.saturating_sub(self.own.len());
        let system_left = self
            .system
            .get(system_from..)
            .unwrap_or_default()
            .iter()
            .filter(|tag| !self.overridden(tag))
            .count();
        let len = own_left + system_left;
        (len, Some(len))
    }
}

impl ExactSizeIterator for AllTags<'_> {}

impl FusedIterator for AllTags<'_> {}

impl fmt::Display for AllTags<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (index, tag) in self.clone().enumerate() {
            if index > 0 {
                f.write_str(" ")?;
            }
            fmt::Display::fmt(tag, f)?;
        }
        f.write_str("]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn own_tags_first_and_own_keys_win() {
        let own = [
            TelemetryTag::from_static("region", "us"),
            TelemetryTag::from_static("tenant", "acme"),
        ];
        let system = [
            TelemetryTag::from_static("service", "orders"),
            TelemetryTag::from_static("region", "eu"),
            TelemetryTag::from_static("node", "n1"),
        ];
        let keys: Vec<_> = AllTags::new(&own, &system)
            .map(|tag| (&*tag.key, &*tag.value))
            .collect();
        assert_eq!(
            keys,
            [
                ("region", "us"),
                ("tenant", "acme"),
                ("service", "orders"),
                ("node", "n1")
            ]
        );
        assert_eq!(
            AllTags::new(&own, &system).to_string(),
            "[region=us tenant=acme service=orders node=n1]"
        );
        assert_eq!(AllTags::new(&[], &[]).to_string(), "[]");
        assert_eq!(AllTags::new(&[], &system).count(), 3);
        let mut tags = AllTags::new(&own, &system);
        for left in (0..=4).rev() {
            assert_eq!(tags.len(), left);
            tags.next();
        }
    }
}
