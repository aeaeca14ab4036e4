//! Running a user callback so that its panic does not escape (with `std`).

/// Runs `f`; with `std`, a panic is caught and reported as `Err(())`. Without `std`
/// there is no unwinding to catch and `f` runs as is.
#[inline]
pub(crate) fn run_guarded<R>(f: impl FnOnce() -> R) -> Result<R, ()> {
    #[cfg(feature = "std")]
    {
        // The callbacks only borrow the failure and shared, internally synchronised
        // handles; a panic leaves nothing half-updated that a later call would read.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(drop)
    }
    #[cfg(not(feature = "std"))]
    {
        Ok(f())
    }
}
