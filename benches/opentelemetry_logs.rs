//! What `OpenTelemetryLogTelemetry` adds to the root path: `RootEscalationSink::handle`
//! for one failure (4 `'static` tags, depth 3, not observed) with the no-op hook and
//! with the log hook on an `SdkLoggerProvider`, the record then dropped by a processor
//! that does nothing (our hook's work plus the SDK's logger, without any export) or
//! handed to a batch processor whose exporter discards (what production adds: the push
//! into the batch queue; the export runs on the processor's own thread).
//!
//! ```sh
//! cargo bench --features opentelemetry-logs --bench opentelemetry_logs -- --warm-up-time 1 --measurement-time 2
//! ```

mod common;

use std::hint::black_box;

use common::{Observation, TagValues};
use criterion::{BatchSize, Criterion};
use escalation_telemetry::integrations::opentelemetry::OpenTelemetryLogTelemetry;
use escalation_telemetry::prelude::*;
use opentelemetry::InstrumentationScope;
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::logs::{
    LogBatch, LogExporter, LogProcessor, SdkLogRecord, SdkLoggerProvider,
};

/// Drops every record where a processor would queue or export it.
#[derive(Debug)]
struct DiscardingProcessor;

impl LogProcessor for DiscardingProcessor {
    fn emit(&self, record: &mut SdkLogRecord, _scope: &InstrumentationScope) {
        black_box(record);
    }

    fn force_flush(&self) -> OTelSdkResult {
        Ok(())
    }
}

/// Accepts every batch and sends it nowhere.
#[derive(Debug)]
struct DiscardingExporter;

impl LogExporter for DiscardingExporter {
    async fn export(&self, batch: LogBatch<'_>) -> OTelSdkResult {
        black_box(batch);
        Ok(())
    }
}

fn handle(c: &mut Criterion, name: &str, telemetry: FailureTelemetryShared) {
    let config = common::config::<DefaultTags>(telemetry, Observation::None);
    let info = common::failure::<DefaultTags>(4, TagValues::Static, 3);
    let mut sink = config.root_escalation_sink::<()>();
    c.benchmark_group("root/opentelemetry_logs")
        .bench_function(format!("{name}/handle"), |b| {
            b.iter_batched(
                || info.clone(),
                // `handle` always returns `Ok(())`: consumed here, nothing to drop later.
                |info| {
                    let _ = black_box(black_box(&mut sink).handle(black_box(info), false));
                },
                BatchSize::SmallInput,
            );
        });
}

fn logs(c: &mut Criterion) {
    handle(c, "noop", FailureTelemetryShared::noop());

    let discarding = SdkLoggerProvider::builder()
        .with_log_processor(DiscardingProcessor)
        .build();
    let hook = OpenTelemetryLogTelemetry::from_provider(&discarding);
    handle(c, "log_record_discarded", FailureTelemetryShared::new(hook));

    let batched = SdkLoggerProvider::builder()
        .with_batch_exporter(DiscardingExporter)
        .build();
    let hook = OpenTelemetryLogTelemetry::from_provider(&batched);
    handle(c, "log_record_batched", FailureTelemetryShared::new(hook));
    let _ = batched.shutdown();
}

fn main() {
    common::run(&[logs]);
}
