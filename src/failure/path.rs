//! The path of an actor from the root guardian.

use core::fmt;

use smallvec::SmallVec;

use super::ActorId;

/// How many path segments an [`ActorPath`] stores inline before it spills to the heap.
///
/// Supervision trees deeper than this still work; their paths allocate once.
pub const INLINE_PATH_DEPTH: usize = 8;

/// The path of an actor from the root guardian: the ids of its ancestors, outermost
/// first, ending with the actor itself.
///
/// The root guardian's own path is empty ([`ActorPath::root`]) and displays as `/`;
/// other paths display as `/1/4/9`. Paths up to [`INLINE_PATH_DEPTH`] segments are
/// stored inline (no heap allocation). [`FromStr`](core::str::FromStr) reads the
/// `Display` form back (a malformed string is a [`ParseActorPathError`](super::ParseActorPathError)),
/// and with the `serde` feature a path serializes as that string.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// let path = ActorPath::root().child(ActorId(1)).child(ActorId(4)).child(ActorId(9));
/// assert_eq!(path.to_string(), "/1/4/9");
/// assert_eq!(path.parent().map(|p| p.to_string()), Some("/1/4".to_string()));
/// assert_eq!(path.leaf(), Some(ActorId(9)));
/// assert_eq!("/1/4/9".parse::<ActorPath>(), Ok(path));
/// ```
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ActorPath {
    segments: SmallVec<[ActorId; INLINE_PATH_DEPTH]>,
}

/// An inline path is copied as a whole buffer of fixed size, which the compiler turns
/// into a few moves; the derived clone goes through an iterator, and a copy of just the
/// segments becomes a `memcpy` call for the variable length.
impl Clone for ActorPath {
    #[inline]
    fn clone(&self) -> Self {
        if self.segments.spilled() {
            return Self {
                segments: SmallVec::from_slice(&self.segments),
            };
        }
        // Every slot is written (the unused ones with 0), so the copy has a fixed size.
        let buffer: [ActorId; INLINE_PATH_DEPTH] =
            core::array::from_fn(|i| self.segments.get(i).copied().unwrap_or(ActorId(0)));
        Self {
            segments: SmallVec::from_buf_and_len(buffer, self.segments.len()),
        }
    }
}

impl ActorPath {
    /// The root guardian's path: no segments.
    #[must_use]
    pub const fn root() -> Self {
        Self {
            segments: SmallVec::new_const(),
        }
    }

    /// The path of a child of this actor.
    #[must_use]
    pub fn child(&self, id: ActorId) -> Self {
        let mut segments = self.segments.clone();
        segments.push(id);
        Self { segments }
    }

    /// Appends a child segment in place.
    pub fn push(&mut self, id: ActorId) {
        self.segments.push(id);
    }

    /// The path of this actor's parent, or `None` for the root.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let (_, ancestors) = self.segments.split_last()?;
        Some(Self {
            segments: SmallVec::from_slice(ancestors),
        })
    }

    /// The actor this path names, or `None` for the root.
    #[must_use]
    pub fn leaf(&self) -> Option<ActorId> {
        self.segments.last().copied()
    }

    /// The number of segments (the root has depth 0).
    #[must_use]
    pub fn depth(&self) -> usize {
        self.segments.len()
    }

    /// `true` for the root guardian's path.
    #[must_use]
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// The segments, outermost first.
    #[must_use]
    pub fn segments(&self) -> &[ActorId] {
        &self.segments
    }
}

impl FromIterator<ActorId> for ActorPath {
    fn from_iter<I: IntoIterator<Item = ActorId>>(iter: I) -> Self {
        Self {
            segments: iter.into_iter().collect(),
        }
    }
}

impl fmt::Display for ActorPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for id in &self.segments {
            write!(f, "/{id}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn root_displays_as_slash_and_has_no_parent() {
        assert_eq!(ActorPath::root().to_string(), "/");
        assert!(ActorPath::root().parent().is_none());
        assert!(ActorPath::root().is_root());
    }

    #[test]
    fn parent_of_depth_one_is_root() {
        let p = ActorPath::root().child(ActorId(3));
        assert_eq!(p.parent(), Some(ActorPath::root()));
        assert_eq!(p.depth(), 1);
    }

    #[test]
    fn deep_paths_keep_every_segment() {
        let p: ActorPath = (0..100).map(ActorId).collect();
        assert_eq!(p.depth(), 100);
        assert_eq!(p.leaf(), Some(ActorId(99)));
    }
}
