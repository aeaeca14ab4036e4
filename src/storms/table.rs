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
        for probe in 0..PROBES.min(len) {
            // `len` is a power of two: masking is the remainder.
            let slot = &self.slots[probe_index(key, probe, len - 1)];
            match slot.key.load(Ordering::Acquire) {
                found if found == key => return slot,
                0 if claim(slot, key) => return slot,
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

/// Takes `slot`, seen free, for `key`: `true` when the slot is `key`'s now, taken by
/// this call or, in between, by another failure of the same signature; `false` when a
/// different signature took it first.
#[inline]
fn claim(slot: &Slot, key: u64) -> bool {
    match slot
        .key
        .compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire)
    {
        Ok(_) => true,
        Err(taken) => taken == key,
    }
}

/// An index width: `usize` on the target, `u32` in the test that stands for a 32-bit
/// target (none can be installed here), so the one function below serves both.
pub(crate) trait IndexWidth: Copy + core::ops::BitAnd<Output = Self> {
    /// The low bits of `value` that fit this width (truncation).
    fn from_low_bits(value: u64) -> Self;
    /// Addition that wraps at the width.
    fn wrapping_add(self, other: Self) -> Self;
}

impl IndexWidth for usize {
    #[inline]
    #[allow(
        clippy::cast_possible_truncation,
        reason = "keeping the low bits is the point"
    )]
    fn from_low_bits(value: u64) -> Self {
        value as usize
    }
    #[inline]
    fn wrapping_add(self, other: Self) -> Self {
        usize::wrapping_add(self, other)
    }
}

#[cfg(test)]
impl IndexWidth for u32 {
    #[allow(
        clippy::cast_possible_truncation,
        reason = "keeping the low bits is the point"
    )]
    fn from_low_bits(value: u64) -> Self {
        value as u32
    }
    fn wrapping_add(self, other: Self) -> Self {
        u32::wrapping_add(self, other)
    }
}

/// The slot `probe` places after the home slot of `key`, in a table of `mask + 1` slots
/// (a power of two, at most [`MAX_STORM_SIGNATURES`](super::MAX_STORM_SIGNATURES), so
/// `mask` fits 32 bits). The home slot is the key's low bits: the key is cut to the
/// index width, never saturated, so a 32-bit target spreads signatures over the same
/// slots as a 64-bit one.
#[inline]
pub(crate) fn probe_index<I: IndexWidth>(key: u64, probe: I, mask: I) -> I {
    I::from_low_bits(key).wrapping_add(probe) & mask
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

    /// 100 well-mixed 64-bit fingerprints (splitmix64), like the signature hashes.
    fn fingerprints() -> impl Iterator<Item = u64> {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        core::iter::repeat_with(move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        })
        .take(100)
    }

    #[test]
    fn home_slots_are_the_same_with_32_and_64_bit_indices() {
        for key in fingerprints() {
            for probe in [0, 1, 15] {
                let wide = probe_index::<usize>(key, probe, 255);
                let narrow = probe_index::<u32>(key, u32::try_from(probe).expect("small"), 255);
                assert_eq!(usize::try_from(narrow).expect("small"), wide, "{key:#x}");
            }
        }
        // And they spread: 100 signatures over 256 home slots, none holding many.
        let mut per_slot = [0_u32; 256];
        for key in fingerprints() {
            per_slot[usize::try_from(probe_index::<u32>(key, 0, 255)).expect("small")] += 1;
        }
        assert!(per_slot.iter().all(|&n| n <= 4), "{per_slot:?}");
    }

    #[test]
    fn a_slot_seen_free_is_claimed_unless_another_signature_took_it_first() {
        let free = Slot::default();
        assert!(claim(&free, 7));
        assert_eq!(free.key.load(Ordering::Relaxed), 7);
        // Taken between the probe's load and its compare-and-swap: by the same
        // signature (the slot is still its own), or by another one (probe on).
        let same = Slot::default();
        same.key.store(7, Ordering::Relaxed);
        assert!(claim(&same, 7));
        let other = Slot::default();
        other.key.store(9, Ordering::Relaxed);
        assert!(!claim(&other, 7));
        assert_eq!(other.key.load(Ordering::Relaxed), 9);
    }

    #[test]
    fn an_empty_table_sends_everything_to_the_overflow_slot() {
        let table = StormTable::new(0);
        assert_eq!(table.slot(5) as *const Slot, &table.overflow as *const Slot);
        assert_eq!(table.overflowed(), 1);
    }
}
