//! Clocks for timing the telemetry call.

use core::time::Duration;

/// A monotonic clock: successive readings never go backwards.
///
/// `std` provides `StdClock`; a no_std runtime brings its own (a cycle counter, an
/// RTOS tick) by implementing this trait.
///
/// ```
/// use core::sync::atomic::{AtomicU64, Ordering};
/// use core::time::Duration;
/// use escalation_telemetry::prelude::*;
///
/// /// A tick counter advanced by a timer interrupt, one tick per microsecond.
/// #[derive(Default)]
/// struct TickClock;
/// static TICKS: AtomicU64 = AtomicU64::new(0);
///
/// impl MonotonicClock for TickClock {
///     fn now(&self) -> Duration {
///         Duration::from_micros(TICKS.load(Ordering::Relaxed))
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a monotonic clock, so this runtime cannot time telemetry calls: remove `.capture_timing(..)`, or give the runtime a clock that implements `MonotonicClock`",
    label = "this runtime's `Clock` cannot tell time",
    note = "`capture_timing(..)` needs a runtime whose `ActorRuntime::Clock` implements `MonotonicClock`: implement `MonotonicClock` for your clock (or use `StdRuntime`), or remove `.capture_timing(..)`"
)]
pub trait MonotonicClock: Default + Send + Sync + 'static {
    /// Time since any fixed origin.
    fn now(&self) -> Duration;

    /// A cheaper reading that may lag the true time by up to
    /// [`coarse_resolution`](Self::coarse_resolution): for measurements that need
    /// milliseconds, such as a storm window. Readings of `now_coarse` are only compared
    /// with each other; their origin may differ from [`now`](Self::now)'s.
    ///
    /// Defaults to [`now`](Self::now) (resolution zero): a clock without a cheaper
    /// source keeps its exact readings. `FastClock` (with `std`) reads
    /// `CLOCK_MONOTONIC_COARSE` on Linux.
    #[inline]
    fn now_coarse(&self) -> Duration {
        self.now()
    }

    /// How far [`now_coarse`](Self::now_coarse) may lag: zero (the default) when it is
    /// [`now`](Self::now) itself.
    #[inline]
    fn coarse_resolution(&self) -> Duration {
        Duration::ZERO
    }
}

/// The `Clock` of a runtime that has none. It cannot be used to capture timing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoClock;

/// What a runtime's `Clock` may be: any [`MonotonicClock`], or [`NoClock`].
/// Sealed; implemented through those two.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a runtime's `Clock`: implement `MonotonicClock` for it, or use `NoClock` for a runtime without a clock",
    label = "not a `MonotonicClock`, nor `NoClock`",
    note = "`ActorRuntime::Clock` is read to time telemetry calls; `MonotonicClock::now` returns the time since any fixed origin"
)]
pub trait RuntimeClock: Default + Send + Sync + 'static + private::Sealed {
    /// A reading, or `None` for [`NoClock`].
    fn read(&self) -> Option<Duration>;

    /// A coarse reading ([`MonotonicClock::now_coarse`]), or `None` for [`NoClock`].
    fn read_coarse(&self) -> Option<Duration>;

    /// [`MonotonicClock::coarse_resolution`]; zero for [`NoClock`].
    fn coarse_resolution(&self) -> Duration;
}

mod private {
    pub trait Sealed {}
    impl<C: super::MonotonicClock> Sealed for C {}
    impl Sealed for super::NoClock {}
}

impl<C: MonotonicClock> RuntimeClock for C {
    #[inline]
    fn read(&self) -> Option<Duration> {
        Some(self.now())
    }

    #[inline]
    fn read_coarse(&self) -> Option<Duration> {
        Some(self.now_coarse())
    }

    #[inline]
    fn coarse_resolution(&self) -> Duration {
        MonotonicClock::coarse_resolution(self)
    }
}

impl RuntimeClock for NoClock {
    #[inline]
    fn read(&self) -> Option<Duration> {
        None
    }

    #[inline]
    fn read_coarse(&self) -> Option<Duration> {
        None
    }

    #[inline]
    fn coarse_resolution(&self) -> Duration {
        Duration::ZERO
    }
}

/// `std::time::Instant` as a [`MonotonicClock`]: readings are the time since the
/// clock was made. [`FastClock`](crate::FastClock), `StdRuntime`'s clock, reads the same
/// time about twice as fast.
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy)]
pub struct StdClock {
    origin: std::time::Instant,
}

#[cfg(feature = "std")]
impl StdClock {
    /// A clock whose origin is now.
    #[must_use]
    pub fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }

    /// One clock for the whole process, made on first use.
    #[must_use]
    pub fn process() -> &'static Self {
        static PROCESS: std::sync::OnceLock<StdClock> = std::sync::OnceLock::new();
        PROCESS.get_or_init(Self::new)
    }
}

#[cfg(feature = "std")]
impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "std")]
impl MonotonicClock for StdClock {
    #[inline]
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// [`StdClock::process`] as a clock value: the process clock is looked up when a
/// reading is taken, not before. `with_ref_observed` passes it, so a call that is not
/// timed (no metrics sink, or `capture_timing: false`) never touches the clock.
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ProcessClock;

#[cfg(feature = "std")]
impl MonotonicClock for ProcessClock {
    #[inline]
    fn now(&self) -> Duration {
        StdClock::process().now()
    }
}
