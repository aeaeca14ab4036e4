//! What crosses the wire: one forwarded failure and the collector's acknowledgement.
//!
//! The form is protobuf (prost, which ractor_cluster already uses for its own frames):
//! fields are numbered, so a newer sender can add fields that an older collector skips,
//! and a `version` field lets a collector refuse a form it does not understand.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;

use std::fmt;

use prost::Message as _;

use crate::failure::{ActorId, ActorPath, FailureKind, TraceContext};
use crate::tags::{TelemetryTag, check_tag_list};
use crate::telemetry::{CrashReport, OwnedFailureSnapshot};
use crate::text::bounded_message;

/// The version of the wire form this build writes and reads: 2 since the crash report
/// (kind, error type, location, causes, trace, backtrace) travels with each failure
/// and field 13 was retired. A node on another version is refused: its payload is
/// rejected, logged with the versions and counted in
/// [`ClusterStats::rejected_versions`](super::ClusterStats::rejected_versions), never
/// read as this one.
pub const WIRE_VERSION: u32 = 2;

/// One failure as it reached a node's root, with the node's identity and counters: what
/// [`ForwardingTelemetry`](super::ForwardingTelemetry) sends and
/// [`ClusterRoot`](super::ClusterRoot) receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedFailure {
    pub(crate) node: String,
    pub(crate) incarnation: u64,
    pub(crate) sequence: u64,
    pub(crate) snapshot: OwnedFailureSnapshot,
    pub(crate) system_tags: Vec<TelemetryTag>,
    pub(crate) forward_dropped: u64,
}

impl ForwardedFailure {
    /// The sending node's name.
    #[must_use]
    pub fn node(&self) -> &str {
        &self.node
    }

    /// A number the sending node draws when its forwarder starts: a restarted node
    /// starts a new sequence, and the collector tells the two apart by it.
    #[must_use]
    pub fn incarnation(&self) -> u64 {
        self.incarnation
    }

    /// The failure's position in its node's sequence (1 for the first failure an
    /// incarnation forwards). A failure sent again after a lost acknowledgement keeps
    /// its number, so the collector reports it once.
    #[must_use]
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The failure as it was on its node: actor, path, hops, description, tags, the
    /// count of tags its metadata dropped, and its crash report (kind, error type, code
    /// location, causes, trace context, backtrace).
    #[must_use]
    pub fn snapshot(&self) -> &OwnedFailureSnapshot {
        &self.snapshot
    }

    /// The node's own tags, from its config's system tags (its identity is
    /// [`node`](Self::node), its own field, never one of these).
    #[must_use]
    pub fn system_tags(&self) -> &[TelemetryTag] {
        &self.system_tags
    }

    /// How many failures of this one's storm signature the node suppressed since it
    /// last delivered one (0 on a node that does not limit storms); the snapshot's
    /// [`suppressed`](OwnedFailureSnapshot::suppressed).
    #[must_use]
    pub fn suppressed(&self) -> u64 {
        self.snapshot.suppressed()
    }

    /// How many failures the node's buffer dropped that no collector had accepted the
    /// count of when this one was taken from the buffer: the collector reports it as
    /// is (unless this is a resend it already reported), so each drop is reported
    /// once, whatever the collectors' restarts.
    #[must_use]
    pub fn forward_dropped(&self) -> u64 {
        self.forward_dropped
    }

    /// The wire form.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let snapshot = self.snapshot.as_snapshot();
        let crash = CrashReport::of(&snapshot);
        WireFailure {
            version: WIRE_VERSION,
            node: self.node.clone(),
            incarnation: self.incarnation,
            sequence: self.sequence,
            actor: snapshot.actor().0,
            path: snapshot.path().segments().iter().map(|id| id.0).collect(),
            hops: u32::from(snapshot.hops()),
            description: snapshot.description().to_owned(),
            tags: snapshot.tags().iter().map(WireTag::from).collect(),
            dropped_tags: snapshot.dropped_tags(),
            system_tags: self.system_tags.iter().map(WireTag::from).collect(),
            suppressed: snapshot.suppressed(),
            forward_dropped: self.forward_dropped,
            kind: match crash.kind {
                FailureKind::Panic => KIND_PANIC,
                FailureKind::Error => KIND_ERROR,
                _ => KIND_MESSAGE,
            },
            error_type: crash.error_type,
            location: crash.location.map(|(file, line, column)| WireLocation {
                file,
                line,
                column,
            }),
            causes: crash.causes,
            dropped_causes: crash.dropped_causes,
            trace: crash.trace.map(|trace| WireTrace {
                trace_id: trace.trace_id.to_vec(),
                span_id: trace.span_id.to_vec(),
                sampled: trace.sampled,
            }),
            backtrace: crash.backtrace,
        }
        .encode_to_vec()
    }

    /// Reads the wire form.
    ///
    /// # Errors
    /// A [`WireError`] for bytes that are not this form, a version this build does not
    /// read, or content no node could have sent (no node name, more than 255 hops, an
    /// empty or repeated tag key). Never panics, whatever the bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, WireError> {
        let wire = WireFailure::decode(bytes).map_err(|error| {
            // The decoder's messages are short; bounded all the same, like every error
            // that describes input.
            WireError::Malformed(bounded_message(&error).unwrap_or_else(|| error.to_string()))
        })?;
        if wire.version != WIRE_VERSION {
            return Err(WireError::UnsupportedVersion {
                found: wire.version,
            });
        }
        if wire.node.is_empty() {
            return Err(WireError::MissingNode);
        }
        let hops = u8::try_from(wire.hops).map_err(|_| WireError::HopsOutOfRange(wire.hops))?;
        let crash = CrashReport {
            kind: match wire.kind {
                KIND_MESSAGE => FailureKind::Message,
                KIND_PANIC => FailureKind::Panic,
                KIND_ERROR => FailureKind::Error,
                other => {
                    return Err(WireError::InvalidCrashReport(alloc::format!(
                        "unknown failure kind {other}"
                    )));
                }
            },
            error_type: wire.error_type,
            location: wire.location.map(|at| (at.file, at.line, at.column)),
            causes: wire.causes,
            dropped_causes: wire.dropped_causes,
            trace: wire.trace.map(WireTrace::into_trace).transpose()?,
            backtrace: wire.backtrace,
        };
        let tags: Vec<TelemetryTag> = wire.tags.into_iter().map(TelemetryTag::from).collect();
        let path: ActorPath = wire.path.into_iter().map(ActorId).collect();
        let snapshot = OwnedFailureSnapshot::try_from_parts(
            ActorId(wire.actor),
            path,
            wire.description,
            hops,
            tags,
            wire.dropped_tags,
            wire.suppressed,
        )
        .map_err(|error| WireError::InvalidTags(error.to_string()))?
        .with_crash(crash.into_parts());
        let system_tags: Vec<TelemetryTag> = wire
            .system_tags
            .into_iter()
            .map(TelemetryTag::from)
            .collect();
        check_tag_list(&system_tags).map_err(|error| WireError::InvalidTags(error.to_string()))?;
        Ok(Self {
            node: wire.node,
            incarnation: wire.incarnation,
            sequence: wire.sequence,
            snapshot,
            system_tags,
            forward_dropped: wire.forward_dropped,
        })
    }
}

/// Why bytes received as a forwarded failure were rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WireError {
    /// The bytes are not a protobuf message of the forwarded form (the decoder's reason).
    Malformed(String),
    /// The sender wrote a version of the form this build does not read.
    UnsupportedVersion {
        /// The version in the message (0 when it has none).
        found: u32,
    },
    /// The message names no node.
    MissingNode,
    /// More hops than a failure can have (255 at most).
    HopsOutOfRange(u32),
    /// A tag with an empty key, or two tags with the same key.
    InvalidTags(String),
    /// A crash report no node could have sent: an unknown failure kind, or trace or
    /// span ids of the wrong length.
    InvalidCrashReport(String),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(reason) => write!(f, "not a forwarded failure: {reason}"),
            Self::UnsupportedVersion { found } => write!(
                f,
                "forwarded failure of wire version {found}, this build reads version {WIRE_VERSION}"
            ),
            Self::MissingNode => f.write_str("forwarded failure names no node"),
            Self::HopsOutOfRange(hops) => {
                write!(f, "forwarded failure has {hops} hops (255 at most)")
            }
            Self::InvalidTags(reason) => write!(f, "forwarded failure has invalid tags: {reason}"),
            Self::InvalidCrashReport(reason) => {
                write!(f, "forwarded failure has an invalid crash report: {reason}")
            }
        }
    }
}

impl std::error::Error for WireError {}

/// The collector's answer to one forwarded payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ack {
    /// The sequence number of the failure answered (0 when the payload could not be
    /// read).
    pub(crate) sequence: u64,
    /// `false` when the collector rejected the payload: sending it again cannot help.
    pub(crate) accepted: bool,
}

impl Ack {
    pub(crate) fn encode(self) -> Vec<u8> {
        WireAck {
            sequence: self.sequence,
            accepted: self.accepted,
        }
        .encode_to_vec()
    }

    /// `None` for bytes that are not an acknowledgement.
    pub(crate) fn decode(bytes: &[u8]) -> Option<Self> {
        WireAck::decode(bytes).ok().map(|ack| Self {
            sequence: ack.sequence,
            accepted: ack.accepted,
        })
    }
}

#[derive(Clone, PartialEq, prost::Message)]
struct WireFailure {
    #[prost(uint32, tag = "1")]
    version: u32,
    #[prost(string, tag = "2")]
    node: String,
    #[prost(uint64, tag = "3")]
    incarnation: u64,
    #[prost(uint64, tag = "4")]
    sequence: u64,
    #[prost(uint64, tag = "5")]
    actor: u64,
    #[prost(uint64, repeated, tag = "6")]
    path: Vec<u64>,
    #[prost(uint32, tag = "7")]
    hops: u32,
    #[prost(string, tag = "8")]
    description: String,
    #[prost(message, repeated, tag = "9")]
    tags: Vec<WireTag>,
    #[prost(uint32, tag = "10")]
    dropped_tags: u32,
    #[prost(message, repeated, tag = "11")]
    system_tags: Vec<WireTag>,
    #[prost(uint64, tag = "12")]
    suppressed: u64,
    // Field 13 (a running total of drops) is no longer written nor read: a total made
    // every new collector report the drops again. Retired in version 2.
    #[prost(uint64, tag = "14")]
    forward_dropped: u64,
    // The crash report, from version 2.
    /// [`KIND_MESSAGE`], [`KIND_PANIC`] or [`KIND_ERROR`].
    #[prost(uint32, tag = "15")]
    kind: u32,
    #[prost(string, optional, tag = "16")]
    error_type: Option<String>,
    #[prost(message, optional, tag = "17")]
    location: Option<WireLocation>,
    #[prost(string, repeated, tag = "18")]
    causes: Vec<String>,
    #[prost(uint32, tag = "19")]
    dropped_causes: u32,
    #[prost(message, optional, tag = "20")]
    trace: Option<WireTrace>,
    #[prost(string, optional, tag = "21")]
    backtrace: Option<String>,
}

/// The failure kinds on the wire.
const KIND_MESSAGE: u32 = 0;
const KIND_PANIC: u32 = 1;
const KIND_ERROR: u32 = 2;

#[derive(Clone, PartialEq, prost::Message)]
struct WireLocation {
    #[prost(string, tag = "1")]
    file: String,
    #[prost(uint32, tag = "2")]
    line: u32,
    #[prost(uint32, tag = "3")]
    column: u32,
}

#[derive(Clone, PartialEq, prost::Message)]
struct WireTrace {
    #[prost(bytes = "vec", tag = "1")]
    trace_id: Vec<u8>,
    #[prost(bytes = "vec", tag = "2")]
    span_id: Vec<u8>,
    #[prost(bool, tag = "3")]
    sampled: bool,
}

impl WireTrace {
    fn into_trace(self) -> Result<TraceContext, WireError> {
        let invalid = |what: &str, len: usize| {
            WireError::InvalidCrashReport(alloc::format!("{what} of {len} bytes"))
        };
        let trace_id_len = self.trace_id.len();
        let span_id_len = self.span_id.len();
        Ok(TraceContext {
            trace_id: self
                .trace_id
                .try_into()
                .map_err(|_| invalid("a trace id", trace_id_len))?,
            span_id: self
                .span_id
                .try_into()
                .map_err(|_| invalid("a span id", span_id_len))?,
            sampled: self.sampled,
        })
    }
}

#[derive(Clone, PartialEq, prost::Message)]
struct WireTag {
    #[prost(string, tag = "1")]
    key: String,
    #[prost(string, tag = "2")]
    value: String,
}

impl From<&TelemetryTag> for WireTag {
    fn from(tag: &TelemetryTag) -> Self {
        Self {
            key: tag.key.to_string(),
            value: tag.value.to_string(),
        }
    }
}

impl From<WireTag> for TelemetryTag {
    fn from(tag: WireTag) -> Self {
        Self::new(tag.key, tag.value)
    }
}

#[derive(Clone, PartialEq, prost::Message)]
struct WireAck {
    #[prost(uint64, tag = "1")]
    sequence: u64,
    #[prost(bool, tag = "2")]
    accepted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::{ActorFailure, FailureInfo, FailureMetadata};
    use crate::tags::BoundedTags;
    use alloc::vec;

    fn forwarded() -> ForwardedFailure {
        let info = FailureInfo::new(
            ActorId(9),
            ActorPath::root().child(ActorId(4)).child(ActorId(9)),
            ActorFailure::from_message("disk \"full\"\n"),
        )
        .with_metadata(
            FailureMetadata::<BoundedTags<1>>::default()
                .with_component("db")
                .with_tag("dropped", "x"),
        )
        .escalate_to_parent();
        ForwardedFailure {
            node: "node-b".into(),
            incarnation: 77,
            sequence: 3,
            snapshot: info.snapshot().with_suppressed(5).into_owned(),
            system_tags: vec![TelemetryTag::new("region", "eu")],
            forward_dropped: 2,
        }
    }

    #[test]
    fn every_field_survives_the_round_trip() {
        let sent = forwarded();
        assert_eq!(ForwardedFailure::decode(&sent.encode()), Ok(sent));
    }

    #[test]
    fn each_kind_survives_the_round_trip() {
        for failure in [
            ActorFailure::from_panic_payload(&"boom"),
            ActorFailure::from_error(&core::fmt::Error),
            ActorFailure::from_message("boom"),
        ] {
            let kind = failure.kind();
            let mut sent = forwarded();
            let info = FailureInfo::new(ActorId(9), ActorPath::root().child(ActorId(9)), failure);
            sent.snapshot = info.snapshot().into_owned();
            let read = ForwardedFailure::decode(&sent.encode()).expect("a valid payload");
            assert_eq!(read.snapshot().as_snapshot().kind(), kind);
        }
    }

    #[test]
    fn the_accessors_read_what_was_decoded() {
        let read = ForwardedFailure::decode(&forwarded().encode()).expect("a valid payload");
        assert_eq!(
            (read.node(), read.incarnation(), read.sequence()),
            ("node-b", 77, 3)
        );
        assert_eq!(read.system_tags(), [TelemetryTag::new("region", "eu")]);
        assert_eq!((read.suppressed(), read.forward_dropped()), (5, 2));
        assert_eq!(
            read.snapshot().as_snapshot().description(),
            "disk \"full\"\n"
        );
    }

    /// A failure with every crash-report field.
    fn crashed() -> ForwardedFailure {
        #[derive(Debug)]
        struct Layer(&'static str, Option<&'static Layer>);
        impl fmt::Display for Layer {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0)
            }
        }
        impl core::error::Error for Layer {
            fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
                self.1
                    .map(|layer| layer as &(dyn core::error::Error + 'static))
            }
        }
        static INNER: Layer = Layer("os error 104", None);
        static MIDDLE: Layer = Layer("connection reset", Some(&INNER));
        let error = Layer("request failed", Some(&MIDDLE));
        let failure = ActorFailure::from_error(&error)
            .with_error_type("payments::GatewayError")
            .with_code_location("src/gateway.rs", 88, 17)
            .with_trace(TraceContext {
                trace_id: [0x4b; 16],
                span_id: [0xf0; 8],
                sampled: true,
            })
            .with_backtrace("0: gateway::charge");
        let info = FailureInfo::new(ActorId(9), ActorPath::root().child(ActorId(9)), failure);
        ForwardedFailure {
            node: "node-b".into(),
            incarnation: 1,
            sequence: 1,
            snapshot: info.snapshot().into_owned(),
            system_tags: vec![],
            forward_dropped: 0,
        }
    }

    #[test]
    fn the_crash_report_survives_the_round_trip() {
        let sent = crashed();
        let received = ForwardedFailure::decode(&sent.encode()).expect("decodes");
        let (sent_view, received_view) =
            (sent.snapshot.as_snapshot(), received.snapshot.as_snapshot());
        assert_eq!(CrashReport::of(&received_view), CrashReport::of(&sent_view));
        assert_eq!(received_view.kind(), FailureKind::Error);
        assert_eq!(
            received_view.causes().collect::<Vec<_>>(),
            ["connection reset", "os error 104"]
        );
        assert_eq!(received, sent);
        assert_eq!(received_view.to_string(), sent_view.to_string());
    }

    #[test]
    fn a_crash_report_no_node_could_send_is_refused() {
        let good = WireFailure::decode(&*crashed().encode()).expect("own form decodes");
        let mut kind = good.clone();
        kind.kind = 7;
        assert!(matches!(
            ForwardedFailure::decode(&kind.encode_to_vec()),
            Err(WireError::InvalidCrashReport(reason)) if reason.contains("kind 7")
        ));
        let mut trace = good;
        if let Some(trace) = trace.trace.as_mut() {
            trace.span_id.push(0);
        }
        assert!(matches!(
            ForwardedFailure::decode(&trace.encode_to_vec()),
            Err(WireError::InvalidCrashReport(reason)) if reason.contains("span id of 9 bytes")
        ));
    }

    /// Version 1 as a node of the previous release wrote it: fields 1 to 12 and 14,
    /// with field 13 (the retired running total) still set.
    #[derive(Clone, PartialEq, prost::Message)]
    struct WireFailureV1 {
        #[prost(uint32, tag = "1")]
        version: u32,
        #[prost(string, tag = "2")]
        node: String,
        #[prost(uint64, tag = "5")]
        actor: u64,
        #[prost(string, tag = "8")]
        description: String,
        #[prost(uint64, tag = "13")]
        dropped_total: u64,
        #[prost(uint64, tag = "14")]
        forward_dropped: u64,
    }

    #[test]
    fn a_node_of_the_previous_version_is_refused_never_misread() {
        let old = WireFailureV1 {
            version: 1,
            node: "node-old".into(),
            actor: 3,
            description: "boom".into(),
            dropped_total: 40,
            forward_dropped: 2,
        };
        let refused = ForwardedFailure::decode(&old.encode_to_vec());
        assert_eq!(refused, Err(WireError::UnsupportedVersion { found: 1 }));
        assert_eq!(
            refused.map_err(|error| error.to_string()),
            Err(String::from(
                "forwarded failure of wire version 1, this build reads version 2"
            ))
        );
    }

    #[test]
    fn another_version_is_refused() {
        let mut wire = WireFailure::decode(&*forwarded().encode()).expect("own form decodes");
        wire.version = 3;
        assert_eq!(
            ForwardedFailure::decode(&wire.encode_to_vec()),
            Err(WireError::UnsupportedVersion { found: 3 })
        );
        // no bytes at all: every field at its default, version 0
        assert_eq!(
            ForwardedFailure::decode(&[]),
            Err(WireError::UnsupportedVersion { found: 0 })
        );
    }

    #[test]
    fn content_no_node_could_send_is_refused() {
        let good = WireFailure::decode(&*forwarded().encode()).expect("own form decodes");
        let mut no_node = good.clone();
        no_node.node.clear();
        assert_eq!(
            ForwardedFailure::decode(&no_node.encode_to_vec()),
            Err(WireError::MissingNode)
        );
        let mut hops = good.clone();
        hops.hops = 256;
        assert_eq!(
            ForwardedFailure::decode(&hops.encode_to_vec()),
            Err(WireError::HopsOutOfRange(256))
        );
        let mut repeated = good;
        repeated.tags.push(repeated.tags[0].clone());
        assert!(matches!(
            ForwardedFailure::decode(&repeated.encode_to_vec()),
            Err(WireError::InvalidTags(_))
        ));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bytes in [
            &b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"[..],
            b"\x0a\x05ab",
            b"not protobuf at all",
        ] {
            assert!(ForwardedFailure::decode(bytes).is_err(), "{bytes:?}");
        }
        assert_eq!(Ack::decode(b"\xff\xff"), None);
    }

    #[test]
    fn acks_round_trip() {
        let ack = Ack {
            sequence: 12,
            accepted: true,
        };
        assert_eq!(Ack::decode(&ack.encode()), Some(ack));
    }
}
