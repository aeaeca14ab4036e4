//! An embedded-style setup: a runtime with its own tick clock and bounded tags, using
//! only what the crate offers without `std` (the example binary itself runs on a host).
//!
//! ```sh
//! cargo run --example embedded
//! ```
//!
//! On a real target the tick counter is advanced by a timer interrupt and the crate is
//! used with `default-features = false`.

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use escalation_telemetry::prelude::*;

/// Microseconds since boot, advanced by the (here simulated) timer interrupt.
static TICKS_US: AtomicU64 = AtomicU64::new(0);

/// The runtime's clock: reads the tick counter.
#[derive(Default)]
struct TickClock;

impl MonotonicClock for TickClock {
    fn now(&self) -> Duration {
        Duration::from_micros(TICKS_US.load(Ordering::Relaxed))
    }
}

/// The embedded runtime: tick clock, at most two tags per failure, never a heap
/// allocation for tags.
struct Firmware;

impl ActorRuntime for Firmware {
    type Clock = TickClock;
    type Tags = BoundedTags<2>;
}

/// Telemetry that "takes" 3 µs per call, as a slow UART write would.
struct UartTelemetry;

impl FailureTelemetry for UartTelemetry {
    fn on_failure(&self, snapshot: &FailureSnapshot<'_>) {
        TICKS_US.fetch_add(3, Ordering::Relaxed);
        println!("uart> {snapshot}");
    }
}

fn main() {
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let config = ActorSystemConfig::<Firmware>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(UartTelemetry))
        .observe()
        .capture_timing(true)
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    // A sensor task at /2/5 fails; its metadata has room for two tags, the third is
    // dropped and counted.
    let metadata = FailureMetadata::<BoundedTags<2>>::default()
        .with_component("imu")
        .with_transport("i2c")
        .with_tag(key!("bus_address"), "0x68");
    let path = ActorPath::root().child(ActorId(2)).child(ActorId(5));
    let info = FailureInfo::new(
        ActorId(5),
        path,
        ActorFailure::from_message("sensor not responding"),
    )
    .with_metadata(metadata)
    .escalate_to_parent();
    if root.handle(info, false).is_err() {
        println!("the root gave the failure back");
    }

    let totals = metrics.totals();
    println!(
        "metrics: invocations={} latency={:?} tags_dropped={}",
        totals.invocations, totals.latency_total, totals.tags_dropped
    );
    println!("root stats: {:?}", root.stats());
}
