//! `ActorPath` as a string in serialized forms (feature `serde`).

use core::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use super::{ActorPath, ParseActorPathError};
use crate::text::{Excerpt, bound_error};

/// Serialized as its `Display` form, `"/1/4/9"` (`"/"` for the root).
impl Serialize for ActorPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialized from the `Display` form with [`FromStr`](core::str::FromStr); a
/// malformed string is a deserialization error carrying the
/// [`ParseActorPathError`](super::ParseActorPathError) message, a short excerpt of the
/// string and of the bad segment: at most 512 bytes, however long the input.
impl<'de> Deserialize<'de> for ActorPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(ActorPathVisitor)
            .map_err(bound_error)
    }
}

struct ActorPathVisitor;

impl Visitor<'_> for ActorPathVisitor {
    type Value = ActorPath;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an actor path like \"/1/4/9\"")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ActorPath, E> {
        text.parse().map_err(|error: ParseActorPathError| {
            let bad_segment = error
                .segment()
                .and_then(|index| text.get(1..)?.split('/').nth(index))
                .filter(|segment| !segment.is_empty());
            match bad_segment {
                Some(segment) => E::custom(format_args!(
                    "invalid actor path {}: {error}: {}",
                    Excerpt(text),
                    Excerpt(segment)
                )),
                None => E::custom(format_args!(
                    "invalid actor path {}: {error}",
                    Excerpt(text)
                )),
            }
        })
    }
}
