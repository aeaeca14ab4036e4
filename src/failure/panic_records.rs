//! Recent panics, as the panic hook recorded them, waiting for the failure made from
//! each (by a guardian or [`ActorFailure::from_panic_payload`](crate::ActorFailure::from_panic_payload)).
//!
//! A process-wide table of at most [`PANIC_RECORD_CAPACITY`] records, oldest first. A
//! runtime catches a handler's panic on the actor's own task and hands its supervisor
//! only the message, on another task and maybe another thread: so a record is found by
//! its message, preferring one made on the asking thread, else the oldest with that
//! message. A record is taken once. When the table is full the oldest record is dropped
//! and counted in [`panic_records_dropped`]: panics that no failure picks up (caught by
//! code that never reports them) leave the table that way.

use alloc::collections::VecDeque;
use alloc::string::String;
use core::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};

use super::TraceContext;
use super::details::bounded_text;

/// How many panic records the process keeps at most; beyond it the oldest is dropped
/// and counted in [`panic_records_dropped`].
pub const PANIC_RECORD_CAPACITY: usize = 64;

/// What the panic hook recorded about one panic, on the thread that panicked.
#[derive(Debug, Clone)]
pub(crate) struct PanicRecord {
    pub(crate) thread: ThreadId,
    /// The panic message (cut as a failure's description is), `None` for a non-string
    /// payload.
    pub(crate) message: Option<String>,
    /// The panic's own location: file, line, column.
    pub(crate) location: Option<(String, u32, u32)>,
    /// The backtrace, when capture is enabled, already bounded.
    pub(crate) backtrace: Option<String>,
    /// The trace context current on the panicking thread.
    pub(crate) trace: Option<TraceContext>,
}

static RECORDS: Mutex<VecDeque<PanicRecord>> = Mutex::new(VecDeque::new());
static DROPPED: AtomicU64 = AtomicU64::new(0);

fn records() -> MutexGuard<'static, VecDeque<PanicRecord>> {
    // Nothing panics while holding the lock; a poisoned table is still consistent.
    RECORDS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Keeps `record`, dropping (and counting) the oldest when the table is full.
pub(crate) fn push_panic_record(record: PanicRecord) {
    let mut records = records();
    while records.len() >= PANIC_RECORD_CAPACITY {
        records.pop_front();
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
    records.push_back(record);
}

/// Takes the record of a panic with `message` (`None`: a non-string payload): the
/// current thread's oldest such record, else the oldest from any thread.
pub(crate) fn take_panic_record(message: Option<&str>) -> Option<PanicRecord> {
    let message = message.map(|text| bounded_text(&text));
    let mut records = records();
    let me = thread::current().id();
    let matches = |record: &PanicRecord| record.message == message;
    let index = records
        .iter()
        .position(|record| record.thread == me && matches(record))
        .or_else(|| records.iter().position(matches))?;
    records.remove(index)
}

/// Panic records dropped because the table was full
/// ([`PANIC_RECORD_CAPACITY`]), since the process started: failures made from those
/// panics have no panic location, backtrace nor trace from the hook.
#[must_use]
pub fn panic_records_dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

/// Panic records waiting for their failure (at most [`PANIC_RECORD_CAPACITY`]).
#[must_use]
pub fn pending_panic_records() -> usize {
    records().len()
}
