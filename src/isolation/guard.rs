//! Running a user callback so that its panic does not escape (with `std`).

/// `true` when a panic in user code on the root path is caught: with the `std` feature
/// and a profile that unwinds (`panic = "unwind"`, Rust's default).
///
/// With `panic = "abort"` (a common release setting) nothing can be caught: a panicking
/// hook, handler, listener, metrics sink, clock or builder ends the process, whatever
/// the `std` feature. Without `std` a panic goes to the target's `#[panic_handler]`.
/// Check this constant at start-up (or in a test) if your deployment relies on the
/// root guardian surviving user code.
///
/// ```
/// // The tests of this crate run with `std` and the default `panic = "unwind"`.
/// assert!(escalation_telemetry::PANIC_ISOLATION);
/// ```
pub const PANIC_ISOLATION: bool = cfg!(all(feature = "std", panic = "unwind"));

/// A panic caught by [`run_guarded`]; its payload is already dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caught {
    /// The panic's payload had to be leaked: dropping it panicked, and dropping that
    /// second panic's payload panicked again.
    pub(crate) leaked_payload: bool,
}

impl Caught {
    /// `true` when the panic's payload had to be leaked (dropping it panicked twice).
    #[must_use]
    pub fn leaked_payload(&self) -> bool {
        self.leaked_payload
    }
}

/// Runs `f`; with `std`, a panic is caught and reported as `Err`. Without `std` there is
/// no unwinding to catch and `f` runs as is. The guard the root path runs every piece of
/// user code under, for integrations whose hooks call user code of their own (a metrics
/// sink, say) and must not let its panic escape.
///
/// ```
/// use escalation_telemetry::isolation::run_guarded;
///
/// assert_eq!(run_guarded(|| 2 + 2), Ok(4));
/// # #[cfg(feature = "std")]
/// assert!(run_guarded(|| -> u8 { panic!("user code") }).is_err());
/// ```
#[inline]
pub fn run_guarded<R>(f: impl FnOnce() -> R) -> Result<R, Caught> {
    #[cfg(feature = "std")]
    {
        // The callbacks only borrow the failure and shared, internally synchronised
        // handles; a panic leaves nothing half-updated that a later call would read.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| Caught {
            leaked_payload: !drop_payload(payload),
        })
    }
    #[cfg(not(feature = "std"))]
    {
        Ok(f())
    }
}

/// Drops a caught panic payload; `false` when it had to be leaked.
///
/// The payload is the callback's own value and its `Drop` may panic. That second panic
/// is caught here, and its payload dropped under a guard of its own (it is usually a
/// plain message). Only when that drop panics yet again is the third payload leaked:
/// dropping it could panic forever, and a leak (counted by the caller) is better than
/// a panic escaping the guard.
#[cfg(feature = "std")]
#[cold]
fn drop_payload(payload: std::boxed::Box<dyn core::any::Any + Send>) -> bool {
    let catch = |payload: std::boxed::Box<dyn core::any::Any + Send>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(payload)))
    };
    let Err(second) = catch(payload) else {
        return true;
    };
    let Err(third) = catch(second) else {
        return true;
    };
    core::mem::forget(third);
    false
}
