//! The crash report of a failure in a Sentry event: the exception chain with its
//! frames, and the trace context.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use ::sentry::protocol::{Context, Exception, Frame, Stacktrace, TraceContext, Values};

use crate::failure::CodeLocation;
use crate::telemetry::FailureSnapshot;

/// The `type` of an exception that stands for a cause of the failure: the `source()`
/// chain keeps each cause's text, not its Rust type.
pub const CAUSE_EXCEPTION_TYPE: &str = "cause";

/// The event's exceptions, innermost cause first and the failure itself last (Sentry's
/// order): the failure's `type` is its error type, else its kind (`panic`, `error`,
/// `message`); its `value` the description; its frames the backtrace's when one was
/// captured, then the failure's code location as the innermost frame.
pub(super) fn exceptions(snapshot: &FailureSnapshot<'_>) -> Values<Exception> {
    let mut values: Vec<Exception> = snapshot
        .causes()
        .map(|cause| Exception {
            ty: String::from(CAUSE_EXCEPTION_TYPE),
            value: Some(cause.to_string()),
            ..Exception::default()
        })
        .collect();
    values.reverse();
    let failure = Exception {
        ty: snapshot
            .error_type()
            .unwrap_or(snapshot.kind().as_str())
            .to_string(),
        value: Some(snapshot.description().to_string()),
        stacktrace: stacktrace(snapshot),
        ..Exception::default()
    };
    values.push(failure);
    Values { values }
}

/// `contexts.trace`: the trace and span the failure belongs to, when known.
pub(super) fn trace_context(snapshot: &FailureSnapshot<'_>) -> Option<Context> {
    let trace = snapshot.trace()?;
    Some(Context::Trace(Box::new(TraceContext {
        trace_id: trace.trace_id.into(),
        span_id: trace.span_id.into(),
        ..TraceContext::default()
    })))
}

/// Sentry's frames, outermost first: the backtrace's (std's `Display` form, innermost
/// first, reversed), then the code location unless the backtrace already ends there.
fn stacktrace(snapshot: &FailureSnapshot<'_>) -> Option<Stacktrace> {
    let mut frames = snapshot
        .backtrace()
        .map(backtrace_frames)
        .unwrap_or_default();
    if let Some(at) = snapshot.code_location() {
        let frame = location_frame(at);
        let same = frames
            .last()
            .is_some_and(|last| last.filename == frame.filename && last.lineno == frame.lineno);
        if !same {
            frames.push(frame);
        }
    }
    (!frames.is_empty()).then(|| Stacktrace {
        frames,
        ..Stacktrace::default()
    })
}

fn location_frame(at: CodeLocation<'_>) -> Frame {
    Frame {
        filename: Some(at.file.to_string()),
        lineno: Some(u64::from(at.line)),
        colno: Some(u64::from(at.column)),
        ..Frame::default()
    }
}

/// The frames of a backtrace in `std::backtrace::Backtrace`'s `Display` form
/// (`  0: function` then `at file:line:column`), outermost first. Lines in any other
/// form are skipped.
fn backtrace_frames(backtrace: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    for line in backtrace.lines().map(str::trim) {
        if let Some(place) = line.strip_prefix("at ") {
            if let Some(frame) = frames.last_mut()
                && frame.filename.is_none()
            {
                let mut parts = place.rsplitn(3, ':');
                let column = parts.next().and_then(|text| text.parse().ok());
                let line = parts.next().and_then(|text| text.parse().ok());
                match (parts.next(), line, column) {
                    (Some(file), Some(line), Some(column)) => {
                        frame.filename = Some(file.to_string());
                        frame.lineno = Some(line);
                        frame.colno = Some(column);
                    }
                    _ => frame.filename = Some(place.to_string()),
                }
            }
        } else if let Some((index, function)) = line.split_once(": ")
            && !index.is_empty()
            && index.bytes().all(|byte| byte.is_ascii_digit())
        {
            frames.push(Frame {
                function: Some(function.to_string()),
                ..Frame::default()
            });
        }
    }
    frames.reverse();
    frames
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame as the test compares it: function, file, line, column.
    type Shown<'a> = (Option<&'a str>, Option<&'a str>, Option<u64>, Option<u64>);

    #[test]
    fn std_backtrace_text_becomes_frames_outermost_first() {
        let text = "   0: app::worker::handle\n             at ./src/worker.rs:42:9\n   1: app::main\n             at ./src/main.rs:7:5\n   2: std::rt::lang_start\nnote: Some details are omitted";
        let frames = backtrace_frames(text);
        let shown: Vec<Shown<'_>> = frames
            .iter()
            .map(|frame| {
                (
                    frame.function.as_deref(),
                    frame.filename.as_deref(),
                    frame.lineno,
                    frame.colno,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (Some("std::rt::lang_start"), None, None, None),
                (Some("app::main"), Some("./src/main.rs"), Some(7), Some(5)),
                (
                    Some("app::worker::handle"),
                    Some("./src/worker.rs"),
                    Some(42),
                    Some(9)
                ),
            ]
        );
    }
}
