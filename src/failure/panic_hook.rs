//! The chained panic hook: it records, for the thread that panics, the panic's own
//! location, a backtrace when enabled and the current trace context, then calls the
//! hook that was installed before it.

use alloc::boxed::Box;
use alloc::string::ToString;
use core::sync::atomic::{AtomicBool, Ordering};
use std::backtrace::Backtrace;
use std::panic::{self, PanicHookInfo};
use std::thread;

use super::details::{bounded_backtrace, bounded_text};
use super::panic_records::{PanicRecord, push_panic_record};
use super::trace_source::current_trace;

static INSTALLED: AtomicBool = AtomicBool::new(false);
static BACKTRACES: AtomicBool = AtomicBool::new(false);

/// Installs the crate's panic hook, chained: on a panic it records the panic's
/// message, its own location (`file:line:column`), a backtrace when
/// [`capture_backtraces`] is on, and the trace context of the registered
/// [`TraceSource`](crate::failure::TraceSource), for the panicking thread; then it calls
/// the hook that was installed before (the standard one prints the panic as usual).
///
/// The ractor and kameo guardians and
/// [`ActorFailure::from_panic_payload`](crate::ActorFailure::from_panic_payload) pick
/// the record up: the failure gets kind [`Panic`](crate::FailureKind::Panic), the
/// panic's location as its [`code_location`](crate::ActorFailure::code_location), the
/// backtrace and the trace.
///
/// Idempotent: a second call does nothing (the hook is never chained to itself). Called
/// while the thread is panicking it does nothing and a later call installs it. Limits
/// (see `docs/crash-reports.md`): records are kept in a table of
/// [`PANIC_RECORD_CAPACITY`](crate::failure::PANIC_RECORD_CAPACITY), oldest dropped and
/// counted; a hook set later by someone else without chaining replaces this one (and a
/// second call cannot tell); with `panic = "abort"` nothing is caught and there is no
/// failure to report.
///
/// ```
/// use escalation_telemetry::prelude::*;
///
/// install_panic_hook();
/// let payload = std::panic::catch_unwind(|| panic!("disk full")).unwrap_err();
/// let failure = ActorFailure::from_panic_payload(&*payload);
/// assert_eq!(failure.kind(), FailureKind::Panic);
/// assert_eq!(failure.code_location().map(|at| at.line), Some(line!() - 3));
/// ```
pub fn install_panic_hook() {
    if thread::panicking() || INSTALLED.swap(true, Ordering::AcqRel) {
        return;
    }
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        record(info);
        previous(info);
    }));
}

/// Turns backtrace capture in the panic hook on or off for the whole process (off by
/// default). A captured backtrace is cut to
/// [`MAX_BACKTRACE_BYTES`](crate::MAX_BACKTRACE_BYTES). It is captured when the panic
/// happens, whatever `RUST_BACKTRACE` says, never on the root path.
pub fn capture_backtraces(enabled: bool) {
    BACKTRACES.store(enabled, Ordering::Relaxed);
}

/// Whether the panic hook captures backtraces (see [`capture_backtraces`]).
#[must_use]
pub fn backtraces_captured() -> bool {
    BACKTRACES.load(Ordering::Relaxed)
}

fn record(info: &PanicHookInfo<'_>) {
    // `PanicHookInfo::payload_as_str` needs Rust 1.91; the crate supports 1.88.
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| {
            payload
                .downcast_ref::<alloc::string::String>()
                .map(|text| text.as_str())
        })
        .map(|text| bounded_text(&text));
    let location = info
        .location()
        .map(|at| (bounded_text(&at.file()), at.line(), at.column()));
    let backtrace =
        backtraces_captured().then(|| bounded_backtrace(Backtrace::force_capture().to_string()));
    push_panic_record(PanicRecord {
        thread: thread::current().id(),
        message,
        location,
        backtrace,
        trace: current_trace(),
    });
}
