//! `FastClock`: the standard runtime's clock, the CPU's counter calibrated once per
//! process.

use core::time::Duration;
use std::sync::OnceLock;

use super::{MonotonicClock, coarse};

/// The fastest reliable monotonic clock of the machine, [`StdRuntime`](crate::StdRuntime)'s
/// clock: the CPU's time-stamp counter (x86-64 with an invariant TSC, or aarch64's
/// system counter), scaled to nanoseconds by a calibration against the OS's monotonic
/// clock, through [`quanta`](https://docs.rs/quanta) (the clock of the `metrics`
/// ecosystem). Where the counter is missing or not reliable it reads the OS clock, as
/// [`StdClock`](crate::StdClock) does. Readings are the time since the clock was made.
///
/// - **Cost**: a reading is the counter plus a multiply and a shift: about 9 ns here
///   against 20 ns for `Instant::now()` (`docs/performance.md`).
/// - **Calibration** runs once per process, in the first `FastClock::new()` (up to
///   200 ms, usually a few ms), and is shared by every later clock. A runtime makes its
///   clock in [`finalize`](crate::ActorSystemConfig::finalize), so the root path never
///   calibrates; call [`FastClock::calibrate`] at start-up to choose the moment yourself.
/// - **Coarse readings** ([`now_coarse`](MonotonicClock::now_coarse)), for storm
///   windows: `CLOCK_MONOTONIC_COARSE` on Linux (about 3 ns, at the kernel tick's
///   resolution, 1 to 10 ms, see [`coarse_resolution`](MonotonicClock::coarse_resolution)),
///   the exact reading elsewhere.
///
/// ```
/// use std::time::{Duration, Instant};
/// use escalation_telemetry::prelude::*;
///
/// FastClock::calibrate();
/// let clock = FastClock::new();
/// let (start, instant) = (clock.now(), Instant::now());
/// let elapsed = clock.now() - start;
/// assert!(elapsed <= instant.elapsed() + Duration::from_millis(1));
/// ```
#[derive(Debug, Clone)]
pub struct FastClock {
    clock: quanta::Clock,
    origin: quanta::Instant,
    coarse_resolution: Option<Duration>,
}

impl FastClock {
    /// A clock whose origin is now. The first call in a process calibrates the counter
    /// (see the type's docs); later calls copy that calibration.
    #[must_use]
    pub fn new() -> Self {
        let clock = calibrated().clone();
        // The first coarse reading looks the vDSO up: here, not in the first `handle`.
        let _ = coarse::now();
        Self {
            origin: clock.now(),
            clock,
            coarse_resolution: coarse::resolution(),
        }
    }

    /// Calibrates the counter now, if no clock of this process did yet: the first
    /// [`new`](Self::new) then costs nothing more than the others.
    pub fn calibrate() {
        let _ = calibrated();
    }
}

/// The process's calibrated clock, made on first use.
fn calibrated() -> &'static quanta::Clock {
    static CLOCK: OnceLock<quanta::Clock> = OnceLock::new();
    CLOCK.get_or_init(quanta::Clock::new)
}

impl Default for FastClock {
    fn default() -> Self {
        Self::new()
    }
}

impl MonotonicClock for FastClock {
    #[inline]
    fn now(&self) -> Duration {
        self.clock.now().saturating_duration_since(self.origin)
    }

    #[inline]
    fn now_coarse(&self) -> Duration {
        match self.coarse_resolution {
            Some(_) => coarse::now().unwrap_or_else(|| self.now()),
            None => self.now(),
        }
    }

    #[inline]
    fn coarse_resolution(&self) -> Duration {
        self.coarse_resolution.unwrap_or(Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;
    use std::vec::Vec;

    /// The counter's scale is right: a known sleep measures the same as `Instant`, within
    /// a tolerance generous enough for a loaded machine. The two readings of each pair
    /// are taken back to back, so only a preemption between them widens the gap; a
    /// wrong scale would miss on every attempt, a preemption spoils one.
    #[test]
    fn a_known_sleep_measures_the_same_as_instant() {
        let clock = FastClock::new();
        let mut attempts = Vec::new();
        for _ in 0..5 {
            let (fast_start, instant_start) = (clock.now(), Instant::now());
            std::thread::sleep(Duration::from_millis(50));
            let (fast_end, instant_end) = (clock.now(), Instant::now());
            let (fast, instant) = (fast_end - fast_start, instant_end - instant_start);
            let gap = fast.abs_diff(instant);
            if fast >= Duration::from_millis(50) && gap <= instant / 10 + Duration::from_millis(2) {
                return;
            }
            attempts.push((fast, instant));
        }
        panic!("FastClock and Instant disagree on every attempt: {attempts:?}");
    }

    #[test]
    fn readings_never_go_back_across_clones_and_threads() {
        let clock = FastClock::new();
        let first = clock.now();
        let other = clock.clone();
        let later = std::thread::spawn(move || other.now())
            .join()
            .expect("the reading thread does not panic");
        assert!(later >= first);
        assert!(clock.now() >= later);
    }

    #[test]
    fn the_coarse_clock_advances_within_a_few_of_its_ticks() {
        let clock = FastClock::new();
        let resolution = MonotonicClock::coarse_resolution(&clock);
        let a = clock.now_coarse();
        std::thread::sleep(resolution * 3 + Duration::from_millis(1));
        let b = clock.now_coarse();
        assert!(b > a, "the coarse clock advanced over three of its ticks");
    }
}
