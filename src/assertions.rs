//! Compile-time facts about the public types: what must be `Send`/`Sync`/`Clone`, and
//! what must not be implemented.

use static_assertions::{assert_impl_all, assert_not_impl_any, assert_obj_safe};

use crate::config::diagnostics::{SinkReady, StormsNeedBuilder, StormsNeedClock, TelemetryOpen};
use crate::prelude::*;

assert_obj_safe!(FailureTelemetry, MetricsSink);
assert_impl_all!(FailureTelemetryShared: Send, Sync, Clone, Default);
assert_impl_all!(MetricsSinkShared: Send, Sync, Clone);
assert_impl_all!(ObservationSwitch: Send, Sync, Clone);
assert_impl_all!(FailureSnapshot<'static>: Send, Sync, Copy);
assert_impl_all!(FailureInfo: Send, Sync, Clone);
assert_impl_all!(FailureInfo<BoundedTags<8>>: Send, Sync, Clone);
assert_impl_all!(FailureEvent: Send, Sync, Clone);
assert_impl_all!(Extensions: Send, Sync, Clone, Default);
assert_impl_all!(TelemetryTag: Send, Sync, Clone, Eq, core::hash::Hash);
assert_impl_all!(NoClock: Send, Sync, Default);
assert_not_impl_any!(NoClock: MonotonicClock);

// The stages: only `Finalized` builds sinks; `Finalized` refuses telemetry changes.
assert_impl_all!(Finalized: SinkReady);
assert_not_impl_any!(NoTelemetry: SinkReady);
assert_not_impl_any!(WithBuilder: SinkReady);
assert_not_impl_any!(Observed: SinkReady);
assert_not_impl_any!(Finalized: TelemetryOpen);
// Storms need a builder and a clock.
assert_not_impl_any!(NoTelemetry: StormsNeedBuilder);
assert_impl_all!(WithBuilder: StormsNeedBuilder);
assert_not_impl_any!(NoClock: StormsNeedClock);
assert_impl_all!(StormPolicy: Send, Sync, Clone);

#[cfg(feature = "std")]
mod with_std {
    use super::*;

    assert_impl_all!(RootEscalationSink<(), StdRuntime>: Send, Sync, Clone);
    // A message type that is neither Send nor Sync does not leak into the sink.
    assert_impl_all!(RootEscalationSink<alloc::rc::Rc<u8>, StdRuntime>: Send, Sync);
    assert_impl_all!(ActorSystemConfig<StdRuntime, Finalized>: Send, Sync, Clone);
    assert_impl_all!(StdClock: MonotonicClock);
    assert_impl_all!(FastClock: MonotonicClock, Clone);
}
