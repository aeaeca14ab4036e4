//! The crash-report fields of the serialized form (feature `serde`), written and read
//! back: see [`FailureSnapshot`]'s "serialized form" section.

use alloc::string::String;
use alloc::string::ToString;
use alloc::vec::Vec;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::CrashReport;
use super::FailureSnapshot;
use crate::failure::{CodeLocation, FailureKind, OwnedCrashParts, TraceContext};
use crate::text::Hex;

/// The number of crash-report fields [`write_fields`] adds.
pub(super) const FIELD_COUNT: usize = 9;

/// Adds `kind`, `error_type`, `location`, `causes`, `dropped_causes`, `trace_id`,
/// `span_id`, `trace_flags`, `backtrace` to a struct being serialized.
pub(super) fn write_fields<S: SerializeStruct>(
    out: &mut S,
    snapshot: &FailureSnapshot<'_>,
) -> Result<(), S::Error> {
    let trace = snapshot.trace();
    out.serialize_field("kind", snapshot.kind().as_str())?;
    out.serialize_field("error_type", &snapshot.error_type())?;
    out.serialize_field(
        "location",
        &snapshot.code_location().map(LocationForm::from),
    )?;
    out.serialize_field("causes", &Causes(snapshot))?;
    out.serialize_field("dropped_causes", &snapshot.dropped_causes())?;
    out.serialize_field("trace_id", &trace.map(|t| Hex(&t.trace_id).to_string()))?;
    out.serialize_field("span_id", &trace.map(|t| Hex(&t.span_id).to_string()))?;
    out.serialize_field(
        "trace_flags",
        &trace.map(|t| if t.sampled { "01" } else { "00" }),
    )?;
    out.serialize_field("backtrace", &snapshot.backtrace())
}

/// The causes as one sequence, without collecting them.
struct Causes<'s, 'a>(&'s FailureSnapshot<'a>);

impl Serialize for Causes<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.causes())
    }
}

/// A location as `{"file", "line", "column"}`, written.
#[derive(serde::Serialize)]
struct LocationForm<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

impl<'a> From<CodeLocation<'a>> for LocationForm<'a> {
    fn from(at: CodeLocation<'a>) -> Self {
        Self {
            file: at.file,
            line: at.line,
            column: at.column,
        }
    }
}

/// A location as `{"file", "line", "column"}`, read back.
#[derive(serde::Deserialize)]
pub(super) struct LocationRead {
    file: String,
    line: u32,
    column: u32,
}

/// The crash-report fields as read back; every one may be missing (a producer older
/// than them).
pub(super) struct CrashForm {
    pub(super) kind: Option<String>,
    pub(super) error_type: Option<String>,
    pub(super) location: Option<LocationRead>,
    pub(super) causes: Vec<String>,
    pub(super) dropped_causes: u32,
    pub(super) trace_id: Option<String>,
    pub(super) span_id: Option<String>,
    pub(super) trace_flags: Option<String>,
    pub(super) backtrace: Option<String>,
}

impl CrashForm {
    /// The failure's parts, or what is wrong with them.
    pub(super) fn into_parts(self) -> Result<OwnedCrashParts, String> {
        let kind = match self.kind.as_deref() {
            None | Some("message") => FailureKind::Message,
            Some("panic") => FailureKind::Panic,
            Some("error") => FailureKind::Error,
            Some(other) => {
                return Err(alloc::format!(
                    "unknown failure kind {}: expected \"panic\", \"error\" or \"message\"",
                    crate::text::Excerpt(other)
                ));
            }
        };
        let trace = match (self.trace_id, self.span_id, self.trace_flags) {
            (None, None, None) => None,
            (Some(trace_id), Some(span_id), flags) => Some(TraceContext {
                trace_id: parse_hex(&trace_id, "trace_id")?,
                span_id: parse_hex(&span_id, "span_id")?,
                sampled: match flags.as_deref() {
                    None => false,
                    Some(flags) => parse_hex::<1>(flags, "trace_flags")?[0] & 1 == 1,
                },
            }),
            _ => return Err(String::from("trace_id and span_id go together")),
        };
        Ok(CrashReport {
            kind,
            error_type: self.error_type,
            location: self.location.map(|at| (at.file, at.line, at.column)),
            causes: self.causes,
            dropped_causes: self.dropped_causes,
            trace,
            backtrace: self.backtrace,
        }
        .into_parts())
    }
}

/// `N` bytes from `2 * N` hex digits.
fn parse_hex<const N: usize>(text: &str, field: &str) -> Result<[u8; N], String> {
    let digits = text.as_bytes();
    let mut bytes = [0; N];
    let valid = digits.len() == 2 * N
        && bytes.iter_mut().zip(digits.chunks(2)).all(|(byte, pair)| {
            let high = (pair[0] as char).to_digit(16);
            let low = (pair[1] as char).to_digit(16);
            match (high, low) {
                (Some(high), Some(low)) => {
                    *byte = u8::try_from(high * 16 + low).unwrap_or_default();
                    true
                }
                _ => false,
            }
        });
    if valid {
        Ok(bytes)
    } else {
        Err(alloc::format!(
            "{field} must be {} hex digits, got {}",
            2 * N,
            crate::text::Excerpt(text)
        ))
    }
}
