//! How far a failure has travelled up the supervision tree.

/// How far a failure has been escalated: `Initial` where it happened, then one hop per
/// supervisor that passed it to its parent.
///
/// Hops saturate at `u8::MAX`: [`escalate`](Self::escalate) never overflows or panics,
/// and [`is_saturated`](Self::is_saturated) says when the count stopped growing.
///
/// Stages compare (and hash) by hop count: `Escalated { hops: 0 }`, which
/// [`escalate`](Self::escalate) never produces, equals `Initial`.
#[derive(Debug, Clone, Copy, Default)]
pub enum FailureEscalationStage {
    /// The failure is at the actor that failed (0 hops).
    #[default]
    Initial,
    /// The failure has been passed up `hops` times.
    Escalated {
        /// Number of escalations so far.
        hops: u8,
    },
}

impl PartialEq for FailureEscalationStage {
    fn eq(&self, other: &Self) -> bool {
        self.hops() == other.hops()
    }
}

impl Eq for FailureEscalationStage {}

impl core::hash::Hash for FailureEscalationStage {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.hops().hash(state);
    }
}

impl FailureEscalationStage {
    /// One hop further up; saturates at `u8::MAX` hops.
    #[must_use]
    pub const fn escalate(self) -> Self {
        Self::Escalated {
            hops: self.hops().saturating_add(1),
        }
    }

    /// The number of escalations so far (`Initial` is 0).
    #[must_use]
    pub const fn hops(self) -> u8 {
        match self {
            Self::Initial => 0,
            Self::Escalated { hops } => hops,
        }
    }

    /// `true` once the hop count reached `u8::MAX` and stopped counting.
    #[must_use]
    pub const fn is_saturated(self) -> bool {
        self.hops() == u8::MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_counts_and_saturates() {
        let mut stage = FailureEscalationStage::Initial;
        for expected in 1..=300_u32 {
            stage = stage.escalate();
            assert_eq!(u32::from(stage.hops()), expected.min(255));
        }
        assert!(stage.is_saturated());
    }

    #[test]
    fn zero_hop_escalated_equals_initial() {
        assert_eq!(
            FailureEscalationStage::Escalated { hops: 0 },
            FailureEscalationStage::Initial
        );
        assert_ne!(
            FailureEscalationStage::Initial.escalate(),
            FailureEscalationStage::Initial
        );
    }
}
