//! Phase B of the RFC: observing the telemetry call (count, latency), switchable at
//! run time.

mod clock;
#[cfg(feature = "std")]
mod coarse;
mod config;
#[cfg(feature = "std")]
mod fast_clock;
mod observed_hooks;
mod observer;
mod switch;

#[cfg(feature = "std")]
pub(crate) use clock::ProcessClock;
#[cfg(feature = "std")]
pub use clock::StdClock;
pub use clock::{MonotonicClock, NoClock, RuntimeClock};
pub use config::FailureTelemetryObservationConfig;
#[cfg(feature = "std")]
pub use fast_clock::FastClock;
pub use observer::FailureTelemetryObserver;
pub(crate) use observer::ObservationTarget;
pub use switch::ObservationSwitch;
