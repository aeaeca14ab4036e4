//! `defmt::Format` for the crash-report parts of a failure, and their place in the
//! snapshot's form (the same fields, in the same order and on the same conditions, as
//! the one-line `Display` form; no backtrace on a device).

use ::defmt::{Format, Formatter, write};

use crate::failure::{CodeLocation, FailureKind, TraceContext};
use crate::telemetry::FailureSnapshot;

/// `panic`, `error` or `message`.
impl Format for FailureKind {
    fn format(&self, f: Formatter<'_>) {
        match self {
            Self::Panic => write!(f, "panic"),
            Self::Error => write!(f, "error"),
            Self::Message => write!(f, "message"),
        }
    }
}

/// `file:line:column`.
impl Format for CodeLocation<'_> {
    fn format(&self, f: Formatter<'_>) {
        write!(f, "{=str}:{=u32}:{=u32}", self.file, self.line, self.column);
    }
}

/// `trace_id=.. span_id=.. sampled=true`: the ids as byte arrays in hex (16 and 8
/// bytes on the wire, no length).
impl Format for TraceContext {
    fn format(&self, f: Formatter<'_>) {
        write!(
            f,
            "trace_id={=[u8; 16]:x} span_id={=[u8; 8]:x} sampled={=bool}",
            self.trace_id, self.span_id, self.sampled
        );
    }
}

/// After the tags: ` kind=` (panics and errors), ` error_type=`, ` at=` (panics and
/// errors), ` causes=[..]`, ` dropped_causes=`, ` trace=(..)`, each only when known.
pub(super) fn format_crash_fields(snapshot: &FailureSnapshot<'_>, f: Formatter<'_>) {
    let kind = snapshot.kind();
    if kind != FailureKind::Message {
        write!(f, " kind={}", kind);
    }
    if let Some(error_type) = snapshot.error_type() {
        write!(f, " error_type={=str}", error_type);
    }
    if kind != FailureKind::Message
        && let Some(at) = snapshot.code_location()
    {
        write!(f, " at={}", at);
    }
    let causes = snapshot.causes();
    if causes.len() > 0 {
        write!(f, " causes=[");
        for (index, cause) in causes.enumerate() {
            if index > 0 {
                write!(f, " ");
            }
            write!(f, "{=str}", cause);
        }
        write!(f, "]");
    }
    if snapshot.dropped_causes() > 0 {
        write!(f, " dropped_causes={=u32}", snapshot.dropped_causes());
    }
    if let Some(trace) = snapshot.trace() {
        write!(f, " trace=({})", trace);
    }
}
