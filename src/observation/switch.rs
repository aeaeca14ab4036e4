//! The run-time ON/OFF switch of observation.

use core::sync::atomic::{AtomicBool, Ordering};

use crate::sync::ArcShared;

/// Turns observation on and off at run time, immediately, for every sink built from
/// the same finalized config. Cheap to clone; checking it costs one relaxed atomic load.
///
/// Relaxed ordering is enough: the switch guards no other data, and a failure handled
/// concurrently with a flip is observed according to either state.
#[derive(Debug, Clone)]
pub struct ObservationSwitch {
    enabled: ArcShared<AtomicBool>,
}

impl ObservationSwitch {
    /// A new switch in the given state.
    #[must_use]
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled: ArcShared::new(AtomicBool::new(enabled)),
        }
    }

    /// Turns observation on.
    pub fn enable(&self) {
        self.set(true);
    }

    /// Turns observation off.
    pub fn disable(&self) {
        self.set(false);
    }

    /// Sets the state.
    pub fn set(&self, enabled: bool) {
        self.enabled.store(enabled, Ordering::Relaxed);
    }

    /// The current state.
    #[inline]
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    /// `true` when both handles are the same switch.
    #[must_use]
    pub fn ptr_eq(&self, other: &Self) -> bool {
        ArcShared::ptr_eq(&self.enabled, &other.enabled)
    }
}

impl Default for ObservationSwitch {
    /// A switch that is on.
    fn default() -> Self {
        Self::new(true)
    }
}
