//! One signature's state in the storm table: lock-free, exactly counted.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use super::window::{Decision, FixedWindow};

/// What the limiter decided for one failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admission {
    /// The failure reaches the hook; `suppressed` failures of its signature were
    /// suppressed since the previous delivery.
    Deliver {
        /// Suppressed since the previous delivered failure of the signature.
        suppressed: u64,
    },
    /// The failure skips the hook; it has been counted.
    Suppress,
}

/// The state of one signature. Every field is a single atomic word, so concurrent
/// failures need no lock: the window word is updated by compare-and-swap, the newest
/// window and the counts by read-modify-write operations, and every failure lands in
/// exactly one of the counts.
///
/// Aligned to a cache line so that two signatures storming on two cores do not slow
/// each other down through one shared line.
#[derive(Debug, Default)]
#[repr(align(64))]
pub(crate) struct Slot {
    /// The signature's hash; 0 while the slot is free.
    pub(crate) key: AtomicU64,
    /// [`FixedWindow`]'s state: the current window (its low bits) and its admitted
    /// count.
    window: AtomicU64,
    /// The highest window number opened (or being opened): with the low bits in
    /// `window` it names the current window in full. Only grows.
    newest: AtomicU64,
    /// Suppressed failures of this signature, ever (only grows).
    suppressed: AtomicU64,
    /// The part of `suppressed` already handed to a delivered snapshot (only grows,
    /// never above `suppressed`).
    reported: AtomicU64,
}

impl Slot {
    /// Decides one failure at `now` (`None` when the clock could not be read: the
    /// failure is delivered, the limit cannot be applied without a time).
    #[inline]
    pub(crate) fn admit(&self, window: &FixedWindow, now: Option<Duration>) -> Admission {
        if let Some(now) = now {
            // Acquire on `window`, then `newest`: an opener raises `newest` before it
            // stores `window` with Release, so `newest` read here is at least the
            // stored window's number (what `FixedWindow::admit` relies on).
            let mut state = self.window.load(Ordering::Acquire);
            loop {
                let newest = self.newest.load(Ordering::Relaxed);
                let next = match window.admit(state, newest, now) {
                    Decision::Refuse => {
                        self.suppressed.fetch_add(1, Ordering::Relaxed);
                        return Admission::Suppress;
                    }
                    Decision::Count(next) => next,
                    Decision::Open {
                        window: opened,
                        state: next,
                    } => {
                        self.newest.fetch_max(opened, Ordering::Relaxed);
                        next
                    }
                };
                match self.window.compare_exchange_weak(
                    state,
                    next,
                    Ordering::Release,
                    Ordering::Acquire,
                ) {
                    Ok(_) => break,
                    Err(current) => state = current,
                }
            }
        }
        Admission::Deliver {
            suppressed: self.take_unreported(),
        }
    }

    /// Hands the suppressed count not yet reported to this delivery. `fetch_max` makes
    /// concurrent deliveries split it exactly: each takes the part between the highest
    /// total reported before it and the total it read, so the parts sum to the total.
    #[inline]
    fn take_unreported(&self) -> u64 {
        let total = self.suppressed.load(Ordering::Relaxed);
        if total == self.reported.load(Ordering::Relaxed) {
            return 0;
        }
        total.saturating_sub(self.reported.fetch_max(total, Ordering::Relaxed))
    }

    /// Suppressed failures of this signature, ever.
    pub(crate) fn suppressed_total(&self) -> u64 {
        self.suppressed.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_delivery_carries_what_was_suppressed_since_the_last() {
        let slot = Slot::default();
        let window = FixedWindow::new(1, Duration::from_secs(1));
        let at = |secs| Some(Duration::from_secs(secs));
        assert_eq!(
            slot.admit(&window, at(0)),
            Admission::Deliver { suppressed: 0 }
        );
        assert_eq!(slot.admit(&window, at(0)), Admission::Suppress);
        assert_eq!(slot.admit(&window, at(0)), Admission::Suppress);
        assert_eq!(
            slot.admit(&window, at(1)),
            Admission::Deliver { suppressed: 2 }
        );
        assert_eq!(
            slot.admit(&window, None),
            Admission::Deliver { suppressed: 0 }
        );
        assert_eq!(slot.suppressed_total(), 2);
    }

    /// A signature that stormed at `at`, then failed once more at `later`: is that
    /// failure delivered?
    fn delivered_after_storm(window: Duration, at: Duration, later: Duration) -> bool {
        let slot = Slot::default();
        let policy = FixedWindow::new(1, window);
        assert!(matches!(
            slot.admit(&policy, Some(at)),
            Admission::Deliver { .. }
        ));
        assert_eq!(slot.admit(&policy, Some(at)), Admission::Suppress);
        matches!(slot.admit(&policy, Some(later)), Admission::Deliver { .. })
    }

    #[test]
    fn window_numbers_do_not_wrap_with_one_nanosecond_windows() {
        let ns = Duration::from_nanos;
        // 2^40 windows later (about 18 minutes of 1 ns windows), and a little less.
        assert!(delivered_after_storm(ns(1), ns(5), ns(5 + (1 << 40))));
        assert!(delivered_after_storm(
            ns(1),
            ns(5),
            ns(5 + (1 << 40) - 1000)
        ));
        // 2^40 windows of 1 µs: about 12.7 days.
        let us = Duration::from_micros;
        assert!(delivered_after_storm(us(1), us(3), us(3 + (1 << 40))));
        // Any number of windows up to the clock's 584 years.
        for shift in 40..64 {
            let later = ns(5).saturating_add(ns(1 << shift));
            assert!(delivered_after_storm(ns(1), ns(5), later), "2^{shift} ns");
        }
    }

    #[test]
    fn a_clock_that_goes_back_counts_against_the_newest_window() {
        let slot = Slot::default();
        let policy = FixedWindow::new(2, Duration::from_secs(1));
        let at = |secs| Some(Duration::from_secs(secs));
        let start = 10_000_000;
        assert!(matches!(
            slot.admit(&policy, at(start)),
            Admission::Deliver { .. }
        ));
        // Back by one window, then by more than 2^20 windows: still the newest window,
        // which has one admission left, then none.
        assert!(matches!(
            slot.admit(&policy, at(start - 1)),
            Admission::Deliver { .. }
        ));
        assert_eq!(
            slot.admit(&policy, at(start - (1 << 21))),
            Admission::Suppress
        );
        assert_eq!(slot.admit(&policy, at(0)), Admission::Suppress);
        // The clock sticks: the same window.
        assert_eq!(slot.admit(&policy, at(start)), Admission::Suppress);
        // The next window after the newest opens, and carries the count.
        assert_eq!(
            slot.admit(&policy, at(start + 1)),
            Admission::Deliver { suppressed: 3 }
        );
    }

    #[test]
    fn racing_threads_on_aliasing_windows_admit_at_most_burst_per_window_opened() {
        use std::sync::Mutex;
        use std::vec::Vec;

        // Windows 2^40 apart share their low bits: the case that needs the full number.
        let windows: [u64; 4] = [7, 7 + (1 << 40), 7 + (2 << 40), 8 + (2 << 40)];
        let policy = FixedWindow::new(3, Duration::from_nanos(1));
        let slot = Slot::default();
        let delivered = Mutex::new(Vec::new());
        let suppressed = core::sync::atomic::AtomicU64::new(0);
        std::thread::scope(|scope| {
            for thread in 0..4_u64 {
                let (slot, delivered, suppressed) = (&slot, &delivered, &suppressed);
                scope.spawn(move || {
                    for round in 0..20_000_u64 {
                        // Mostly forward, sometimes a reading from an earlier window.
                        let step = usize::try_from((round / 5_000 + thread * (round % 3 / 2)) % 4)
                            .expect("small");
                        let at = windows[step];
                        match slot.admit(&policy, Some(Duration::from_nanos(at))) {
                            Admission::Deliver { .. } => {
                                delivered.lock().expect("not poisoned").push(at);
                            }
                            Admission::Suppress => {
                                suppressed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                });
            }
        });
        // Windows open in increasing order only, so each of the four opens at most once
        // and admits at most 3 (a late reading is admitted against a newer window, so
        // the count per reading's window is not the measure; the total is).
        let delivered = delivered.into_inner().expect("not poisoned");
        assert!(delivered.len() <= 4 * 3, "{delivered:?}");
        assert!(delivered.len() >= 3, "{delivered:?}");
        // Every failure counted once, delivered or suppressed.
        let delivered = u64::try_from(delivered.len()).expect("small");
        assert_eq!(delivered + suppressed.into_inner(), 4 * 20_000);
        assert_eq!(slot.suppressed_total(), 4 * 20_000 - delivered);
    }
}
