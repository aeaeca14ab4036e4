//! The fixed-size signature table, made once at `finalize()` and shared by every sink
//! of the config.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};

use super::slot::Slot;

/// How many slots a signature looks at, from its home slot on, before it falls back to
/// the overflow slot. Bounded so that a full table costs the same per failure as a
/// fresh one.
const PROBES: usize = 16;

/// Open addressing over a fixed number of slots; signatures are never removed (a
/// signature is a place in the code, and their number is small and stable).
///
/// When a signature finds neither its own slot nor a free one among the [`PROBES`]
/// slots from its home slot, it uses the overflow slot: all such signatures share one
/// limit there, and their counts are exact like any other.
#[derive(Debug)]
pub(crate) struct StormTable {
    slots: Box<[Slot]>,
    overflow: Slot,
    /// Failures decided in the overflow slot.
    overflowed: AtomicU64,
}

impl StormTable {
    /// A table of `signatures` slots rounded up to a power of two (`0`: only the
    /// overflow slot). The only allocation of storm limiting.
    pub(crate) fn new(signatures: usize) -> Self {
        let len = match signatures {
            0 => 0,
            n => n.next_power_of_two(),
        };
        let slots: Vec<Slot> = core::iter::repeat_with(Slot::default).take(len).collect();
        Self {
            slots: slots.into_boxed_slice(),
            overflow: Slot::default(),
            overflowed: AtomicU64::new(0),
        }
    }

    /// The slot of the signature whose hash is `hash`, claiming a free one on first
    /// sight; the overflow slot when none is left near its home.
    #[inline]
    pub(crate) fn slot(&self, hash: u64) -> &Slot {
        // 0 marks a free slot, so no key may be 0.
        let key = hash.max(1);
        let len = self.slots.len();
        let home = usize::try_from(key).unwrap_or(usize::MAX);
        for probe in 0..PROBES.min(len) {
            // `len` is a power of two: masking is the remainder.
            let slot = &self.slots[home.wrapping_add(probe) & (len - 1)];
            match slot.key.load(Ordering::Acquire) {
                found if found == key => return slot,
                0 => match slot
                    .key
                    .compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire)
                {
                    Ok(_) => return slot,
                    Err(taken) if taken == key => return slot,
                    Err(_) => {}
                },
                _ => {}
            }
        }
        self.overflowed.fetch_add(1, Ordering::Relaxed);
        &self.overflow
    }

    /// Suppressed failures over all signatures, ever.
    pub(crate) fn suppressed_total(&self) -> u64 {
        self.slots
            .iter()
            .chain(core::iter::once(&self.overflow))
            .map(Slot::suppressed_total)
            .fold(0, u64::saturating_add)
    }

    /// Failures decided in the overflow slot, ever.
    pub(crate) fn overflowed(&self) -> u64 {
        self.overflowed.load(Ordering::Relaxed)
    }

    /// Slots in the table (not counting the overflow slot).
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_get_their_own_slots_until_the_neighbourhood_is_full() {
        let table = StormTable::new(3);
        assert_eq!(table.len(), 4);
        let first = table.slot(7) as *const Slot;
        assert_eq!(table.slot(7) as *const Slot, first);
        // Hash 0 is stored as 1, and 1 is then the same signature.
        assert_eq!(table.slot(0) as *const Slot, table.slot(1) as *const Slot);
        table.slot(2);
        table.slot(3);
        assert_eq!(table.overflowed(), 0);
        assert_eq!(
            table.slot(99) as *const Slot,
            &table.overflow as *const Slot
        );
        assert_eq!(table.overflowed(), 1);
    }

    /// Threads racing to claim a free slot: each signature ends in one slot, which
    /// holds its key. The race (a compare-and-swap lost to the same key, or to another)
    /// happens in some rounds, not in all.
    #[cfg(feature = "std")]
    #[test]
    fn racing_claims_give_each_signature_one_slot_of_its_own() {
        use std::sync::Barrier;
        const THREADS: usize = 4;
        for round in 0..300_u64 {
            let table = StormTable::new(8);
            let barrier = Barrier::new(THREADS);
            // Two signatures with the same home slot, each claimed by two threads.
            let keys = [8 + round % 8 * 16, 24 + round % 8 * 16];
            let claimed: Vec<(u64, usize)> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..THREADS)
                    .map(|t| {
                        let (table, barrier) = (&table, &barrier);
                        let key = keys[t % 2];
                        scope.spawn(move || {
                            barrier.wait();
                            let slot = table.slot(key);
                            (key, slot as *const Slot as usize)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("no panic"))
                    .collect()
            });
            for &(key, slot) in &claimed {
                let same_key = claimed.iter().filter(|(k, _)| *k == key);
                assert!(same_key.clone().all(|&(_, s)| s == slot), "{claimed:?}");
                let owner = table
                    .slots
                    .iter()
                    .find(|s| *s as *const Slot as usize == slot)
                    .expect("a slot of the table");
                assert_eq!(owner.key.load(Ordering::Relaxed), key, "{claimed:?}");
            }
        }
    }

    #[test]
    fn an_empty_table_sends_everything_to_the_overflow_slot() {
        let table = StormTable::new(0);
        assert_eq!(table.slot(5) as *const Slot, &table.overflow as *const Slot);
        assert_eq!(table.overflowed(), 1);
    }
}
