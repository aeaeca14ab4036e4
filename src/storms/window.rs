//! The fixed-window algorithm. A signature's window and the hook calls admitted in it
//! share one 64-bit word, so that a compare-and-swap updates them together: the low
//! bits of the window's number in the high bits of the word, the admitted count in its
//! low bits. The window's full 64-bit number is kept beside it, in a word that only
//! grows (see [`FixedWindow::admit`]); together they name the window exactly, so window
//! numbers do not wrap within the clock's range (584 years of nanoseconds), whatever
//! the window's length. The clock is injected (the caller passes `now`), as `governor`
//! does.

use core::time::Duration;

use super::policy::MAX_STORM_BURST;

/// Bits of the admitted count: enough for [`MAX_STORM_BURST`].
const COUNT_BITS: u32 = u32::BITS - MAX_STORM_BURST.leading_zeros();
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;
/// Bits of the window number kept in the state word: its low bits.
const WINDOW_BITS: u32 = u64::BITS - COUNT_BITS;
const WINDOW_MASK: u64 = (1 << WINDOW_BITS) - 1;

/// What [`FixedWindow::admit`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The window has admitted `burst` already: the failure is suppressed.
    Refuse,
    /// Admitted in the stored window: the new state word.
    Count(u64),
    /// Admitted as the first failure of a newer window, `window`: first raise the
    /// newest window to it, then store the new state word.
    Open {
        /// The full number of the window opened.
        window: u64,
        /// The new state word.
        state: u64,
    },
}

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

    /// Decides one failure at `now`, from the state word `state` and `newest`, the
    /// highest window number ever opened (or about to be: an opener raises `newest`
    /// before it stores its state word).
    ///
    /// The caller reads `newest` after `state`, with the ordering that makes `newest`
    /// at least the stored window's number; `newest` is then below that number plus
    /// `2^WINDOW_BITS` unless another failure is opening a window that far ahead at the
    /// same moment, and in that race the stored window is taken for a newer one, which
    /// can only refuse a failure, never admit one more than `burst` in a window.
    ///
    /// A reading behind the stored window (a thread that read the clock just before
    /// another opened the next window, or a clock that went back) counts against the
    /// stored window: windows are opened in increasing order only, so no window admits
    /// more than `burst` whatever the clock does.
    #[inline]
    pub(crate) fn admit(&self, state: u64, newest: u64, now: Duration) -> Decision {
        // u64 nanoseconds cover 584 years from the clock's origin; beyond, the clock
        // reads as stuck at the last nanosecond.
        let now_nanos = now
            .as_secs()
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(now.subsec_nanos()));
        let admitted = state & COUNT_MASK;
        // The stored window: the highest number up to `newest` with the stored low bits.
        let stored_window =
            newest.wrapping_sub(newest.wrapping_sub(state >> COUNT_BITS) & WINDOW_MASK);
        // Most failures fall in the stored window: tell that by a multiplication and a
        // comparison, and divide (tens of cycles) only when the window may have changed.
        let in_stored = stored_window
            .checked_mul(self.window_nanos)
            .is_some_and(|start| now_nanos >= start && now_nanos - start < self.window_nanos);
        let now_window = if in_stored {
            stored_window
        } else {
            now_nanos / self.window_nanos
        };
        if now_window <= stored_window {
            // The stored window: current, or newer than a late (or backward) reading.
            if admitted < self.burst {
                Decision::Count(state + 1)
            } else {
                Decision::Refuse
            }
        } else if self.burst == 0 {
            Decision::Refuse
        } else {
            Decision::Open {
                window: now_window,
                state: ((now_window & WINDOW_MASK) << COUNT_BITS) | 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature's two words, as the slot keeps them, without the atomics.
    #[derive(Default)]
    struct Words {
        state: u64,
        newest: u64,
    }

    fn run(window: &FixedWindow, words: &mut Words, at: Duration) -> bool {
        match window.admit(words.state, words.newest, at) {
            Decision::Refuse => false,
            Decision::Count(state) => {
                words.state = state;
                true
            }
            Decision::Open { window, state } => {
                words.newest = words.newest.max(window);
                words.state = state;
                true
            }
        }
    }

    #[test]
    fn each_window_admits_burst_then_refuses() {
        let window = FixedWindow::new(3, Duration::from_secs(1));
        let mut words = Words::default();
        let first: usize = (0..10)
            .filter(|_| run(&window, &mut words, Duration::from_millis(500)))
            .count();
        let second: usize = (0..10)
            .filter(|_| run(&window, &mut words, Duration::from_millis(1500)))
            .count();
        let far: usize = (0..10)
            .filter(|_| run(&window, &mut words, Duration::from_secs(86_400 * 365)))
            .count();
        assert_eq!((first, second, far), (3, 3, 3));
    }

    #[test]
    fn a_late_reading_counts_against_the_newer_window() {
        let window = FixedWindow::new(2, Duration::from_secs(1));
        let mut words = Words::default();
        assert!(run(&window, &mut words, Duration::from_secs(5)));
        assert!(run(&window, &mut words, Duration::from_secs(4)));
        assert!(!run(&window, &mut words, Duration::from_secs(4)));
        assert!(!run(&window, &mut words, Duration::from_secs(5)));
    }

    #[test]
    fn the_stored_window_is_named_exactly_across_the_low_bits_wrapping() {
        let window = FixedWindow::new(1, Duration::from_nanos(1));
        let mut words = Words::default();
        // Each step is a multiple of 2^WINDOW_BITS windows, plus or minus a little:
        // the low bits repeat, the full numbers differ, and each is a new window.
        let mut at = 7_u64;
        for step in [
            1_u64 << WINDOW_BITS,
            (1 << WINDOW_BITS) - 1,
            3 << WINDOW_BITS,
            1,
        ] {
            assert!(run(&window, &mut words, Duration::from_nanos(at)), "{at}");
            assert!(!run(&window, &mut words, Duration::from_nanos(at)), "{at}");
            at += step;
        }
    }

    #[test]
    fn an_opener_racing_far_ahead_can_only_refuse() {
        // The stored window is 3 with its burst used; another failure has raised
        // `newest` to 3 + 2^WINDOW_BITS (same low bits) and not yet stored its word.
        let window = FixedWindow::new(1, Duration::from_nanos(1));
        let state = (3 << COUNT_BITS) | 1;
        let newest = 3 + (1 << WINDOW_BITS);
        let now = Duration::from_nanos(newest);
        assert_eq!(window.admit(state, newest, now), Decision::Refuse);
    }

    #[test]
    fn the_count_takes_24_bits_and_the_window_number_the_other_40() {
        assert_eq!((COUNT_BITS, WINDOW_BITS), (24, 40));
        let window = FixedWindow::new(1, Duration::from_secs(1));
        let mut words = Words::default();
        assert!(run(&window, &mut words, Duration::from_secs(5)));
        assert!(!run(&window, &mut words, Duration::from_secs(5)));
        // 2^24 windows later: a new window, stored with its number's low 40 bits.
        assert!(run(&window, &mut words, Duration::from_secs((1 << 24) + 5)));
        assert_eq!(words.state, (((1 << 24) + 5) << 24) | 1);
    }

    #[test]
    fn a_reading_far_after_a_stored_window_does_not_panic() {
        let window = FixedWindow::new(2, Duration::from_secs(1));
        let mut words = Words::default();
        assert!(run(&window, &mut words, Duration::from_secs(5)));
        assert!(run(&window, &mut words, Duration::MAX));
        assert!(run(&window, &mut words, Duration::MAX));
        assert!(!run(&window, &mut words, Duration::MAX));
    }

    #[test]
    fn burst_zero_admits_nothing_and_extremes_do_not_panic() {
        let mute = FixedWindow::new(0, Duration::from_secs(1));
        assert_eq!(mute.admit(0, 0, Duration::from_secs(3)), Decision::Refuse);
        let tiny = FixedWindow::new(MAX_STORM_BURST, Duration::from_nanos(1));
        assert_ne!(tiny.admit(0, 0, Duration::MAX), Decision::Refuse);
        assert_ne!(tiny.admit(0, u64::MAX, Duration::MAX), Decision::Refuse);
        let huge = FixedWindow::new(1, Duration::MAX);
        assert_ne!(huge.admit(0, 0, Duration::MAX), Decision::Refuse);
    }
}
