//! Running the user code an actor-framework integration meets (an error's `Display`,
//! `Debug` or `source()`, the drop of an error or a panic payload) under a panic guard,
//! and counting what the guard caught.

use crate::isolation::run_guarded;

/// The description of a failure whose error text could not be made: its `Display`
/// (ractor), `Debug` (kameo) or `source()` panicked. The panic is caught and counted in
/// the guardian's stats; the failure is still reported, with this description.
pub const UNPRINTABLE_ERROR: &str =
    "error whose text could not be made (its Display, Debug or source() panicked)";

/// What the guards of one guardian (or one escalated failure on its way up) caught.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UserCodeGuards {
    /// Panics caught in user code.
    pub(crate) panics: u64,
    /// Caught panics whose payload could not be dropped and was leaked (see
    /// `EscalationStats::panic_payloads_leaked` for the rule).
    pub(crate) payloads_leaked: u64,
}

impl UserCodeGuards {
    /// Runs `f`; a panic is caught, counted, and gives `None`.
    pub(crate) fn run<R>(&mut self, f: impl FnOnce() -> R) -> Option<R> {
        match run_guarded(f) {
            Ok(value) => Some(value),
            Err(caught) => {
                self.panics = self.panics.saturating_add(1);
                if caught.leaked_payload() {
                    self.payloads_leaked = self.payloads_leaked.saturating_add(1);
                }
                None
            }
        }
    }

    /// Drops `value` (whose `Drop` is user code) under the guard.
    pub(crate) fn drop_value<T>(&mut self, value: T) {
        // A panicking drop is counted by `run`; there is nothing else to do with it.
        let _ = self.run(move || drop(value));
    }

    /// Adds the counts another guard caught (an escalated failure's, at the guardian).
    #[cfg(feature = "ractor")]
    pub(crate) fn add(&mut self, other: Self) {
        self.panics = self.panics.saturating_add(other.panics);
        self.payloads_leaked = self.payloads_leaked.saturating_add(other.payloads_leaked);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_and_counted_and_a_value_comes_back_otherwise() {
        let mut guards = UserCodeGuards::default();
        assert_eq!(guards.run(|| 7), Some(7));
        assert_eq!(guards.run(|| -> u8 { panic!("user code") }), None);
        assert_eq!(
            guards,
            UserCodeGuards {
                panics: 1,
                payloads_leaked: 0
            }
        );
    }
}
