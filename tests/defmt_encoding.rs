//! The defmt integration run on the host, through defmt's own test mode (its
//! `unstable-test` feature): format strings are numbered instead of interned, and what a
//! log call writes is kept in memory (`defmt::export::fetch_bytes`). Each test reads the
//! bytes back in the order the format strings declare, the way defmt's decoder walks a
//! frame, and checks every value and that nothing is left over.
//!
//! What this does not run: a real target, a global logger, defmt's linker script, or
//! `defmt-decoder` printing the text (it needs the interned strings of a firmware ELF).
#![cfg(feature = "defmt")]

mod support {
    pub(crate) mod crash;
}

use core::sync::atomic::{AtomicU64, Ordering};
use core::time::Duration;

use escalation_telemetry::integrations::defmt::DefmtFailureTelemetry;
use escalation_telemetry::prelude::*;

/// A reader over the bytes one log call wrote.
struct Frame {
    bytes: Vec<u8>,
    at: usize,
    /// The number defmt's test mode gives the next format string it "interns".
    next_string: u16,
}

impl Frame {
    /// Runs `log` and takes what it wrote.
    fn capture(log: impl FnOnce()) -> Self {
        let _ = defmt::export::fetch_bytes();
        let next_string = defmt::export::fetch_string_index();
        log();
        Self {
            bytes: defmt::export::fetch_bytes(),
            at: 0,
            next_string,
        }
    }

    fn take<const N: usize>(&mut self) -> [u8; N] {
        let end = self.at + N;
        assert!(
            end <= self.bytes.len(),
            "the frame ends early at byte {}",
            self.at
        );
        let mut out = [0; N];
        out.copy_from_slice(&self.bytes[self.at..end]);
        self.at = end;
        out
    }

    /// A format string: the next number in order (each string is written exactly once,
    /// where the format says).
    fn format_string(&mut self) {
        let index = u16::from_le_bytes(self.take());
        assert_eq!(
            index,
            self.next_string,
            "format string at byte {}",
            self.at - 2
        );
        self.next_string = self.next_string.wrapping_add(1);
    }

    fn u8(&mut self) -> u8 {
        u8::from_le_bytes(self.take())
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }

    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }

    /// `{=str}`: a `u32` length, then the UTF-8 bytes.
    fn str(&mut self) -> String {
        let len = self.u32() as usize;
        let text = &self.bytes[self.at..self.at + len];
        self.at += len;
        String::from_utf8(text.to_vec()).expect("UTF-8 on the wire")
    }

    /// The end of a `Format` impl's writes.
    fn end_of_format(&mut self) {
        assert_eq!(
            u16::from_le_bytes(self.take()),
            0,
            "format sequence terminator"
        );
    }

    fn finished(&self) {
        assert_eq!(self.at, self.bytes.len(), "nothing left over");
    }

    /// `{}` of an `ActorPath`: its format sequence, one `/{=u64}` per segment.
    fn path(&mut self, expected: &[u64]) {
        self.format_string(); // the format-sequence tag
        if expected.is_empty() {
            self.format_string(); // "/"
        }
        for segment in expected {
            self.format_string(); // "/{=u64}"
            assert_eq!(self.u64(), *segment);
        }
        self.end_of_format();
    }

    /// `{}` of an `ActorId`.
    fn actor(&mut self, expected: u64) {
        self.format_string(); // the format-sequence tag
        self.format_string(); // "{=u64}"
        assert_eq!(self.u64(), expected);
        self.end_of_format();
    }

    /// The tags: `{}` per tag (` ` between two), each `{=str}={=str}`, then `]`.
    fn tags(&mut self, expected: &[(&str, &str)]) {
        for (index, (key, value)) in expected.iter().enumerate() {
            if index > 0 {
                self.format_string(); // " "
            }
            self.format_string(); // "{}"
            self.format_string(); // TelemetryTag's format-sequence tag
            self.format_string(); // "{=str}={=str}"
            assert_eq!(self.str(), *key);
            assert_eq!(self.str(), *value);
            self.end_of_format();
        }
        self.format_string(); // "]"
    }

    /// A snapshot's `{}` up to its tags: the format-sequence tag, its fields' format
    /// string, then path, actor, hops and description.
    fn snapshot_fields(&mut self, path: &[u64], actor: u64, hops: u8, description: &str) {
        self.format_string(); // the snapshot's format-sequence tag
        self.format_string(); // "path={} actor={} hops={=u8} description={=str} tags=["
        self.path(path);
        self.actor(actor);
        assert_eq!(self.u8(), hops, "hops");
        assert_eq!(self.str(), description);
    }
}

fn failure() -> FailureInfo {
    let metadata = FailureMetadata::new()
        .with_component("db")
        .with_tag("tenant", "acme corp")
        .with_tag("", "an empty key is dropped");
    FailureInfo::new(
        ActorId(9),
        ActorPath::root()
            .child(ActorId(1))
            .child(ActorId(4))
            .child(ActorId(9)),
        ActorFailure::from_message("disk full"),
    )
    .with_metadata(metadata)
    .escalate_to_parent()
    .escalate_to_parent()
}

#[test]
fn the_hook_logs_one_error_frame_with_every_field_of_the_snapshot() {
    let info = failure();
    let mut frame = Frame::capture(|| DefmtFailureTelemetry::new().on_failure(&info.snapshot()));

    frame.format_string(); // "failure reached the root guardian: {}"
    frame.snapshot_fields(&[1, 4, 9], 9, 2, "disk full");
    frame.tags(&[("component", "db"), ("tenant", "acme corp")]);
    frame.format_string(); // " dropped_tags={=u32}"
    assert_eq!(frame.u32(), 1);
    frame.end_of_format();
    frame.finished();
}

#[test]
fn a_root_failure_without_tags_or_drops_has_no_dropped_field() {
    let info = FailureInfo::new(
        ActorId(0),
        ActorPath::root(),
        ActorFailure::from_message("halt"),
    );
    let mut frame = Frame::capture(|| defmt::println!("{}", info.snapshot()));

    frame.format_string(); // "{}"
    frame.snapshot_fields(&[], 0, 0, "halt");
    frame.tags(&[]);
    frame.end_of_format();
    frame.finished();
}

#[test]
fn stages_format_with_their_hop_count() {
    let mut frame = Frame::capture(|| defmt::println!("{}", FailureEscalationStage::Initial));
    frame.format_string(); // "{}"
    frame.format_string(); // the format-sequence tag
    frame.format_string(); // "Initial"
    frame.end_of_format();
    frame.finished();

    let escalated = FailureEscalationStage::Initial
        .escalate()
        .escalate()
        .escalate();
    let mut frame = Frame::capture(|| defmt::println!("{}", escalated));
    frame.format_string(); // "{}"
    frame.format_string(); // the format-sequence tag
    frame.format_string(); // "Escalated(hops={=u8})"
    assert_eq!(frame.u8(), 3);
    frame.end_of_format();
    frame.finished();
}

#[test]
fn a_tag_and_an_id_format_on_their_own() {
    let tag = TelemetryTag::new("region", "eu-1");
    let mut frame = Frame::capture(|| defmt::println!("{} {}", tag, ActorId(42)));
    frame.format_string(); // "{} {}"
    frame.format_string(); // the tag's format-sequence tag
    frame.format_string(); // "{=str}={=str}"
    assert_eq!(frame.str(), "region");
    assert_eq!(frame.str(), "eu-1");
    frame.end_of_format();
    frame.actor(42);
    frame.finished();
}

#[test]
fn the_crash_report_follows_the_tags_on_the_wire() {
    let info = support::crash::error_failure();
    let mut frame = Frame::capture(|| defmt::println!("{}", info.snapshot()));
    frame.format_string(); // "{}"
    frame.snapshot_fields(&[1, 4, 9], 9, 0, "request failed");
    frame.tags(&[("component", "payments")]);

    frame.format_string(); // " kind={}"
    frame.format_string(); // FailureKind's format-sequence tag
    frame.format_string(); // "error"
    frame.end_of_format();

    frame.format_string(); // " error_type={=str}"
    assert_eq!(frame.str(), "payments::GatewayError");

    frame.format_string(); // " at={}"
    frame.format_string(); // CodeLocation's format-sequence tag
    frame.format_string(); // "{=str}:{=u32}:{=u32}"
    assert_eq!(frame.str(), "src/payments/gateway.rs");
    assert_eq!(frame.u32(), 88);
    assert_eq!(frame.u32(), 17);
    frame.end_of_format();

    frame.format_string(); // " causes=["
    for (index, cause) in ["connection reset", "os error 104", "no route \"to\" host"]
        .into_iter()
        .enumerate()
    {
        if index > 0 {
            frame.format_string(); // " "
        }
        frame.format_string(); // "{=str}"
        assert_eq!(frame.str(), cause);
    }
    frame.format_string(); // "]"

    frame.format_string(); // " trace=({})"
    frame.format_string(); // TraceContext's format-sequence tag
    frame.format_string(); // "trace_id={=[u8; 16]:x} span_id={=[u8; 8]:x} sampled={=bool}"
    assert_eq!(frame.take::<16>(), support::crash::TRACE.trace_id);
    assert_eq!(frame.take::<8>(), support::crash::TRACE.span_id);
    assert_eq!(frame.u8(), 1, "sampled");
    frame.end_of_format();

    frame.end_of_format();
    frame.finished();
}

/// A clock the storm test moves by hand, as a firmware's tick counter would be.
static TICKS_NANOS: AtomicU64 = AtomicU64::new(0);

#[derive(Debug, Default)]
struct TickClock;

impl MonotonicClock for TickClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(TICKS_NANOS.load(Ordering::SeqCst))
    }
}

struct Firmware;

impl ActorRuntime for Firmware {
    type Clock = TickClock;
    type Tags = BoundedTags<2>;
}

#[test]
fn through_a_storm_limited_sink_the_next_frame_carries_the_suppressed_count() {
    const WINDOW: Duration = Duration::from_secs(1);
    let config = ActorSystemConfig::<Firmware>::new()
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(DefmtFailureTelemetry::new()))
        .limit_storms(StormPolicy::new(1, WINDOW))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    let crash = || {
        FailureInfo::<BoundedTags<2>>::new_in(
            ActorId(5),
            ActorPath::root().child(ActorId(5)),
            ActorFailure::from_message("watchdog"),
        )
    };

    // The first reaches the hook; the next three are suppressed and write nothing.
    let first = Frame::capture(|| sink.handle(crash(), false).expect("handled"));
    assert!(!first.bytes.is_empty());
    let suppressed = Frame::capture(|| {
        for _ in 0..3 {
            sink.handle(crash(), false).expect("handled");
        }
    });
    assert!(
        suppressed.bytes.is_empty(),
        "a suppressed failure logs nothing"
    );

    TICKS_NANOS.store(2 * WINDOW.as_nanos() as u64, Ordering::SeqCst);
    let mut frame = Frame::capture(|| sink.handle(crash(), false).expect("handled"));
    frame.format_string(); // "failure reached the root guardian: {}"
    frame.snapshot_fields(&[5], 5, 0, "watchdog");
    frame.tags(&[]);
    frame.format_string(); // " suppressed={=u64}"
    assert_eq!(frame.u64(), 3);
    frame.end_of_format();
    frame.finished();
}

#[test]
fn system_tags_follow_the_failure_tags_on_the_wire() {
    let config = ActorSystemConfig::<Firmware>::new()
        .with_system_tag("node", "sensor-7")
        .with_system_tag("region", "eu")
        .with_failure_telemetry(|_ctx| FailureTelemetryShared::new(DefmtFailureTelemetry::new()))
        .finalize();
    let mut sink = config.root_escalation_sink::<()>();
    let info = FailureInfo::<BoundedTags<2>>::new_in(
        ActorId(3),
        ActorPath::root().child(ActorId(3)),
        ActorFailure::from_message("brownout"),
    )
    .with_metadata(FailureMetadata::<BoundedTags<2>>::new_in().with_tag("region", "us"));

    let mut frame = Frame::capture(|| sink.handle(info, false).expect("handled"));
    frame.format_string(); // "failure reached the root guardian: {}"
    frame.snapshot_fields(&[3], 3, 0, "brownout");
    // The failure's own `region` wins over the system's.
    frame.tags(&[("region", "us"), ("node", "sensor-7")]);
    frame.end_of_format();
    frame.finished();
}
