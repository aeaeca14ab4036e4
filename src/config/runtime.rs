//! The actor runtime a system runs on.

use crate::observation::RuntimeClock;
use crate::tags::TagStorage;

/// What the telemetry layer needs to know about an actor runtime: its clock (for
/// timing telemetry calls) and the tag storage its failures use.
///
/// A no_std runtime implements it with its own clock:
///
/// ```
/// use core::time::Duration;
/// use escalation_telemetry::prelude::*;
///
/// #[derive(Default)]
/// struct CycleClock;
/// impl MonotonicClock for CycleClock {
///     fn now(&self) -> Duration { Duration::ZERO /* read a cycle counter here */ }
/// }
///
/// struct Embedded;
/// impl ActorRuntime for Embedded {
///     type Clock = CycleClock;
///     type Tags = BoundedTags<8>;
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an actor runtime",
    label = "not an `ActorRuntime`",
    note = "use `StdRuntime`, or implement `ActorRuntime` for your runtime (its `Clock`, or `NoClock`, and its `Tags`)"
)]
pub trait ActorRuntime: 'static {
    /// The runtime's clock: a [`MonotonicClock`](crate::MonotonicClock), or
    /// [`NoClock`](crate::NoClock) when it has none (then timing cannot be requested).
    type Clock: RuntimeClock;
    /// The tag storage of the runtime's failures: [`BoundedTags`](crate::BoundedTags)
    /// or [`SpillingTags`](crate::SpillingTags).
    type Tags: TagStorage;
}

/// The standard-library runtime: [`FastClock`](crate::FastClock) (the CPU's counter,
/// calibrated when the first clock is made, at the latest in
/// [`finalize`](crate::ActorSystemConfig::finalize); the OS clock where there is no
/// reliable counter), and tag storage `T` ([`DefaultTags`](crate::DefaultTags), i.e.
/// spilling with capacity 4, unless named). A runtime that wants `Instant` itself
/// implements [`ActorRuntime`] with [`StdClock`](crate::StdClock).
#[cfg(feature = "std")]
pub struct StdRuntime<T = crate::tags::DefaultTags>(core::marker::PhantomData<fn() -> T>);

#[cfg(feature = "std")]
impl<T: TagStorage> ActorRuntime for StdRuntime<T> {
    type Clock = crate::observation::FastClock;
    type Tags = T;
}

#[cfg(feature = "std")]
impl<T> core::fmt::Debug for StdRuntime<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StdRuntime")
    }
}
