//! The fixed-window algorithm, on one 64-bit word so that a compare-and-swap updates
//! it: the window's number in the high bits, the hook calls admitted in it in the low
//! bits. The clock is injected (the caller passes `now`), as `governor` does.

use core::time::Duration;

use super::policy::MAX_STORM_BURST;

/// Bits of the admitted count: enough for [`MAX_STORM_BURST`].
const COUNT_BITS: u32 = u32::BITS - MAX_STORM_BURST.leading_zeros();
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;
/// Window numbers wrap at `2^WINDOW_BITS`.
const WINDOW_BITS: u32 = u64::BITS - COUNT_BITS;
const WINDOW_MASK: u64 = (1 << WINDOW_BITS) - 1;
/// How many windows behind the stored one a reading may be and still count as "late":
/// a thread that read the clock just before another thread opened the next window
/// counts against that newer window, so no window admits more than `burst`. A reading
/// further behind than this can only be a window number that wrapped: it opens a new
/// window.
const LATE_WINDOWS: u64 = 1 << 20;

/// Fixed windows aligned on the clock's origin, at most `burst` admissions each.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FixedWindow {
    window_nanos: u64,
    burst: u64,
}

impl FixedWindow {
    /// `window` is at least 1 ns and `burst` at most [`MAX_STORM_BURST`] (the policy
    /// guarantees both).
    pub(crate) fn new(burst: u32, window: Duration) -> Self {
        Self {
            window_nanos: u64::try_from(window.as_nanos()).unwrap_or(u64::MAX).max(1),
            burst: u64::from(burst.min(MAX_STORM_BURST)),
        }
    }

    /// The state after admitting one more failure at `now`, or `None` when the window
    /// of `now` has admitted `burst` already (the failure is suppressed).
    #[inline]
    pub(crate) fn admit(&self, state: u64, now: Duration) -> Option<u64> {
        // u64 nanoseconds cover 584 years from the clock's origin.
        let now_nanos = now
            .as_secs()
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(now.subsec_nanos()));
        let stored_window = state >> COUNT_BITS;
        let admitted = state & COUNT_MASK;
        // Most failures fall in the stored window: tell that by a multiplication and a
        // comparison, and divide (tens of cycles) only when the window may have changed.
        let in_stored = stored_window
            .checked_mul(self.window_nanos)
            .is_some_and(|start| now_nanos >= start && now_nanos - start < self.window_nanos);
        let now_window = if in_stored {
            stored_window
        } else {
            (now_nanos / self.window_nanos) & WINDOW_MASK
        };
        let behind = stored_window.wrapping_sub(now_window) & WINDOW_MASK;
        if now_window == stored_window || behind <= LATE_WINDOWS {
            // The stored window (current, or newer than a late reading).
            (admitted < self.burst).then_some(state + 1)
        } else {
            (self.burst > 0).then_some((now_window << COUNT_BITS) | 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(window: &FixedWindow, state: &mut u64, at: Duration) -> bool {
        match window.admit(*state, at) {
            Some(next) => {
                *state = next;
                true
            }
            None => false,
        }
    }

    #[test]
    fn each_window_admits_burst_then_refuses() {
        let window = FixedWindow::new(3, Duration::from_secs(1));
        let mut state = 0;
        let first: usize = (0..10)
            .filter(|_| run(&window, &mut state, Duration::from_millis(500)))
            .count();
        let second: usize = (0..10)
            .filter(|_| run(&window, &mut state, Duration::from_millis(1500)))
            .count();
        let far: usize = (0..10)
            .filter(|_| run(&window, &mut state, Duration::from_secs(86_400 * 365)))
            .count();
        assert_eq!((first, second, far), (3, 3, 3));
    }

    #[test]
    fn a_late_reading_counts_against_the_newer_window() {
        let window = FixedWindow::new(2, Duration::from_secs(1));
        let mut state = 0;
        assert!(run(&window, &mut state, Duration::from_secs(5)));
        assert!(run(&window, &mut state, Duration::from_secs(4)));
        assert!(!run(&window, &mut state, Duration::from_secs(4)));
        assert!(!run(&window, &mut state, Duration::from_secs(5)));
    }

    #[test]
    fn window_numbers_keep_forty_bits_before_they_wrap() {
        // 2^24 windows later is a new window, not the same one wrapped around: the
        // count takes 24 bits of the state word, the window number the other 40.
        let window = FixedWindow::new(1, Duration::from_secs(1));
        let mut state = 0;
        assert!(run(&window, &mut state, Duration::from_secs(5)));
        assert!(!run(&window, &mut state, Duration::from_secs(5)));
        assert!(run(&window, &mut state, Duration::from_secs((1 << 24) + 5)));
        assert_eq!(state >> COUNT_BITS, (1 << 24) + 5);
        assert_eq!((COUNT_BITS, WINDOW_BITS), (24, 40));
    }

    #[test]
    fn a_reading_far_after_a_stored_window_does_not_panic() {
        let window = FixedWindow::new(2, Duration::from_secs(1));
        let mut state = 0;
        assert!(run(&window, &mut state, Duration::from_secs(5)));
        assert!(run(&window, &mut state, Duration::MAX));
        assert!(run(&window, &mut state, Duration::MAX));
        assert!(!run(&window, &mut state, Duration::MAX));
    }

    #[test]
    fn burst_zero_admits_nothing_and_extremes_do_not_panic() {
        let mute = FixedWindow::new(0, Duration::from_secs(1));
        assert_eq!(mute.admit(0, Duration::from_secs(3)), None);
        let tiny = FixedWindow::new(MAX_STORM_BURST, Duration::from_nanos(1));
        assert!(tiny.admit(0, Duration::MAX).is_some());
        let huge = FixedWindow::new(1, Duration::MAX);
        assert!(huge.admit(0, Duration::MAX).is_some());
    }
}
