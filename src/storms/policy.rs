//! The storm policy: how many hook calls per window, per what signature, in how big a
//! table.

use core::time::Duration;

use super::StormSignature;

/// Signatures the table holds when the policy does not say (a 16 KiB table).
pub const DEFAULT_STORM_SIGNATURES: usize = 256;
/// The largest table a policy asks for; larger requests are lowered to it (4 MiB).
pub const MAX_STORM_SIGNATURES: usize = 1 << 16;
/// The largest `burst`; larger values are lowered to it. A window's count and its
/// number share one 64-bit atomic word; 24 bits of count leave 40 bits of window number.
pub const MAX_STORM_BURST: u32 = (1 << 24) - 1;

/// At most `burst` telemetry hook calls per `window` for each failure signature;
/// beyond that a failure skips the hook and is counted as suppressed. Set with
/// [`ActorSystemConfig::limit_storms`](crate::ActorSystemConfig::limit_storms).
///
/// Windows are fixed and aligned on the runtime clock's origin: window `k` covers
/// `[k * window, (k + 1) * window)`. In each window a signature's first `burst`
/// failures reach the hook.
///
/// ```
/// use core::time::Duration;
/// use escalation_telemetry::prelude::*;
///
/// // Ten hook calls per second per actor path, whatever the description says, in a
/// // table of 1024 signatures.
/// let policy = StormPolicy::new(10, Duration::from_secs(1))
///     .with_signature(StormSignature::Path)
///     .with_signatures(1024);
/// assert_eq!(policy.burst(), 10);
/// assert_eq!(policy.signatures(), 1024);
/// ```
///
/// Out-of-range values are adjusted, never a panic: `burst` above [`MAX_STORM_BURST`]
/// is lowered to it; `burst == 0` suppresses every failure (the hook is muted, every
/// failure is still counted); a zero `window` is raised to one nanosecond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StormPolicy {
    burst: u32,
    window: Duration,
    signature: StormSignature,
    signatures: usize,
}

impl StormPolicy {
    /// At most `burst` hook calls per `window` per signature (by default the actor path
    /// and the description), in a table of [`DEFAULT_STORM_SIGNATURES`] signatures.
    #[must_use]
    pub fn new(burst: u32, window: Duration) -> Self {
        Self {
            burst: burst.min(MAX_STORM_BURST),
            window: window.max(Duration::from_nanos(1)),
            signature: StormSignature::default(),
            signatures: DEFAULT_STORM_SIGNATURES,
        }
    }

    /// What makes two failures "the same" for the limit.
    #[must_use]
    pub fn with_signature(mut self, signature: StormSignature) -> Self {
        self.signature = signature;
        self
    }

    /// How many distinct signatures the table tracks, each with its own limit. The
    /// table is made once, at `finalize()`, rounded up to a power of two and at most
    /// [`MAX_STORM_SIGNATURES`]. `0` tracks none: every failure then shares the
    /// overflow slot, a single limit for the whole system.
    ///
    /// A signature that finds no free slot near its place in a full table is limited
    /// in the overflow slot, shared by all such signatures (see `docs/storms.md`).
    #[must_use]
    pub fn with_signatures(mut self, signatures: usize) -> Self {
        self.signatures = signatures.min(MAX_STORM_SIGNATURES);
        self
    }

    /// Hook calls allowed per window and signature.
    #[must_use]
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// The window length.
    #[must_use]
    pub fn window(&self) -> Duration {
        self.window
    }

    /// What a signature is made of.
    #[must_use]
    pub fn signature(&self) -> &StormSignature {
        &self.signature
    }

    /// The requested number of signatures (before rounding to a power of two).
    #[must_use]
    pub fn signatures(&self) -> usize {
        self.signatures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_range_values_are_adjusted_not_refused() {
        let policy = StormPolicy::new(u32::MAX, Duration::ZERO).with_signatures(usize::MAX);
        assert_eq!(policy.burst(), MAX_STORM_BURST);
        assert_eq!(policy.window(), Duration::from_nanos(1));
        assert_eq!(policy.signatures(), MAX_STORM_SIGNATURES);
    }
}
