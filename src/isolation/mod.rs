//! Panic isolation for user code: the guard every callback runs under, the fault
//! counters it feeds, and the guarded metrics records and clock readings of the root
//! path.
//!
//! Below both [`config`](crate::config) (which makes a clock under a guard in
//! `finalize()`) and [`escalation`](crate::escalation) (whose root sink guards every
//! step); it imports only from `metrics` and `observation`.

mod counters;
mod guard;
mod guarded_target;

pub use counters::EscalationStats;
pub(crate) use counters::{EscalationCounters, Step};
pub use guard::{Caught, PANIC_ISOLATION, run_guarded};
pub(crate) use guarded_target::GuardedTarget;
