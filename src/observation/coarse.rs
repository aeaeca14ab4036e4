//! The OS's coarse monotonic clock: a few nanoseconds a reading, milliseconds of
//! resolution. On Linux `CLOCK_MONOTONIC_COARSE` (read through the vDSO by `rustix`, no
//! system call); elsewhere none, and [`FastClock`](crate::FastClock) uses its exact
//! reading instead.

use core::time::Duration;

/// `CLOCK_MONOTONIC_COARSE` now, since boot; `None` where there is no coarse clock.
#[cfg(target_os = "linux")]
#[inline]
pub(crate) fn now() -> Option<Duration> {
    Some(to_duration(rustix::time::clock_gettime(
        rustix::time::ClockId::MonotonicCoarse,
    )))
}

/// How far a coarse reading may lag the exact time: the kernel's tick (1 to 10 ms).
#[cfg(target_os = "linux")]
pub(crate) fn resolution() -> Option<Duration> {
    Some(to_duration(rustix::time::clock_getres(
        rustix::time::ClockId::MonotonicCoarse,
    )))
}

/// A timespec as a duration; a negative part (never returned for this clock) reads as 0.
#[cfg(target_os = "linux")]
#[inline]
fn to_duration(time: rustix::time::Timespec) -> Duration {
    let secs = u64::try_from(time.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(time.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos)
}

/// No coarse clock on this OS.
#[cfg(not(target_os = "linux"))]
#[inline]
pub(crate) fn now() -> Option<Duration> {
    None
}

/// No coarse clock on this OS.
#[cfg(not(target_os = "linux"))]
pub(crate) fn resolution() -> Option<Duration> {
    None
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn coarse_readings_never_go_back_and_the_resolution_is_milliseconds_at_most() {
        let resolution = resolution().expect("Linux has a coarse clock");
        assert!(resolution > Duration::ZERO && resolution <= Duration::from_millis(100));
        let mut last = now().expect("Linux has a coarse clock");
        for _ in 0..1000 {
            let next = now().expect("Linux has a coarse clock");
            assert!(next >= last);
            last = next;
        }
    }
}
