use escalation_telemetry::prelude::*;

/// Meant as a clock, but `MonotonicClock` was never implemented for it.
#[derive(Default)]
struct WallClock;

struct Firmware;

impl ActorRuntime for Firmware {
    type Clock = WallClock;
    type Tags = BoundedTags<4>;
}

fn main() {}
