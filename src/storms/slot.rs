//! One signature's state in the storm table: lock-free, exactly counted.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use super::window::FixedWindow;

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
/// failures need no lock: the window word is updated by compare-and-swap, the counts by
/// read-modify-write operations, and every failure lands in exactly one of them.
///
/// Aligned to a cache line so that two signatures storming on two cores do not slow
/// each other down through one shared line.
#[derive(Debug, Default)]
#[repr(align(64))]
pub(crate) struct Slot {
    /// The signature's hash; 0 while the slot is free.
    pub(crate) key: AtomicU64,
    /// [`FixedWindow`]'s state: the current window and its admitted count.
    window: AtomicU64,
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
            let mut state = self.window.load(Ordering::Relaxed);
            loop {
                let Some(next) = window.admit(state, now) else {
                    self.suppressed.fetch_add(1, Ordering::Relaxed);
                    return Admission::Suppress;
                };
                match self.window.compare_exchange_weak(
                    state,
                    next,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
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
}
