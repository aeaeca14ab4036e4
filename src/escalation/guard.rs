//! Running a user callback so that its panic does not escape (with `std`).

/// Runs `f`; with `std`, a panic is caught and reported as `Err(())`. Without `std`
/// there is no unwinding to catch and `f` runs as is.
#[inline]
pub(crate) fn run_guarded<R>(f: impl FnOnce() -> R) -> Result<R, ()> {
    #[cfg(feature = "std")]
    {
        // The callbacks only borrow the failure and shared, internally synchronised
        // handles; a panic leaves nothing half-updated that a later call would read.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(drop_payload)
    }
    #[cfg(not(feature = "std"))]
    {
        Ok(f())
    }
}

/// Drops a caught panic payload. The payload is the callback's own value and its `Drop`
/// may panic too; that panic is caught here as well (and its payload, if dropping it
/// panics yet again, is leaked) so that it cannot escape the guard.
#[cfg(feature = "std")]
#[cold]
fn drop_payload(payload: std::boxed::Box<dyn core::any::Any + Send>) {
    if let Err(again) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        drop(payload);
    })) {
        core::mem::forget(again);
    }
}
