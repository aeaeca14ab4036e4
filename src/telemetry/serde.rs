//! The serialized form of snapshots (feature `serde`); see
//! [`FailureSnapshot`]'s "serialized form" section.

use alloc::string::String;
use alloc::vec::Vec;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::crash_form::{CrashForm, LocationRead};
use super::{FailureSnapshot, OwnedFailureSnapshot};
use crate::failure::{ActorId, ActorPath};
use crate::tags::{TelemetryTag, check_tag_list};
use crate::text::bound_error;

/// The struct name given to serializers that use one.
const NAME: &str = "FailureSnapshot";

/// `{"actor", "path", "hops", "description", "tags": [{"key", "value"}], "dropped_tags",
/// "suppressed"}`, in this order; `tags` are [`all_tags`](FailureSnapshot::all_tags)
/// (system tags included).
impl Serialize for FailureSnapshot<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct(NAME, 7 + super::crash_form::FIELD_COUNT)?;
        out.serialize_field("actor", &self.actor())?;
        out.serialize_field("path", self.path())?;
        out.serialize_field("hops", &self.hops())?;
        out.serialize_field("description", self.description())?;
        out.serialize_field("tags", &SerializedTags(self.all_tags()))?;
        out.serialize_field("dropped_tags", &self.dropped_tags())?;
        out.serialize_field("suppressed", &self.suppressed())?;
        super::crash_form::write_fields(&mut out, self)?;
        out.end()
    }
}

/// The effective tags (own, then system) as one sequence, without collecting them.
struct SerializedTags<'a>(super::AllTags<'a>);

impl Serialize for SerializedTags<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.clone())
    }
}

/// The same form as [`FailureSnapshot`].
impl Serialize for OwnedFailureSnapshot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_snapshot().serialize(serializer)
    }
}

/// The form [`FailureSnapshot`] serializes to, as read back.
#[derive(serde::Deserialize)]
#[serde(
    rename = "FailureSnapshot",
    expecting = "a failure snapshot: a map with actor, path, hops, description, tags, dropped_tags, suppressed and the crash report"
)]
struct SnapshotForm {
    actor: ActorId,
    path: ActorPath,
    hops: u8,
    description: String,
    #[serde(default)]
    tags: Vec<TelemetryTag>,
    #[serde(default)]
    dropped_tags: u32,
    #[serde(default)]
    suppressed: u64,
    // The crash report; each missing one (an older producer) reads as absent.
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    location: Option<LocationRead>,
    #[serde(default)]
    causes: Vec<String>,
    #[serde(default)]
    dropped_causes: u32,
    #[serde(default)]
    trace_id: Option<String>,
    #[serde(default)]
    span_id: Option<String>,
    #[serde(default)]
    trace_flags: Option<String>,
    #[serde(default)]
    backtrace: Option<String>,
}

/// Reads the form [`FailureSnapshot`] serializes to.
///
/// `actor`, `path`, `hops` and `description` are required; a missing `tags` reads as no
/// tags and a missing `dropped_tags` or `suppressed` as 0; unknown fields are ignored (so a newer
/// producer can add fields). Formats without field names (postcard, bincode) write and
/// read the fields positionally, in the order above. Input that no snapshot could have produced is an error,
/// never a panic: a malformed path (see
/// [`ParseActorPathError`](crate::ParseActorPathError)), `hops` beyond 255, a tag with an
/// empty key, or two tags with the same key. Every error message is at most 512 bytes:
/// it names what is wrong and where, and quotes a short excerpt of the input, never all
/// of it (a format's own message, such as `invalid type: string "…"`, is cut to its
/// start and end).
impl<'de> Deserialize<'de> for OwnedFailureSnapshot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let form = SnapshotForm::deserialize(deserializer).map_err(bound_error)?;
        check_tag_list(&form.tags).map_err(D::Error::custom)?;
        let crash = CrashForm {
            kind: form.kind,
            error_type: form.error_type,
            location: form.location,
            causes: form.causes,
            dropped_causes: form.dropped_causes,
            trace_id: form.trace_id,
            span_id: form.span_id,
            trace_flags: form.trace_flags,
            backtrace: form.backtrace,
        }
        .into_parts()
        .map_err(D::Error::custom)?;
        Ok(Self::from_parts(
            form.actor,
            form.path,
            form.description,
            form.hops,
            form.tags,
            form.dropped_tags,
            form.suppressed,
        )
        .with_crash(crash))
    }
}
