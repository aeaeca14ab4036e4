//! Quickstart: set up failure telemetry with the typestate builder, let failures travel
//! up a small supervision tree, see a crash loop kept from flooding the hook, and print
//! what reached the root.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! The tree (ids in brackets):
//!
//! ```text
//! root guardian
//! └── api [1]            escalates everything
//!     └── db-pool [4]    restarts timeouts itself, escalates the rest
//!         └── worker [9] fails
//! ```

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use escalation_telemetry::prelude::*;

fn main() -> io::Result<()> {
    run(&mut io::stdout().lock())
}

/// A supervisor's decision about a child's failure.
#[derive(Clone, Copy, PartialEq)]
enum Directive {
    /// Handle it here (restart the child); the root never hears of it.
    Restart,
    /// Pass it to the parent.
    Escalate,
}

/// One supervisor between the failing worker and the root.
struct Supervisor {
    name: &'static str,
    decide: fn(&FailureInfo) -> Directive,
}

/// The application's name, handed to the telemetry builder as an extension.
struct ServiceName(&'static str);

/// Runs the quickstart, writing its report to `out`.
pub(crate) fn run(out: &mut dyn Write) -> io::Result<()> {
    // Telemetry lines are collected here so they can be printed in order.
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let metrics = ArcShared::new(CountingMetricsSink::new());
    let root_events = Arc::new(AtomicUsize::new(0));

    let config = ActorSystemConfig::<StdRuntime>::new()
        .with_metrics_sink(MetricsSinkShared::from_arc(metrics.clone()))
        .with_extension(ServiceName("checkout"))
        // Carried by every failure of this system, after the failure's own tags.
        .with_system_tag(key!("region"), "eu-west-1")
        .with_failure_telemetry({
            let lines = lines.clone();
            move |ctx: &TelemetryContext<'_>| {
                let service = ctx
                    .extensions
                    .get::<ServiceName>()
                    .map_or("unknown", |s| s.0);
                let lines = lines.clone();
                FailureTelemetryShared::from_fn(move |snapshot: &FailureSnapshot<'_>| {
                    if let Ok(mut lines) = lines.lock() {
                        lines.push(format!("[{service}] {snapshot}"));
                    }
                })
            }
        })
        .observe()
        .capture_timing(true)
        // A crash loop must not flood the hook: per actor path and description, at most
        // 3 hook calls a minute; the rest are counted as suppressed.
        .limit_storms(StormPolicy::new(3, Duration::from_secs(60)))
        .with_failure_event_listener({
            let root_events = root_events.clone();
            move |event: FailureEvent| {
                // A real application would page someone here, or restart the subtree.
                if let FailureEvent::RootEscalated(_) = event {
                    root_events.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
        .finalize();
    let mut root = config.root_escalation_sink::<()>();

    // Innermost supervisor first.
    let chain = [
        Supervisor {
            name: "db-pool",
            decide: |info| {
                if info.failure.description().contains("timeout") {
                    Directive::Restart
                } else {
                    Directive::Escalate
                }
            },
        },
        Supervisor {
            name: "api",
            decide: |_| Directive::Escalate,
        },
    ];
    let worker_path = ActorPath::root()
        .child(ActorId(1))
        .child(ActorId(4))
        .child(ActorId(9));
    let failures = [
        ("query timeout after 5s", "postgres"),
        ("connection refused by 10.0.0.7:5432", "postgres"),
        ("pool exhausted: 32 of 32 connections busy", "postgres"),
    ];

    writeln!(out, "== failures escalate through the tree")?;
    for (description, transport) in failures {
        let info = FailureInfo::new(
            ActorId(9),
            worker_path.clone(),
            ActorFailure::from_message(description),
        )
        .with_metadata(
            FailureMetadata::new()
                .with_component("db-pool")
                .with_transport(transport)
                .with_tag(key!("tenant"), "acme"),
        );
        writeln!(out, "worker {} failed: {description}", info.path)?;
        escalate(info, &chain, &mut root, out)?;
    }

    writeln!(out, "\n== observation switched off at run time")?;
    let switch = config.observation_switch();
    if let Some(switch) = &switch {
        switch.disable();
    }
    let info = FailureInfo::new(
        ActorId(9),
        worker_path.clone(),
        ActorFailure::from_message("disk full"),
    )
    .with_stage(FailureEscalationStage::Escalated { hops: 2 });
    writeln!(
        out,
        "worker {} failed: disk full (reported, not observed)",
        info.path
    )?;
    root.handle(info, false)
        .map_err(|_| io::Error::other("the root gave a failure back"))?;
    if let Some(switch) = &switch {
        switch.enable();
    }

    writeln!(out, "\n== a crash loop: the same failure 10 times in a row")?;
    for _ in 0..10 {
        let info = FailureInfo::new(
            ActorId(9),
            worker_path.clone(),
            ActorFailure::from_message("panicked: index out of bounds"),
        )
        .with_stage(FailureEscalationStage::Escalated { hops: 2 });
        root.handle(info, false)
            .map_err(|_| io::Error::other("the root gave a failure back"))?;
    }
    let suppressed = root.stats().telemetry_suppressed;
    writeln!(
        out,
        "{} reach the hook, {suppressed} are suppressed (the listener sees all 10)",
        10 - suppressed
    )?;

    writeln!(out, "\n== telemetry lines")?;
    for line in lines
        .lock()
        .map_err(|_| io::Error::other("telemetry lock poisoned"))?
        .iter()
    {
        writeln!(out, "{line}")?;
    }

    let totals = metrics.totals();
    writeln!(out, "\n== metrics")?;
    writeln!(
        out,
        "failure events at the root:     {}",
        root_events.load(Ordering::Relaxed)
    )?;
    writeln!(
        out,
        "telemetry invocations observed: {}",
        totals.invocations
    )?;
    writeln!(
        out,
        "latency samples:                {}",
        totals.latency_samples
    )?;
    let mean = totals
        .latency_total
        .checked_div(u32::try_from(totals.latency_samples).unwrap_or(u32::MAX))
        .unwrap_or_default();
    writeln!(out, "mean telemetry latency:         {mean:?}")?;
    writeln!(out, "suppressed in storms:           {}", totals.suppressed)?;
    writeln!(
        out,
        "hook panics:                    {}",
        root.stats().telemetry_panics
    )?;
    Ok(())
}

/// Walks the failure up the chain until a supervisor handles it or it reaches the root.
fn escalate(
    mut info: FailureInfo,
    chain: &[Supervisor],
    root: &mut impl EscalationSink,
    out: &mut dyn Write,
) -> io::Result<()> {
    for supervisor in chain {
        if (supervisor.decide)(&info) == Directive::Restart {
            writeln!(
                out,
                "  {} restarts the child: handled below the root",
                supervisor.name
            )?;
            return Ok(());
        }
        info = info.escalate_to_parent();
        writeln!(
            out,
            "  {} escalates (hops now {})",
            supervisor.name,
            info.stage.hops()
        )?;
    }
    writeln!(out, "  root guardian receives it")?;
    root.handle(info, false)
        .map_err(|_| io::Error::other("the root gave a failure back"))
}
