//! The chained panic hook, as a user installs it: it calls the hook that was there
//! before, a second install does not chain twice, a panic caught on another thread is
//! still picked up, the record table is bounded (oldest dropped and counted), a
//! backtrace is captured only when enabled and bounded, and the trace source's context
//! is recorded where the panic happened.
//!
//! The hook and its table are process-wide: the tests of this binary run one at a time
//! (a lock), and the hook is installed once, over a counting hook, by `setup`.
#![cfg(feature = "std")]

use std::panic::{self, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};
use std::thread;

use escalation_telemetry::MAX_BACKTRACE_BYTES;
use escalation_telemetry::failure::{
    PANIC_RECORD_CAPACITY, TraceSource, capture_backtraces, panic_records_dropped,
    pending_panic_records, set_trace_source,
};
use escalation_telemetry::prelude::*;

/// Calls of the hook that was installed before ours.
static EARLIER_HOOK_CALLS: AtomicUsize = AtomicUsize::new(0);
static SERIAL: Mutex<()> = Mutex::new(());

/// Installs a counting hook, then ours twice (the second call must do nothing); takes
/// the lock that keeps this binary's tests apart.
fn setup() -> MutexGuard<'static, ()> {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        panic::set_hook(Box::new(|info| {
            EARLIER_HOOK_CALLS.fetch_add(1, Ordering::SeqCst);
            eprintln!("{info}");
        }));
        install_panic_hook();
        install_panic_hook();
    });
    let guard = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    drain();
    guard
}

/// Empties the record table: fills it with panics of one message (the oldest records
/// are pushed out), then takes them all.
fn drain() {
    for _ in 0..PANIC_RECORD_CAPACITY {
        let _ = catch_unwind(|| panic!("drain"));
    }
    while pending_panic_records() > 0 {
        let _ = ActorFailure::from_panic_payload(&"drain");
    }
}

fn fixed_trace() -> Option<TraceContext> {
    Some(TraceContext {
        trace_id: [0xab; 16],
        span_id: [0xcd; 8],
        sampled: true,
    })
}

#[test]
fn the_hook_records_the_panics_own_location_and_calls_the_earlier_hook_once() {
    let _serial = setup();
    let before = EARLIER_HOOK_CALLS.load(Ordering::SeqCst);
    let pending = pending_panic_records();
    let panic_line = line!() + 1;
    let payload = catch_unwind(|| panic!("disk full at {}", 7)).expect_err("panics");
    assert_eq!(
        EARLIER_HOOK_CALLS.load(Ordering::SeqCst),
        before + 1,
        "chained once"
    );
    assert_eq!(
        pending_panic_records(),
        pending + 1,
        "recorded once, not twice"
    );

    let made_line = line!() + 1;
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.kind(), FailureKind::Panic);
    assert_eq!(failure.description(), "disk full at 7");
    let at = failure.code_location().expect("the panic's location");
    assert_eq!((at.file, at.line), (file!(), panic_line));
    assert_eq!(
        failure.location().map(|at| at.line()),
        Some(made_line),
        "location() stays the constructor's caller"
    );
    assert_eq!(pending_panic_records(), pending, "a record is taken once");
}

#[test]
fn a_panic_caught_on_another_thread_is_picked_up_by_its_message() {
    let _serial = setup();
    let panic_line = line!() + 1;
    let payload = thread::spawn(|| panic!("worker thread gave up"))
        .join()
        .expect_err("the thread panics");
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.kind(), FailureKind::Panic);
    assert_eq!(failure.code_location().map(|at| at.line), Some(panic_line));

    // Two threads panicking with the same message: the records are told apart only by
    // their order (the oldest is taken first), which is the documented limit.
    let first_line = line!() + 1;
    let _ = thread::spawn(|| panic!("same text")).join();
    let second_line = line!() + 1;
    let _ = thread::spawn(|| panic!("same text")).join();
    let lines: Vec<u32> = (0..2)
        .map(|_| {
            ActorFailure::from_panic_payload(&"same text")
                .code_location()
                .map_or(0, |at| at.line)
        })
        .collect();
    assert_eq!(lines, [first_line, second_line]);
}

#[test]
fn a_non_string_payload_is_matched_too() {
    let _serial = setup();
    let panic_line = line!() + 1;
    let payload = catch_unwind(|| panic::panic_any(42_u32)).expect_err("panics");
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.description(), "panic with a non-string payload");
    assert_eq!(failure.code_location().map(|at| at.line), Some(panic_line));
}

#[test]
fn many_panics_keep_the_newest_records_and_count_the_dropped() {
    let _serial = setup();
    let dropped = panic_records_dropped();
    let extra = 10;
    for index in 0..PANIC_RECORD_CAPACITY + extra {
        let _ = catch_unwind(move || panic!("storm {index}"));
    }
    assert_eq!(pending_panic_records(), PANIC_RECORD_CAPACITY, "bounded");
    assert_eq!(
        panic_records_dropped(),
        dropped + extra as u64,
        "oldest counted"
    );

    // The oldest is gone: its failure knows only the constructor's caller.
    let oldest = ActorFailure::from_panic_payload(&String::from("storm 0"));
    assert_eq!(oldest.kind(), FailureKind::Panic);
    assert_eq!(
        oldest.code_location().map(|at| at.line),
        oldest.location().map(|at| at.line())
    );
    // The newest is there.
    let newest = format!("storm {}", PANIC_RECORD_CAPACITY + extra - 1);
    let newest = ActorFailure::from_panic_payload(&newest);
    assert_ne!(
        newest.code_location().map(|at| at.line),
        newest.location().map(|at| at.line())
    );
}

#[test]
fn a_backtrace_is_captured_only_when_enabled_and_is_bounded() {
    let _serial = setup();
    let payload = catch_unwind(|| panic!("no backtrace")).expect_err("panics");
    assert_eq!(
        ActorFailure::from_panic_payload(&*payload).backtrace(),
        None
    );

    capture_backtraces(true);
    let payload = catch_unwind(|| panic!("with backtrace")).expect_err("panics");
    capture_backtraces(false);
    let failure = ActorFailure::from_panic_payload(&*payload);
    let backtrace = failure.backtrace().expect("captured when enabled");
    assert!(!backtrace.is_empty());
    assert!(
        backtrace.len() <= MAX_BACKTRACE_BYTES,
        "{}",
        backtrace.len()
    );

    // A deep stack still gives a bounded backtrace.
    fn deep(depth: u32) {
        if depth == 0 {
            panic!("deep");
        }
        deep(depth - 1);
    }
    capture_backtraces(true);
    let payload = catch_unwind(|| deep(400)).expect_err("panics");
    capture_backtraces(false);
    let failure = ActorFailure::from_panic_payload(&*payload);
    let backtrace = failure.backtrace().expect("captured when enabled");
    assert!(
        backtrace.len() <= MAX_BACKTRACE_BYTES,
        "{}",
        backtrace.len()
    );
    assert!(backtrace.ends_with("[backtrace cut]"), "marked as cut");
}

#[test]
fn the_trace_where_the_panic_happened_is_recorded() {
    let _serial = setup();
    let before: Option<TraceSource> = set_trace_source(Some(fixed_trace));
    let payload = catch_unwind(|| panic!("traced")).expect_err("panics");
    set_trace_source(before);
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.trace(), fixed_trace());

    // No source, no trace.
    let payload = catch_unwind(|| panic!("untraced")).expect_err("panics");
    assert_eq!(ActorFailure::from_panic_payload(&*payload).trace(), None);
}

#[test]
fn a_long_message_is_matched_by_its_bounded_form() {
    let _serial = setup();
    let long = "x".repeat(4 * 1024);
    let panic_line = line!() + 1;
    let payload = catch_unwind(|| panic!("{}", "x".repeat(4 * 1024))).expect_err("panics");
    let failure = ActorFailure::from_panic_payload(&*payload);
    assert_eq!(failure.description(), long, "the description is whole");
    assert_eq!(failure.code_location().map(|at| at.line), Some(panic_line));
}
