//! With `tracing-subscriber`'s `fmt` layer, a failure at the root prints as one line a
//! person can read and a log pipeline can parse.
#![cfg(feature = "tracing")]

use std::io;
use std::sync::{Arc, Mutex};

use escalation_telemetry::LOCATION_FILTERS;
use escalation_telemetry::integrations::tracing::TracingFailureTelemetry;
use escalation_telemetry::prelude::*;
use tracing_subscriber::prelude::*;

/// A `fmt` writer that appends to a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .expect("no test thread panicked holding the lock")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .expect("no test thread panicked holding the lock");
        String::from_utf8(bytes.clone()).expect("fmt writes UTF-8")
    }
}

#[test]
fn the_fmt_layer_prints_one_line_per_failure() {
    let output = Captured::default();
    let writer = output.clone();
    let _subscriber = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .without_time()
                .with_ansi(false)
                .with_writer(move || writer.clone()),
        )
        .set_default();
    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_failure_telemetry(|_ctx| {
            FailureTelemetryShared::new(TracingFailureTelemetry::default())
        })
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    let path = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(4))
        .child(ActorId(9));
    let failure = FailureInfo::new(ActorId(9), path, ActorFailure::from_message("disk full"))
        .with_metadata(
            FailureMetadata::new()
                .with_component("storage")
                .with_tag("tenant", "acme corp"),
        )
        .escalate_to_parent()
        .escalate_to_parent();
    root.handle(failure, false)
        .expect("the root handles every failure");

    let text = output.text();
    assert_eq!(text.lines().count(), 1, "one line per failure: {text:?}");
    insta::with_settings!({ filters => LOCATION_FILTERS.to_vec() }, {
        insta::assert_snapshot!("fmt_line", text);
    });
}
