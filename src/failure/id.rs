//! Actor identity.

use core::fmt;

/// The identity of an actor, unique within one actor system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct ActorId(pub u64);

/// A number; a format's error about anything else (`invalid type: string "…"`) is cut
/// to at most 512 bytes, however long the input.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ActorId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u64::deserialize(deserializer)
            .map(Self)
            .map_err(crate::text::bound_error)
    }
}

impl fmt::Display for ActorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<u64> for ActorId {
    fn from(value: u64) -> Self {
        Self(value)
    }
}
