//! The crash-report fields of the one-line form, and the insta filters that keep a
//! pinned line or JSON document from churning when code moves.

use core::fmt;

use crate::failure::{CrashParts, FailureKind};
use crate::text::{QuotedList, write_token};

/// [insta](https://insta.rs) filters (regex, replacement) that replace the line and
/// column of a failure's location with `[line]` and `[column]`, in the one-line form
/// (`at=src/worker.rs:[line]:[column]`), in JSON, compact or pretty
/// (`"line": "[line]"`), and in the fields of the `tracing` event and the OpenTelemetry
/// record (`code.line.number=[line]`). The file stays: it does not change when
/// unrelated code moves.
///
/// ```
/// use escalation_telemetry::telemetry::LOCATION_FILTERS;
///
/// // In a test: insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, { ... });
/// assert_eq!(LOCATION_FILTERS.len(), 3);
/// ```
pub const LOCATION_FILTERS: [(&str, &str); 3] = [
    (
        r#"(\bat=(?:"(?:[^"\\]|\\.)*"|[^\s"]+?)):\d+:\d+"#,
        "$1:[line]:[column]",
    ),
    (
        r#"("line":\s*)\d+(,\s*"column":\s*)\d+"#,
        r#"$1"[line]"$2"[column]""#,
    ),
    (
        r"(\bcode\.(line|column)\.number(?:=|[^\n]*?: ))\d+",
        "$1[$2]",
    ),
];

/// Writes the crash-report fields that follow `tags=[..]`, each with its leading space:
/// ` kind=` (panic or error; absent for a message), ` error_type=`, ` at=file:line:col`
/// (panics and errors only), ` causes=[..]`, ` dropped_causes=N`, ` trace=<traceparent>`.
pub(super) fn write_crash_fields(f: &mut fmt::Formatter<'_>, crash: CrashParts<'_>) -> fmt::Result {
    let kind = crash.kind();
    if kind != FailureKind::Message {
        write!(f, " kind={kind}")?;
    }
    if let Some(error_type) = crash.error_type() {
        f.write_str(" error_type=")?;
        write_token(f, error_type)?;
    }
    if kind != FailureKind::Message
        && let Some(at) = crash.code_location()
    {
        f.write_str(" at=")?;
        write_token(f, at.file)?;
        write!(f, ":{}:{}", at.line, at.column)?;
    }
    let causes = crash.causes();
    if causes.len() > 0 {
        write!(f, " causes={}", QuotedList(causes))?;
    }
    let dropped_causes = crash.details.map_or(0, |details| details.dropped_causes);
    if dropped_causes > 0 {
        write!(f, " dropped_causes={dropped_causes}")?;
    }
    if let Some(trace) = crash.trace() {
        write!(f, " trace={trace}")?;
    }
    Ok(())
}
